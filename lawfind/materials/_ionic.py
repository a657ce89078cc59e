"""Structural descriptors from given ionic radii and oxidation states (ABX3), and Shannon radii."""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError, DataError
from lawfind.materials._elements import require_pymatgen

__all__ = ["ionic_features", "radius_ratios", "shannon_radius"]

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X",
          11: "XI", 12: "XII", 14: "XIV"}


def ionic_features(
    frame: pd.DataFrame,
    *,
    rA: str = "rA",  # noqa: N803 - the conventional symbols
    rB: str = "rB",  # noqa: N803
    rX: str = "rX",  # noqa: N803
    nA: str | None = None,  # noqa: N803
    nB: str | None = None,  # noqa: N803
    nX: str | None = None,  # noqa: N803
) -> pd.DataFrame:
    r"""Standard structural descriptors of ABX3 (perovskite-type) compounds from site radii and charges.

    With the ionic radii :math:`r_A, r_B, r_X` of the A, B and X sites (all in the same
    unit) and optionally their oxidation states :math:`n_A, n_B, n_X`:

    * ``t`` — Goldschmidt tolerance factor :math:`t = (r_A + r_X) / (\sqrt{2}\,(r_B + r_X))`;
    * ``mu`` — octahedral factor :math:`\mu = r_B / r_X`;
    * ``rA_over_rB`` :math:`= r_A / r_B` and ``rA_over_rX`` :math:`= r_A / r_X`;
    * with ``nA``: ``tau`` — Bartel et al.'s tolerance factor (Sci. Adv. 5, eaav0693, 2019)
      :math:`\tau = r_X/r_B - n_A\,(n_A - (r_A/r_B)/\ln(r_A/r_B))`, defined for
      :math:`r_A > r_B` (the larger cation on the A site);
    * with ``nA`` and ``nB``: ``nA_over_nB`` :math:`= n_A / n_B`; with ``nX`` too:
      ``nA_over_nX`` :math:`= n_A / |n_X|` and ``nB_over_nX`` :math:`= n_B / |n_X|`.

    Parameters
    ----------
    frame : DataFrame
    rA, rB, rX : str, default="rA", "rB", "rX"
        Columns of the site radii (positive numbers, same unit).
    nA, nB, nX : str, optional
        Columns of the site oxidation states (``nX`` may be negative; its magnitude is used).

    Returns
    -------
    DataFrame
        The descriptors, with ``frame``'s index; ``result.attrs["units"]`` marks them all
        ``"dimensionless"``.

    Raises
    ------
    DataError
        A missing or non-numeric column, a radius that is not a positive number, a zero
        charge, or (for ``tau``) a row with :math:`r_A \le r_B`; the row is named.

    Examples
    --------
    >>> import pandas as pd
    >>> from lawfind.materials import ionic_features
    >>> srtio3 = pd.DataFrame({"rA": [1.44], "rB": [0.605], "rX": [1.40], "nA": [2]})
    >>> ionic_features(srtio3, nA="nA").round(3).iloc[0].to_dict()
    {'t': 1.002, 'mu': 0.432, 'rA_over_rB': 2.38, 'rA_over_rX': 1.029, 'tau': 3.804}
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    ra, rb, rx = _positive_radii(frame, rA, rB, rX)
    out = {"t": (ra + rx) / (math.sqrt(2.0) * (rb + rx)), "mu": rb / rx, "rA_over_rB": ra / rb, "rA_over_rX": ra / rx}
    charges = {name: _numbers(frame, col, "oxidation state") for name, col in (("nA", nA), ("nB", nB), ("nX", nX))
               if col is not None}
    for name, values in charges.items():
        _require(frame, {"nA": nA, "nB": nB, "nX": nX}[name], values != 0, "is a zero oxidation state")
    if "nA" in charges:
        _require(frame, rA, ra > rb, f"has rA <= rB (column {rB!r}), where tau is undefined; put the larger "
                                     f"cation on the A site")
        ratio = ra / rb
        out["tau"] = rx / rb - charges["nA"] * (charges["nA"] - ratio / np.log(ratio))
    if "nA" in charges and "nB" in charges:
        out["nA_over_nB"] = charges["nA"] / charges["nB"]
    if "nX" in charges:
        for name in ("nA", "nB"):
            if name in charges:
                out[f"{name}_over_nX"] = charges[name] / np.abs(charges["nX"])
    result = pd.DataFrame(out, index=frame.index)
    result.attrs["units"] = {column: "dimensionless" for column in result.columns}
    return result


def radius_ratios(
    frame: pd.DataFrame,
    *,
    rA: str = "rA",  # noqa: N803 - the conventional symbols
    rB: str = "rB",  # noqa: N803
    rX: str = "rX",  # noqa: N803
) -> pd.DataFrame:
    r"""The dimensionless groups of three site radii: ``rA_over_rB``, ``rX_over_rB`` and ``rA_over_rX``.

    Radii in one unit carry a single dimension, so a law can only use them through
    ratios; giving a descriptor search these ratios as its primary features (instead of
    the radii) lets a logarithm act on :math:`r_A/r_B` at the first rung, where a
    units-aware search could build :math:`\ln(r_A/r_B)` only at the second.  Bartel's τ
    is written in two of them (:math:`r_X/r_B` and :math:`r_A/r_B`); the B-site radius is
    the reference of both, and :math:`r_A/r_X` completes the set (every other ratio of the
    three radii is a product or reciprocal of these).

    Parameters
    ----------
    frame : DataFrame
    rA, rB, rX : str, default="rA", "rB", "rX"
        Columns of the site radii (positive numbers, same unit).

    Returns
    -------
    DataFrame
        The three ratios, with ``frame``'s index; ``result.attrs["units"]`` marks them
        ``"dimensionless"``.

    Raises
    ------
    DataError
        A missing or non-numeric column, or a radius that is not a positive number (the
        row is named).

    Examples
    --------
    >>> import pandas as pd
    >>> from lawfind.materials import radius_ratios
    >>> radius_ratios(pd.DataFrame({"rA": [1.44], "rB": [0.605], "rX": [1.40]})).round(3).iloc[0].to_dict()
    {'rA_over_rB': 2.38, 'rX_over_rB': 2.314, 'rA_over_rX': 1.029}
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    ra, rb, rx = _positive_radii(frame, rA, rB, rX)
    result = pd.DataFrame({"rA_over_rB": ra / rb, "rX_over_rB": rx / rb, "rA_over_rX": ra / rx}, index=frame.index)
    result.attrs["units"] = {column: "dimensionless" for column in result.columns}
    return result


