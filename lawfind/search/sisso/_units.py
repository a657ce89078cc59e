"""Units of SISSO features (pint), tracked per unit class rather than per feature.

Every feature carries a unit id; ids are canonical: two units share an id exactly when
they have the same dimensionality *and* the same scale (so ``angstrom`` and ``nm`` get
different ids, and ``eV*angstrom/angstrom`` gets the id of ``eV``).  Operators combine
ids through :meth:`UnitAlgebra.combine`, which is cached: a rung-3 space of millions of
features only ever touches a few hundred unit classes.

Rules (``None`` means "not allowed"):

* ``+``, ``-``, ``|-|``: like units only (same id);
* ``*``, ``/``: always, the units multiply or divide;
* ``exp``, ``exp-``, ``log``, ``sin``, ``cos``: dimensionless operands only;
* powers (``sqrt``, ``cbrt``, ``^2``, ``^-1``...): the unit is raised to the power.

Primary features whose unit has the dimensionality of an earlier primary's unit but a
different scale (``nm`` after ``angstrom``) are converted to the earlier unit, so sums of
them stay meaningful; the conversion factor appears in the feature's expression.

A primary feature whose unit is ``None`` (unknown) gets a dimension of its own: it can be
multiplied and divided, added only to itself, and never enters ``exp`` or ``log``.  Give
``"dimensionless"`` for unit-free columns.  With units switched off altogether
(:meth:`UnitAlgebra.unchecked`) every combination is allowed, as in plain SISSO.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

__all__ = ["UnitAlgebra", "unit_registry", "check_unit"]

_UNKNOWN = "lawfind_unknown_unit_{}"


def unit_registry() -> Any:
    """The (cached) pint registry of the engine: lawfind's, shared with the units check of laws."""
    from lawfind.law._units import unit_registry as shared

    return shared()


def check_unit(text: str, where: str) -> Any:
    """Parse a pint unit string; raise :class:`ConfigError` naming ``where`` if pint cannot read it."""
    from lawfind.law._units import parse_unit

    return parse_unit(text, f"sisso engine: {where}")


def _key(unit: Any) -> tuple[tuple[tuple[str, Fraction], ...], float]:
    """Dimensionality and log10 scale of ``unit`` (summed per unit, so high powers never under- or overflow)."""
    import pint

    dims: dict[str, Fraction] = {}
    scale = 0.0
    for name, power in pint.util.to_units_container(unit).items():
        magnitude, dimensionality = _base(name)
        scale += float(power) * magnitude
        for dim, exponent in dimensionality:
            dims[dim] = dims.get(dim, Fraction(0)) + Fraction(float(power)).limit_denominator(720) * exponent
    return tuple(sorted((d, e) for d, e in dims.items() if e != 0)), round(scale, 9)


_BASES: dict[str, tuple[float, tuple[tuple[str, Fraction], ...]]] = {}


def _base(name: str) -> tuple[float, tuple[tuple[str, Fraction], ...]]:
    """log10 of the base-unit magnitude of one unit name, and its dimensionality."""
    if name not in _BASES:
        quantity = unit_registry().Quantity(1.0, name).to_base_units()
        _BASES[name] = (math.log10(abs(float(quantity.magnitude))),
                        tuple((str(d), Fraction(float(p)).limit_denominator(720))
                              for d, p in quantity.dimensionality.items()))
    return _BASES[name]


