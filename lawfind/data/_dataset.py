"""The :class:`Dataset`: a validated table of descriptors and one target."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError, DataError

__all__ = ["Dataset", "Task", "MIN_ROWS"]

Task = Literal["regression", "classification"]
MIN_ROWS = 5
_TASKS = ("regression", "classification")


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated table: named numeric features, one target, a task and optional units.

    Build it with :meth:`from_frame` or :meth:`from_csv`; both check everything up
    front and raise :class:`~lawfind.exceptions.DataError` with one clear message.

    Attributes
    ----------
    frame : DataFrame
        The feature and target columns, cleaned (rows dropped only with ``dropna``).
    target : str
        The target column.
    features : tuple of str
        The feature columns, in order; feature *i* is the internal symbol ``x{i}``.
    task : {"regression", "classification"}
    units : dict of str to str
        Units of some columns (pint syntax), e.g. ``{"d": "um", "sigma_y": "MPa"}``.
    source : str
        Where the data came from (a path or ``"<DataFrame>"``).
    dropped_rows : int
        Rows removed because of missing or infinite values (``dropna=True``).
    """

    frame: pd.DataFrame
    target: str
    features: tuple[str, ...]
    task: Task = "regression"
    units: dict[str, str] = field(default_factory=dict)
    source: str = "<DataFrame>"
    dropped_rows: int = 0

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        target: str,
        features: Sequence[str] | None = None,
        *,
        task: Task = "regression",
        units: Mapping[str, str] | None = None,
        dropna: bool = False,
        source: str = "<DataFrame>",
    ) -> "Dataset":
        """Validate ``frame`` and build a dataset.

        Parameters
        ----------
        frame : DataFrame
        target : str
            Column to predict.
        features : sequence of str, optional
            Feature columns; by default every column except the target.
        task : {"regression", "classification"}, default="regression"
        units : mapping of str to str, optional
            Units of some columns, checked with pint.
        dropna : bool, default=False
            Drop rows with missing or infinite values instead of refusing them.
        source : str, default="<DataFrame>"
            Shown in messages and recorded in runs.
        """
        where = f" in {source}" if source != "<DataFrame>" else ""
        if not isinstance(frame, pd.DataFrame):
            raise DataError(f"expected a pandas DataFrame, got {type(frame).__name__}")
        if task not in _TASKS:
            raise ConfigError(f"task must be one of {list(_TASKS)}, got {task!r}")
        unnamed = [i for i, c in enumerate(frame.columns) if c is None or (isinstance(c, float) and np.isnan(c))
                   or not str(c).strip()]
        if unnamed:
            raise DataError(f"column(s) at position(s) {unnamed}{where} have no name; give every column a name")
        columns = [str(c) for c in frame.columns]
        duplicates = sorted({c for c in columns if columns.count(c) > 1})
        if duplicates:
            raise DataError(f"duplicate column names{where}: {duplicates}; rename them so each is unique")
        frame = frame.set_axis(columns, axis=1)
        if frame.shape[1] == 0:
            raise DataError(f"the table{where} has no columns")
        if not isinstance(target, str) or target not in columns:
            hint = "; is the first line a header row?" if all(_is_number(c) for c in columns) else ""
            raise DataError(f"target column {target!r} not found{where}; columns are: {columns}{hint}")
        if features is None:
            features = [c for c in columns if c != target]
        else:
            features = [str(f) for f in features]
            if target in features:
                raise DataError(f"the target {target!r} is also listed as a feature; remove it from the features")
            missing = [f for f in features if f not in columns]
            if missing:
                raise DataError(f"feature column(s) {missing} not found{where}; columns are: {columns}")
            repeated = sorted({f for f in features if features.count(f) > 1})
            if repeated:
                raise DataError(f"feature(s) {repeated} listed more than once")
        if not features:
            raise DataError(f"no feature columns{where}: the table only has the target {target!r}")
        data = frame[list(features) + [target]].copy()

        non_numeric = [c for c in features if not _is_numeric(data[c])]
        if non_numeric:
            examples = ", ".join(f"{c!r} has {_first_non_number(data[c])!r}" for c in non_numeric[:5])
            raise DataError(
                f"non-numeric feature column(s){where}: {non_numeric} ({examples}); encode them as numbers "
                f"or leave them out with --features"
            )
        if task == "regression" and not _is_numeric(data[target]):
            raise DataError(
                f"the target {target!r}{where} is not numeric (it has {_first_non_number(data[target])!r}); "
                f"clean it, or for class labels use task='classification' (CLI: --task classification)"
            )
        numeric_cols = list(features) + ([target] if task == "regression" else [])
        data[numeric_cols] = data[numeric_cols].astype(float)
        bad = ~np.isfinite(data[numeric_cols].to_numpy(dtype=float)).all(axis=1)
        if task == "classification":
            bad |= data[target].isna().to_numpy()
        dropped = int(bad.sum())
        if dropped:
            bad_cols = [c for c in numeric_cols if not np.isfinite(data[c].to_numpy(dtype=float)).all()]
            if not dropna:
                raise DataError(
                    f"{dropped} row(s){where} have missing (NaN) or infinite values in {bad_cols}; "
                    f"clean them or pass dropna=True (CLI: --dropna) to drop those rows"
                )
            data = data.loc[~bad].reset_index(drop=True)
        if len(data) < MIN_ROWS:
            raise DataError(f"only {len(data)} usable row(s){where}; at least {MIN_ROWS} are needed")
        if task == "regression" and np.ptp(data[target].to_numpy(dtype=float)) == 0:
            raise DataError(f"the target {target!r} is constant ({_plain(data[target].iloc[0])!r}): there is no law to find")
        if task == "classification" and data[target].nunique() < 2:
            raise DataError(f"the target {target!r} has a single class; classification needs at least two")
        clean_units = _check_units(units or {}, list(features) + [target], columns)
        return cls(data, target, tuple(features), task, clean_units, source, dropped)

    @classmethod
    def from_csv(
        cls,
        path: str | os.PathLike[str],
        target: str,
        features: Sequence[str] | None = None,
        **kwargs,
    ) -> "Dataset":
        """Read a CSV file and validate it (see :meth:`from_frame` for the options)."""
        return cls.from_frame(read_csv(path), target, features, source=str(path), **kwargs)

    # ----------------------------------------------------------------- views
    @property
    def X(self) -> np.ndarray:  # noqa: N802 (scientific convention)
        """Features as a C-contiguous, writeable float array (pyoperon needs both)."""
        return np.ascontiguousarray(self.frame[list(self.features)].to_numpy(dtype=float, copy=True))

    @property
    def y(self) -> np.ndarray:
        """The target as a writeable array (float for regression)."""
        values = self.frame[self.target].to_numpy(copy=True)
        return values.astype(float) if self.task == "regression" else values

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.frame)

    @property
    def variables(self) -> dict[str, str]:
        """Internal symbol name -> feature column name (``{"x0": features[0], ...}``)."""
        return {f"x{i}": name for i, name in enumerate(self.features)}

    def data_hash(self) -> str:
        """SHA-256 of the used columns, written as CSV with full float precision."""
        buffer = io.StringIO()
        self.frame.to_csv(buffer, index=False, float_format="%.17g")
        return "sha256:" + hashlib.sha256(buffer.getvalue().encode()).hexdigest()

    def describe(self) -> dict[str, object]:
        """A JSON-ready summary (recorded in every run)."""
        return {
            "source": self.source,
            "target": self.target,
            "features": list(self.features),
            "task": self.task,
            "units": dict(self.units),
            "n_rows": self.n_rows,
            "dropped_rows": self.dropped_rows,
            "hash": self.data_hash(),
        }