def _positive_radii(frame: pd.DataFrame, *columns: Any) -> tuple[np.ndarray, ...]:
    """The radius columns as floats; a missing column or a radius that is not positive is a DataError."""
    radii = tuple(_numbers(frame, column, "radius") for column in columns)
    for column, values in zip(columns, radii):
        _require(frame, column, values > 0, "is not a positive radius")
    return radii


def _numbers(frame: pd.DataFrame, column: Any, what: str) -> np.ndarray:
    if column not in frame.columns:
        raise DataError(f"{what} column {column!r} not found; columns are: {[str(c) for c in frame.columns]}")
    values = frame[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataError(f"{what} column {column!r} is not numeric (it has {values.iloc[0]!r}); give numbers")
    return values.to_numpy(dtype=float)


def _require(frame: pd.DataFrame, column: Hashable, ok: np.ndarray, problem: str) -> None:
    bad = np.flatnonzero(~ok)
    if len(bad):
        position = int(bad[0])
        value = frame[column].iloc[position]
        raise DataError(f"row {frame.index[position]!r} (position {position}) of column {column!r} {problem} "
                        f"({value!r}); {len(bad)} row(s) in all")


def shannon_radius(
    element: str,
    oxidation_state: int,
    coordination: int | str = "VI",
    *,
    spin: Literal["", "High Spin", "Low Spin"] = "",
    kind: Literal["ionic", "crystal"] = "ionic",
) -> float:
    """Shannon's (1976) radius of an ion, in angstrom, from pymatgen's table.

    Looked up with ``pymatgen.core.Species(element, oxidation_state).get_shannon_radius``.

    Parameters
    ----------
    element : str
        Element symbol, e.g. ``"Ti"``.
    oxidation_state : int
        e.g. ``4`` for Ti4+, ``-2`` for O2-.
    coordination : int or str, default="VI"
        Coordination number, as an integer (``6``) or Roman numeral (``"VI"``, ``"IVSQ"``).
    spin : {"", "High Spin", "Low Spin"}, default=""
        Needed only where Shannon lists both spin states (e.g. Fe2+ in VI).
    kind : {"ionic", "crystal"}, default="ionic"
        Shannon's ionic radius or crystal radius (ionic + 0.14 Å for most ions).

    Returns
    -------
    float

    Raises
    ------
    DataError
        The element is unknown, or the (oxidation state, coordination, spin) is not
        tabulated; the message lists what is.
    MissingDependencyError
        pymatgen is not installed.

    Examples
    --------
    >>> from lawfind.materials import shannon_radius
    >>> shannon_radius("Sr", 2, 12), shannon_radius("Ti", 4, 6), shannon_radius("O", -2, "VI")
    (1.44, 0.605, 1.4)
    """
    core = require_pymatgen("Shannon radii")
    if kind not in ("ionic", "crystal"):
        raise ConfigError(f"kind must be 'ionic' or 'crystal', got {kind!r}")
    if not isinstance(element, str) or not core.Element.is_valid_symbol(element):
        raise DataError(f"{element!r} is not an element symbol (e.g. 'Ti')")
    if isinstance(oxidation_state, bool) or not float(oxidation_state).is_integer():
        raise DataError(f"oxidation_state must be a whole number, got {oxidation_state!r}")
    cn = _roman(coordination)
    table = core.Element(element).data.get("Shannon radii") or {}
    n = int(oxidation_state)
    ion = f"{element}{abs(n) if abs(n) != 1 else ''}{'+' if n > 0 else '-'}"
    states = table.get(str(int(oxidation_state)))
    if states is None:
        listed = sorted(int(k) for k in table)
        raise DataError(f"Shannon radii of {element} are tabulated for oxidation states {listed or 'none'}, "
                        f"not {int(oxidation_state)}")
    if cn not in states:
        raise DataError(f"the Shannon radius of {ion} is tabulated for coordination {sorted(states)}, not {cn}")
    spins = states[cn]
    if len(spins) == 1:
        spin = next(iter(spins))  # one entry: take it whatever its spin label
    elif spin not in spins:
        raise DataError(f"{ion} in coordination {cn} has radii for {sorted(s for s in spins if s)}; pass "
                        f"spin='High Spin' or spin='Low Spin'")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(core.Species(element, int(oxidation_state)).get_shannon_radius(cn, spin, kind))


def _roman(coordination: Any) -> str:
    if isinstance(coordination, str) and coordination.strip():
        return coordination.strip().upper()
    if isinstance(coordination, (int, np.integer)) and not isinstance(coordination, bool) and coordination in _ROMAN:
        return _ROMAN[int(coordination)]
    raise DataError(f"coordination must be a number such as 6 or a Roman numeral such as 'VI', got {coordination!r}")