class UnitAlgebra:
    """Unit classes of a feature space and the operator rules between them.

    Build with :meth:`from_strings` (units checked) or :meth:`unchecked` (no rules).
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._units: list[Any] = []
        self._ids: dict[Any, int] = {}
        self._cache: dict[tuple[str, int, int], int | None] = {}
        self._dimensionless: int | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def unchecked(cls) -> "UnitAlgebra":
        """No unit rules: every feature has the single id 0."""
        algebra = cls(enabled=False)
        algebra._units.append(None)
        return algebra

    @classmethod
    def from_strings(cls, units: tuple[str | None, ...]) -> tuple["UnitAlgebra", list[int], list[float]]:
        """Unit ids of the primary features and their conversion factors.

        Returns
        -------
        algebra : UnitAlgebra
        ids : list of int
            Unit id of each primary feature.
        factors : list of float
            Multiply column ``i`` by ``factors[i]`` to express it in its unit class's
            reference unit (1.0 unless converted).
        """
        registry = unit_registry()
        algebra = cls(enabled=True)
        algebra._dimensionless = algebra._intern(registry.dimensionless)
        reference: dict[tuple[tuple[tuple[str, Fraction], ...]], Any] = {}
        ids, factors = [], []
        for index, text in enumerate(units):
            if text is None:
                name = _UNKNOWN.format(index)
                if name not in registry:
                    registry.define(f"{name} = [{name}]")
                unit = registry.parse_units(name)
            else:
                unit = check_unit(text, f"feature column {index}")
            dims = _key(unit)[0]
            factor = 1.0
            if dims in reference and _key(reference[dims]) != _key(unit):
                factor = float((1.0 * unit).to(reference[dims]).magnitude)
                unit = reference[dims]
            reference.setdefault(dims, unit)
            ids.append(algebra._intern(unit))
            factors.append(factor)
        return algebra, ids, factors

    def _intern(self, unit: Any) -> int:
        key = _key(unit)
        if key not in self._ids:
            self._ids[key] = len(self._units)
            self._units.append(unit)
        return self._ids[key]

    # ------------------------------------------------------------------ rules
    def combine(self, rule: str, exponent: float, a: int, b: int = -1) -> int | None:
        """The unit id of an operator's result, or None when the units do not allow it."""
        if not self.enabled:
            return 0
        cache_key = (f"{rule}{exponent}", a, b)
        if cache_key in self._cache:
            return self._cache[cache_key]
        result: int | None
        ua = self._units[a]
        if rule == "same":
            result = a if a == b else None
        elif rule == "multiply":
            result = self._intern(ua * self._units[b])
        elif rule == "divide":
            result = self._intern(ua / self._units[b])
        elif rule == "dimensionless":
            result = a if a == self._dimensionless else None
        elif rule == "power":
            power = Fraction(exponent).limit_denominator(720)
            result = self._intern(ua ** (power.numerator if power.denominator == 1 else float(power)))
        elif rule == "keep":
            result = a
        else:
            raise ValueError(f"unknown unit rule {rule!r}")
        self._cache[cache_key] = result
        return result

    # ------------------------------------------------------------------ display
    def display(self, unit_id: int) -> str | None:
        """The unit as a compact pint string (``"eV/Å**2"``), ``"dimensionless"``, or None without units."""
        if not self.enabled:
            return None
        unit = self._units[unit_id]
        text = format(unit, "~C")
        for name in _unknown_names(text):
            text = text.replace(name, f"[unit of x{name.rsplit('_', 1)[1]}]")
        return text or "dimensionless"

    def ratio(self, target_unit: str | None, unit_id: int) -> str | None:
        """The unit of a coefficient that turns feature ``unit_id`` into ``target_unit``."""
        if not self.enabled or target_unit is None:
            return None
        unit = check_unit(target_unit, "the target") / self._units[unit_id]
        text = format(unit, "~C")
        for name in _unknown_names(text):
            text = text.replace(name, f"[unit of x{name.rsplit('_', 1)[1]}]")
        return text or "dimensionless"

    def __len__(self) -> int:
        return len(self._units)


def _unknown_names(text: str) -> list[str]:
    prefix = _UNKNOWN.format("")
    out, start = [], text.find(prefix)
    while start >= 0:
        end = start + len(prefix)
        while end < len(text) and text[end].isdigit():
            end += 1
        out.append(text[start:end])
        start = text.find(prefix, end)
    return sorted(set(out), key=len, reverse=True)
