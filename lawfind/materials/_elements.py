"""Elemental properties read from pymatgen's offline periodic table, one cached row per element.

Each :class:`ElementProperty` names the pymatgen attribute (or table) it comes from and
its unit in pint syntax.  The ``"magpie"`` set mirrors the elemental properties of
Ward et al.'s Magpie descriptors (npj Comput. Mater. 2, 16028, 2016) as far as pymatgen
has them offline: Magpie's DFT ground-state properties from OQMD (``GSvolume_pa``,
``GSbandgap``, ``GSmagmom``, ``SpaceGroupNumber``) are not in pymatgen; the molar volume
of the solid stands in for the volume per atom.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

import numpy as np

from lawfind.exceptions import ConfigError, MissingDependencyError

__all__ = ["ElementProperty", "ELEMENT_PROPERTIES", "PROPERTY_SETS", "element_properties",
           "resolve_properties", "element_values", "require_pymatgen"]

INSTALL_HINT = 'pip install "lawfind[materials]"'


def require_pymatgen(what: str = "composition features") -> Any:
    """Import and return ``pymatgen.core``, or raise :class:`MissingDependencyError` with the pip hint."""
    try:
        import pymatgen.core as core
    except ImportError:
        raise MissingDependencyError(
            f"{what} need pymatgen, which is not installed; install it with: {INSTALL_HINT}"
        ) from None
    return core


@dataclass(frozen=True)
class ElementProperty:
    """One elemental property: its feature name, pymatgen source, unit and meaning."""

    name: str
    source: str
    unit: str
    description: str
    getter: Callable[[Any], Any]


# ------------------------------------------------------------------ valence electrons
_SHELL = re.compile(r"(\d+)([spdf])(\d+)")
_CAPACITY = {"s": 2, "p": 6, "d": 10, "f": 14}


def _valence(element: Any) -> dict[str, float] | None:
    """Electrons outside the noble-gas core per orbital type, from ``Element.electronic_structure``.

    ``"[Xe].4f14.5d10.6s2.6p2"`` (Pb) gives s=2, p=2, d=10, f=14, as in Magpie, whose
    ``N*Valence`` count filled d and f shells outside the core too.  Unfilled counts are
    ``capacity - electrons`` for each orbital type that holds valence electrons, else 0.
    """
    try:
        text = element.electronic_structure
    except (KeyError, AttributeError):
        return None
    if not isinstance(text, str) or not text:
        return None
    valence = text.split("]", 1)[1] if "]" in text else text
    counts = {kind: 0 for kind in _CAPACITY}
    for _n, kind, count in _SHELL.findall(valence):
        counts[kind] += int(count)
    row: dict[str, float] = {}
    for kind, capacity in _CAPACITY.items():
        row[f"n{kind}_valence"] = float(counts[kind])
        row[f"n{kind}_unfilled"] = float(capacity - counts[kind]) if counts[kind] else 0.0
    row["n_valence"] = float(sum(counts.values()))
    row["n_unfilled"] = sum(row[f"n{kind}_unfilled"] for kind in _CAPACITY)
    return row


def _valence_getter(key: str) -> Callable[[Any], Any]:
    def get(element: Any) -> Any:
        row = _valence(element)
        return None if row is None else row[key]

    return get


def _data(key: str) -> Callable[[Any], Any]:
    return lambda element: element.data.get(key)


def _covalent(element: Any) -> Any:
    from pymatgen.analysis.molecule_structure_comparator import CovalentRadius

    return CovalentRadius.radius.get(element.symbol)


_S = "Element.electronic_structure (part outside the noble-gas core)"
ELEMENT_PROPERTIES: tuple[ElementProperty, ...] = (
    ElementProperty("atomic_number", "Element.Z", "dimensionless", "atomic number Z", lambda e: e.Z),
    ElementProperty("mendeleev_number", "Element.mendeleev_no", "dimensionless",
                    "Mendeleev number (pymatgen's scale, not Magpie's)", lambda e: e.data.get("Mendeleev no")),
    ElementProperty("atomic_weight", "Element.atomic_mass", "dalton", "atomic mass", _data("Atomic mass")),
    ElementProperty("melting_point", "Element.melting_point", "kelvin", "melting point of the element",
                    _data("Melting point")),
    ElementProperty("column", "Element.group", "dimensionless", "group (column) 1-18; 3 for La-Lu, Ac-Lr",
                    lambda e: e.group),
    ElementProperty("row", "Element.row", "dimensionless", "period (row) 1-7", lambda e: e.row),
    ElementProperty("covalent_radius", "molecule_structure_comparator.CovalentRadius.radius", "angstrom",
                    "covalent radius (Cordero et al. 2008)", _covalent),
    ElementProperty("atomic_radius", "Element.atomic_radius", "angstrom", "empirical atomic radius (Slater)",
                    _data("Atomic radius")),
    ElementProperty("electronegativity", "Element.X", "dimensionless", "Pauling electronegativity",
                    _data("X")),
    *(ElementProperty(f"n{k}_valence", _S, "dimensionless", f"valence {k} electrons", _valence_getter(f"n{k}_valence"))
      for k in "spdf"),
    ElementProperty("n_valence", _S, "dimensionless", "valence electrons (s+p+d+f)", _valence_getter("n_valence")),
    *(ElementProperty(f"n{k}_unfilled", _S, "dimensionless", f"unfilled {k} states among the valence orbitals",
                      _valence_getter(f"n{k}_unfilled")) for k in "spdf"),
    ElementProperty("n_unfilled", _S, "dimensionless", "unfilled valence states (s+p+d+f)",
                    _valence_getter("n_unfilled")),
    ElementProperty("molar_volume", "Element.molar_volume", "cm**3/mol",
                    "molar volume of the solid (stands in for Magpie's GSvolume_pa)", _data("Molar volume")),
    # beyond Magpie (the "extended" set): missing for more elements (e.g. density for gases)
    ElementProperty("ionization_energy", "Element.ionization_energy", "eV", "first ionization energy",
                    lambda e: (e.data.get("Ionization energies") or [None])[0]),
    ElementProperty("electron_affinity", "Element.electron_affinity", "eV", "electron affinity",
                    _data("Electron affinity")),
    ElementProperty("boiling_point", "Element.boiling_point", "kelvin", "boiling point", _data("Boiling point")),
    ElementProperty("density", "Element.density_of_solid", "kg/m**3", "density of the solid",
                    _data("Density of solid")),
    ElementProperty("atomic_radius_calculated", "Element.atomic_radius_calculated", "angstrom",
                    "calculated atomic radius (Clementi)", _data("Atomic radius calculated")),
)
_BY_NAME = {p.name: p for p in ELEMENT_PROPERTIES}
_MAGPIE = tuple(p.name for p in ELEMENT_PROPERTIES[: ELEMENT_PROPERTIES.index(_BY_NAME["molar_volume"]) + 1])

#: Named property sets accepted by ``properties=``.
PROPERTY_SETS: dict[str, tuple[str, ...]] = {
    "magpie": _MAGPIE,
    "extended": tuple(_BY_NAME),
}


def element_properties() -> "Any":
    """The property table as a DataFrame: name, pymatgen source, unit, meaning, sets.

    Examples
    --------
    >>> from lawfind.materials import element_properties
    >>> element_properties().loc["electronegativity", "source"]
    'Element.X'
    """
    import pandas as pd

    rows = [{"name": p.name, "source": p.source, "unit": p.unit, "description": p.description,
             "magpie": p.name in _MAGPIE} for p in ELEMENT_PROPERTIES]
    return pd.DataFrame(rows).set_index("name")


def resolve_properties(properties: str | Sequence[str]) -> tuple[ElementProperty, ...]:
    """Turn ``"magpie"``, ``"extended"`` or a list of property names into properties (checked)."""
    if isinstance(properties, str):
        if properties in PROPERTY_SETS:
            names: Sequence[str] = PROPERTY_SETS[properties]
        elif properties in _BY_NAME:
            names = [properties]
        else:
            raise ConfigError(_unknown("properties", properties, [*PROPERTY_SETS, *_BY_NAME]))
    else:
        names = list(properties)
        if not names:
            raise ConfigError(f"properties is empty; give 'magpie', 'extended' or names among {list(_BY_NAME)}")
        for name in names:
            if not isinstance(name, str) or name not in _BY_NAME:
                raise ConfigError(_unknown("property", name, list(_BY_NAME)))
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ConfigError(f"properties {repeated} are listed more than once")
    return tuple(_BY_NAME[n] for n in names)


def _unknown(what: str, value: Any, allowed: list[str]) -> str:
    close = get_close_matches(str(value), allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {what} {value!r}{hint} (allowed: {', '.join(allowed)})"


@functools.lru_cache(maxsize=None)
def _element_row(symbol: str) -> tuple[float, ...]:
    """Every property of one element (NaN where pymatgen has no value), in table order."""
    core = require_pymatgen()
    element = core.Element(symbol)
    values = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pymatgen warns (and returns NaN) for a missing X
        for prop in ELEMENT_PROPERTIES:
            try:
                value = prop.getter(element)
            except (KeyError, AttributeError, TypeError, ValueError):
                value = None
            values.append(_as_float(value))
    return tuple(values)


def _as_float(value: Any) -> float:
    if value is None or isinstance(value, bool):
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def element_values(symbols: Sequence[str], properties: Sequence[ElementProperty]) -> np.ndarray:
    """Array ``(len(symbols), len(properties))`` of property values (NaN = no data); cached per element."""
    columns = [ELEMENT_PROPERTIES.index(p) for p in properties]
    table = np.array([_element_row(s) for s in symbols], dtype=float).reshape(len(symbols), len(ELEMENT_PROPERTIES))
    return table[:, columns]