def _is_numeric(series: pd.Series) -> bool:
    """Real numbers (not booleans; complex numbers would lose their imaginary part)."""
    return (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
            and not pd.api.types.is_complex_dtype(series))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value (messages show ``5.0``, not ``np.float64(5.0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _first_non_number(series: pd.Series) -> object:
    """The first value of ``series`` that is not a number (shown in messages)."""
    if pd.api.types.is_bool_dtype(series):
        return bool(series.iloc[0]) if len(series) else True
    for value in series:
        if not isinstance(value, (int, float, np.number)) and not (isinstance(value, str) and _is_number(value)):
            return _plain(value)
    return series.iloc[0] if len(series) else None


def _check_units(units: Mapping[str, str], columns: list[str], table: list[str]) -> dict[str, str]:
    """Check ``units`` against the used ``columns`` (features, then the target) among the ``table``'s columns."""
    if not units:
        return {}
    if not isinstance(units, Mapping):
        raise DataError(f"units must map column names to pint units, e.g. {{'d': 'um', 'T (K)': 'kelvin'}}; "
                        f"got {type(units).__name__} {units!r}")
    unused = [c for c in units if c not in columns and c in table]
    if unused:
        raise DataError(f"units given for column(s) {unused}, which are in the data but not among the features "
                        f"{columns[:-1]} (or the target); add them to the features (CLI: --features) or "
                        f"leave their units out")
    unknown = [c for c in units if c not in columns]
    if unknown:
        raise DataError(f"units given for column(s) {unknown} that are not in the data; columns: {table}")
    from lawfind.law._units import unit_problem

    for column, unit in units.items():
        problem = unit_problem(str(unit))
        if problem is not None:
            raise DataError(f"unit {unit!r} of column {column!r} is not understood by pint: {problem}; write it in "
                            "pint syntax, e.g. 'eV', 'angstrom', 'MPa' or 'dimensionless'")
    return {str(k): str(v) for k, v in units.items()}


def _unit_registry():
    """lawfind's pint registry (one for datasets, exports, the units check and sisso)."""
    from lawfind.law._units import unit_registry

    return unit_registry()


def read_csv(path: str | os.PathLike[str], *, min_columns: int = 2) -> pd.DataFrame:
    """Read a CSV file with clear errors for missing, empty, binary, JSON or malformed files.

    Duplicate header names are refused (pandas would silently rename them).  A table
    for a search needs ``min_columns=2`` (a target and a feature); one to predict on
    may have a single column.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"file {str(path)!r} does not exist")
    if path.is_dir():
        raise DataError(f"{str(path)!r} is a folder, not a CSV file")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DataError(f"file {str(path)!r} is not a CSV file (it is binary); export the table as CSV")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"file {str(path)!r} is not a UTF-8 text CSV file; save it as CSV (UTF-8)") from None
    if not text.strip():
        raise DataError(f"file {str(path)!r} is empty; a CSV with a header row and data rows is needed")
    if _is_json(text):
        raise DataError(
            f"file {str(path)!r} is JSON, not CSV; convert it, e.g. pandas.read_json(path).to_csv(out, index=False)"
        )
    header = next(csv.reader(io.StringIO(text)), [])
    header = [h.strip() for h in header]
    unnamed = [i + 1 for i, h in enumerate(header) if not h]
    if unnamed and len(header) > 1:
        raise DataError(
            f"column(s) {unnamed} of {str(path)!r} have no name in the header row (an index written by pandas, "
            f"or a trailing comma?); name or remove them"
        )
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise DataError(f"duplicate column names in {str(path)!r}: {duplicates}; rename them so each is unique")
    try:
        frame = pd.read_csv(io.StringIO(text), skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"file {str(path)!r} is not a readable CSV file: {first}") from None
    if frame.shape[1] < min_columns:
        raise DataError(
            f"file {str(path)!r} has {frame.shape[1]} column; a CSV with a header row, a target and at "
            f"least one feature column, separated by commas, is needed"
        )
    if len(frame) == 0:
        raise DataError(f"file {str(path)!r} has a header but no data rows; it is not a usable CSV table")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _is_json(text: str) -> bool:
    start = text.lstrip()[:1]
    if start not in ("{", "["):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
