"""Parse a column of composition strings into atomic fractions, naming the row of any bad value."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lawfind._progress import ProgressCallback, no_progress
from lawfind.exceptions import DataError
from lawfind.materials._elements import require_pymatgen

__all__ = ["Fractions", "parse_compositions", "is_missing"]


@dataclass(frozen=True)
class Fractions:
    """Atomic fractions of each row: ``matrix[i, j]`` is the fraction of ``elements[j]`` in row ``i``.

    Rows sum to 1.  ``elements`` are the symbols present anywhere in the column, sorted by Z.
    """

    elements: tuple[str, ...]
    matrix: np.ndarray


def is_missing(value: Any) -> bool:
    """True for None, NaN/NA and blank strings."""
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _where(column: str, label: Hashable, position: int) -> str:
    return f"row {label!r} (position {position}) of column {column!r}"


def _parse_one(core: Any, value: Any, column: str, label: Hashable, position: int) -> dict[str, float]:
    where = _where(column, label, position)
    if is_missing(value):
        raise DataError(f"{where} has no composition (missing or blank); fill it in or drop the row "
                        f"(discover: dropna=True, lawfind discover --dropna)")
    if isinstance(value, core.Composition):
        composition = value
    elif isinstance(value, str):
        try:
            composition = core.Composition(value.strip())
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise DataError(f"{where}: {value!r} is not a composition pymatgen can parse ({exc}); "
                            f"write it like 'Fe0.7Ni0.3' or 'Al(NiB)2', or drop the row") from None
    else:
        raise DataError(f"{where}: {value!r} ({type(value).__name__}) is not a composition string")
    amounts: dict[str, float] = {}
    for specie, amount in composition.items():
        if isinstance(specie, core.DummySpecies) or not isinstance(specie, (core.Element, core.Species)):
            raise DataError(f"{where}: {value!r} contains {getattr(specie, 'symbol', str(specie))!r}, which is "
                            f"not a chemical element; fix the formula or drop the row")
        element = (specie if isinstance(specie, core.Element) else specie.element).symbol
        amounts[element] = amounts.get(element, 0.0) + float(amount)
    total = sum(amounts.values())
    if not amounts or not np.isfinite(total) or total <= 0:
        raise DataError(f"{where}: {value!r} has no atoms (all amounts are zero); fix the formula or drop the row")
    return {element: amount / total for element, amount in amounts.items()}


def parse_compositions(values: pd.Series, column: str, *, progress: ProgressCallback = no_progress) -> Fractions:
    """Parse every value of ``values`` (each distinct string once) into atomic fractions.

    Raises
    ------
    DataError
        For a missing, blank or unparseable value, or one with a non-element symbol
        (pymatgen's dummy species such as ``Xx``); the message names the row's index
        label, its position and the string.
    """
    core = require_pymatgen()
    parsed: dict[Any, dict[str, float]] = {}
    rows: list[dict[str, float]] = []
    n = len(values)
    step = max(1, n // 20)
    for position, (label, value) in enumerate(values.items()):
        key = value.strip() if isinstance(value, str) else None
        if key is not None and key in parsed:
            rows.append(parsed[key])
        else:
            fractions = _parse_one(core, value, column, label, position)
            if key is not None:
                parsed[key] = fractions
            rows.append(fractions)
        if position % step == 0:
            progress(position / n, f"parsing compositions {position}/{n}")
    present = {element for row in rows for element in row}
    elements = tuple(sorted(present, key=lambda symbol: core.Element(symbol).Z))
    index = {element: j for j, element in enumerate(elements)}
    matrix = np.zeros((n, len(elements)))
    for i, row in enumerate(rows):
        for element, fraction in row.items():
            matrix[i, index[element]] = fraction
    return Fractions(elements, matrix)
