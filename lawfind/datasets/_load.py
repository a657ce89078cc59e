"""Read a registered dataset into a DataFrame (quirks handled) or a :class:`Dataset`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lawfind.data import Dataset, Task
from lawfind.datasets._fetch import path
from lawfind.datasets._info import DatasetInfo
from lawfind.datasets._registry import info
from lawfind.exceptions import ConfigError, DataError

__all__ = ["load", "load_dataset"]


def load(name: str) -> pd.DataFrame:
    """Read dataset ``name`` as a DataFrame, with the quirks of its file handled.

    The file is located (or downloaded) and verified by :func:`path`, then read
    with the entry's :class:`ReadOptions` (index column, missing-value markers,
    header fixes, documented cell corrections, integer labels).  The result is checked against the registry:
    the same columns in the same order and the documented number of rows.

    Parameters
    ----------
    name : str
        A registered dataset name.

    Returns
    -------
    DataFrame
        A new frame on every call (safe to modify).  Units and meanings of the
        columns are in ``info(name).columns``.

    Raises
    ------
    ConfigError
        If ``name`` is not registered.
    DataError
        If the file is unavailable, fails its checksum, or does not read as the
        registry describes.

    Examples
    --------
    >>> from lawfind import datasets
    >>> frame = datasets.load("octet_binaries")  # doctest: +SKIP
    >>> frame.shape  # doctest: +SKIP
    (82, 27)
    """
    entry = info(name)
    file = path(name)
    try:
        frame = pd.read_csv(file, **entry.read.pandas_kwargs())
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"dataset {name!r}: {str(file)!r} could not be read: {first}") from None
    if entry.read.strip_header:
        frame.columns = [str(c).strip() for c in frame.columns]
    _check_shape(frame, entry)
    for column, written, meant in entry.read.value_fixes:
        hits = frame[column] == written
        if not hits.any():
            raise DataError(
                f"dataset {name!r}: expected the value {written!r} in column {column!r} to correct, found none"
            )
        frame.loc[hits, column] = meant
    for column in entry.read.integer_columns:
        frame[column] = _as_integers(frame[column], entry, column)
    _check_numeric(frame, entry)
    return frame


def load_dataset(
    name: str,
    target: str | None = None,
    features: Sequence[str] | None = None,
    *,
    task: Task | None = None,
    dropna: bool = False,
) -> Dataset:
    """Load dataset ``name`` as a validated :class:`~lawfind.data.Dataset`.

    Parameters
    ----------
    name : str
        A registered dataset name.
    target : str, optional
        Column to predict; default: the registry's target.
    features : sequence of str, optional
        Feature columns; default: the registry's default features.  Datasets whose
        inputs are only formula or element strings have none and need this.
    task : {"regression", "classification"}, optional
        Default: the registry's task for the registry's target; for another target,
        "classification" when the column is boolean or text, else "regression"
        (pass ``task="classification"`` for integer-coded labels).
    dropna : bool, default=False
        Drop rows with missing values in the used columns (else they are refused).

    Returns
    -------
    Dataset
        With the registry's units (pint syntax) for the used columns and
        ``source="datasets:<name>"``.

    Raises
    ------
    ConfigError
        If ``name`` is unknown, or no target/features are given where the registry
        has no default.
    DataError
        If the data are unavailable or the columns cannot be used (see
        :meth:`Dataset.from_frame`).

    Examples
    --------
    >>> from lawfind import datasets
    >>> data = datasets.load_dataset("octet_binaries")  # doctest: +SKIP
    >>> data.target, data.units[data.target]  # doctest: +SKIP
    ('delta_E_RS_minus_ZB_eV_per_atom', 'eV')
    """
    entry = info(name)
    if target is None:
        if entry.target is None:
            raise ConfigError(
                f"dataset {name!r} is a reference table with no default target; pass target= one of "
                f"{entry.column_names}"
            )
        target = entry.target
    if features is None:
        if not entry.features:
            raise ConfigError(
                f"dataset {name!r} has no default numeric features (its inputs are formula or element "
                f"strings); pass features= a list of numeric columns among {entry.column_names}"
            )
        if target in entry.features:
            raise ConfigError(
                f"the target {target!r} is one of dataset {name!r}'s default features "
                f"{list(entry.features)}; pass features= explicitly"
            )
        features = list(entry.features)
    frame = load(name)
    if task is None:
        if target == entry.target:
            task = entry.task
        elif target in frame.columns:
            column = frame[target]
            is_label = pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column)
            task = "classification" if is_label else "regression"
    used = {*features, target}
    units = {column: unit for column, unit in entry.units.items() if column in used}
    return Dataset.from_frame(
        frame.reset_index(drop=True), target, list(features), task=task or "regression", units=units,
        dropna=dropna, source=f"datasets:{name}",
    )


def _check_shape(frame: pd.DataFrame, entry: DatasetInfo) -> None:
    columns = [str(c) for c in frame.columns]
    if columns != entry.column_names:
        raise DataError(
            f"dataset {entry.name!r}: the file has columns {columns}, the registry expects "
            f"{entry.column_names}"
        )
    if len(frame) != entry.n_rows:
        raise DataError(f"dataset {entry.name!r}: the file has {len(frame)} rows, the registry expects {entry.n_rows}")


def _as_integers(values: pd.Series, entry: DatasetInfo, column: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    whole = np.isfinite(numbers) & (numbers == np.round(numbers))
    if not whole.all():
        bad = values[~whole].unique()[:5].tolist()
        raise DataError(f"dataset {entry.name!r}: column {column!r} should hold whole-number labels, found {bad}")
    return numbers.astype("int64")


def _check_numeric(frame: pd.DataFrame, entry: DatasetInfo) -> None:
    # a column with a unit must have parsed as numbers (catches unhandled markers such as '-')
    types = pd.api.types
    bad = [c for c in entry.units if not types.is_numeric_dtype(frame[c]) or types.is_bool_dtype(frame[c])]
    if bad:
        raise DataError(f"dataset {entry.name!r}: column(s) {bad} have units but did not read as numbers")
