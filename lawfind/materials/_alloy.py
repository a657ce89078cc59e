"""Convert alloy contents from weight percent (wt%) to atomic percent (at%)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError, DataError
from lawfind.materials._elements import element_values, require_pymatgen, resolve_properties
from lawfind.materials._parse import _where, is_missing

__all__ = ["atomic_percent"]

#: How far (in wt%) a row may go past 100, or miss 100 with ``balance=None``, before it is refused.
TOLERANCE = 1e-3

# pymatgen accepts the isotope symbols D and T as elements; a column named "d" or "t" is far more
# likely a length or a temperature than deuterium or tritium, so they are not read as elements.
_ISOTOPES = frozenset({"D", "T"})


def atomic_percent(
    frame: pd.DataFrame,
    elements: Mapping[str, str] | Sequence[str] | None = None,
    *,
    balance: str | None = "Fe",
) -> pd.DataFrame:
    """Convert alloy contents from wt% to at% (mole percent of all atoms, the balance element included).

    With atomic masses *M* from pymatgen's periodic table, the content of element *i* is
    ``at%_i = 100 (w_i / M_i) / Σ_j (w_j / M_j)``, the sum running over the given elements and
    the balance element, whose content is ``100 − Σ w_i``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns holding contents in wt%.
    elements : mapping, sequence of str, or None
        Which columns to convert.  A mapping ``{column: element symbol}`` (e.g.
        ``{"c": "C", "mn": "Mn"}``); a sequence of column names, each read as an element
        symbol case-insensitively (``"mn"`` → Mn, ``"co"`` → Co); None (the default) reads
        every column of ``frame`` that way.
    balance : str or None, default "Fe"
        The element that makes up the rest to 100 wt% (Fe for steels, Ni for superalloys).
        It is counted in the normalisation but not returned as a column.  With None, the
        given columns must list every element: each row must sum to 100 wt% (within 1e-3).

    Returns
    -------
    pandas.DataFrame
        The same index and column names as the selected columns, float, in at%.  With a
        balance element the columns sum to less than 100; the balance's at% is the rest.

    Raises
    ------
    DataError
        A column that is missing from ``frame`` or is not an element symbol; two columns
        holding the same element; a column holding the balance element; a value that is not
        a number, missing (NaN), infinite or negative; rows above 100 wt% (with a balance
        element) or not summing to 100 wt% (``balance=None``).
    ConfigError
        ``elements`` or ``balance`` of the wrong kind, or ``balance`` not an element symbol.
    MissingDependencyError
        pymatgen is not installed (``pip install "lawfind[materials]"``).

    Examples
    --------
    A Fe-0.4C-1Mn steel (wt%): carbon is far lighter than iron, so its atomic share is larger.

    >>> import pandas as pd
    >>> from lawfind.materials import atomic_percent
    >>> steel = pd.DataFrame({"c": [0.4], "mn": [1.0]})
    >>> atomic_percent(steel).round(3)
           c     mn
    0  1.833  1.002
    >>> atomic_percent(pd.DataFrame({"Ni": [50.0], "Ti": [50.0]}), balance=None).round(2)  # NiTi
          Ni     Ti
    0  44.92  55.08
    """
    if not isinstance(frame, pd.DataFrame):
        raise ConfigError(f"frame must be a pandas DataFrame of wt% columns, not {type(frame).__name__}")
    core = require_pymatgen("wt% to at% conversions")
    symbols = _symbols(core, frame, elements)
    balance_symbol = None if balance is None else _balance_symbol(core, balance)
    if balance_symbol is not None:
        holding = [column for column, symbol in symbols.items() if symbol == balance_symbol]
        if holding:
            raise DataError(
                f"column {holding[0]!r} holds {balance_symbol}, the balance element (balance={balance!r}); "
                f"leave it out of elements= (the balance is computed as 100 wt% minus the rest), "
                f"or pass balance=None if the columns list every element"
            )
    columns = list(symbols)
    weights = np.column_stack([_wt_percent(frame, column) for column in columns])
    totals = weights.sum(axis=1)
    if balance_symbol is not None:
        _check_rows(frame, totals, totals > 100.0 + TOLERANCE, "ha{s} alloying contents above 100 wt%",
                    f"no {balance_symbol} is left to balance them; check that the columns are in wt% "
                    f"(not ppm), or pass balance=None if the columns list every element")
    else:
        _check_rows(frame, totals, np.abs(totals - 100.0) > TOLERANCE,
                    f"do{{es}} not sum to 100 wt% (within {TOLERANCE:g}), as balance=None requires",
                    "pass balance='Fe' (or the element that makes up the rest) or add the missing elements' columns")
    masses = _atomic_masses([*symbols.values(), *([balance_symbol] if balance_symbol else [])])
    moles = weights / masses[: len(columns)]
    total_moles = moles.sum(axis=1)
    if balance_symbol is not None:
        total_moles = total_moles + np.clip(100.0 - totals, 0.0, None) / masses[-1]
    percent = 100.0 * moles / total_moles[:, None]
    return pd.DataFrame(percent, index=frame.index, columns=columns, dtype=float)


def _as_symbol(core: Any, name: Any) -> str | None:
    """``name`` read as an element symbol case-insensitively (``"mn"`` → ``"Mn"``), or None."""
    if not isinstance(name, str):
        return None
    symbol = name.strip().capitalize()
    if symbol in _ISOTOPES or not core.Element.is_valid_symbol(symbol):
        return None
    return symbol


def _symbols(core: Any, frame: pd.DataFrame, elements: Any) -> dict[Hashable, str]:
    """``{column: element symbol}`` for the columns to convert, checked against ``frame``."""
    if elements is None:
        pairs: list[tuple[Any, Any]] = [(column, column) for column in frame.columns]
        mapped = False
    elif isinstance(elements, Mapping):
        pairs, mapped = list(elements.items()), True
    elif isinstance(elements, str) or not isinstance(elements, Sequence):
        raise ConfigError(f"elements={elements!r} is not a list of column names or a mapping "
                          f"{{column: element symbol}}; e.g. elements=['c', 'mn'] or elements={{'c': 'C'}}")
    else:
        pairs, mapped = [(column, column) for column in elements], False
    if not pairs:
        raise DataError("there are no columns to convert (elements= is empty or the frame has no columns); "
                        "name the wt% columns, e.g. elements=['c', 'mn'] or elements={'c': 'C', 'mn': 'Mn'}")
    repeated = set(frame.columns[frame.columns.duplicated()])
    symbols: dict[Hashable, str] = {}
    for column, name in pairs:
        if column not in frame.columns:
            raise DataError(f"column {column!r} is not in the frame (its columns: {list(frame.columns)}); "
                            f"check the spelling in elements=")
        if column in repeated:
            raise DataError(f"the frame has more than one column named {column!r}; rename or drop the copies")
        symbol = _as_symbol(core, name)
        if symbol is None:
            guess = _symbol_of_name(core, name) or _symbol_of_name(core, column)
            example = repr(guess) if guess else "'C'"
            if mapped:
                raise DataError(f"elements= maps column {column!r} to {name!r}, which is not an element symbol; "
                                f"give its symbol, e.g. elements={{{column!r}: {example}}}")
            raise DataError(f"column {column!r} is not an element symbol, so its element is unknown; "
                            f"pass elements={{{column!r}: {example if guess else 'symbol'}}} (a mapping of every "
                            f"column to convert to its element symbol), or leave the column out")
        same = [other for other, s in symbols.items() if s == symbol]
        if same:
            raise DataError(f"columns {same[0]!r} and {column!r} both hold {symbol}; keep one of them "
                            f"(or add them up into one column first)")
        symbols[column] = symbol
    return symbols


def _symbol_of_name(core: Any, name: Any) -> str | None:
    """The symbol of an element written out (``"carbon"`` → ``"C"``), for the hint of an error message."""
    if not isinstance(name, str):
        return None
    names = {element.long_name.lower(): element.symbol for element in core.Element}
    names.update({"aluminium": "Al", "caesium": "Cs", "sulphur": "S"})
    return names.get(name.strip().lower())


def _label(frame: pd.DataFrame, position: int) -> Hashable:
    """The index label of a row, as a plain Python value (``6``, not ``np.int64(6)``)."""
    label = frame.index[position]
    return label.item() if isinstance(label, np.generic) else label


def _balance_symbol(core: Any, balance: Any) -> str:
    symbol = _as_symbol(core, balance)
    if symbol is None:
        raise ConfigError(f"balance={balance!r} is not an element symbol; give the element that makes up the "
                          f"rest to 100 wt% (e.g. balance='Fe' for steels, 'Ni' for nickel alloys), or "
                          f"balance=None if the columns list every element")
    return symbol


def _wt_percent(frame: pd.DataFrame, column: Hashable) -> np.ndarray:
    """The column as floats; a non-number, NaN, infinity or negative value is refused by its row."""
    series = frame[column]
    numeric = (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
               and not pd.api.types.is_complex_dtype(series))
    if not numeric:
        for position, value in enumerate(series):
            if not is_missing(value) and (isinstance(value, (bool, np.bool_)) or not isinstance(value, Real)):
                where = _where(column, _label(frame, position), position)
                raise DataError(f"{where} holds {value!r} ({type(value).__name__}), not a number; "
                                f"wt% contents must be numbers (convert the column with pd.to_numeric)")
    values = series.to_numpy(dtype=float, na_value=np.nan)
    for test, problem, fix in (
        (np.isnan(values), "is missing (NaN)", "fill it in (0 for an element that is absent) or drop the row"),
        (np.isinf(values), "is infinite", "correct the value or drop the row"),
        (values < 0, "is negative ({value:g})", "wt% contents must be 0 or more; correct the value or drop the row"),
    ):
        bad = np.flatnonzero(test)
        if bad.size:
            position = int(bad[0])
            more = f" (and {bad.size - 1} more row{'s' if bad.size > 2 else ''})" if bad.size > 1 else ""
            raise DataError(f"{_where(column, _label(frame, position), position)} "
                            f"{problem.format(value=values[position])}{more}; {fix}")
    return values


def _check_rows(frame: pd.DataFrame, totals: np.ndarray, bad: np.ndarray, problem: str, fix: str) -> None:
    """Refuse the rows flagged ``bad``, naming how many, the first one and its sum."""
    rows = np.flatnonzero(bad)
    if not rows.size:
        return
    position = int(rows[0])
    one = rows.size == 1
    count = "1 row" if one else f"{rows.size} rows"
    text = problem.format(s="s" if one else "ve", es="es" if one else "")
    raise DataError(f"{count} {text} (first: row {_label(frame, position)!r} (position {position}), "
                    f"sum {totals[position]:.6g} wt%); {fix}")


def _atomic_masses(symbols: Sequence[str]) -> np.ndarray:
    """Atomic masses (dalton) from pymatgen's table, through the cached element rows."""
    masses = element_values(list(symbols), resolve_properties(["atomic_weight"]))[:, 0]
    missing = [s for s, m in zip(symbols, masses) if not np.isfinite(m) or m <= 0]
    if missing:
        raise DataError(f"pymatgen has no atomic mass for {', '.join(missing)}; leave these elements out")
    return masses
