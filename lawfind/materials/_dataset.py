"""A :class:`~lawfind.data.Dataset` whose features are computed from a composition column (for discover)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from lawfind._progress import ProgressCallback, no_progress
from lawfind.data import Dataset, Task
from lawfind.exceptions import ConfigError, DataError
from lawfind.materials._composition import CompositionFeaturizer
from lawfind.materials._parse import is_missing

__all__ = ["composition_dataset", "read_table"]

DATASET_PREFIX = "datasets:"


def read_table(data: Any) -> tuple[pd.DataFrame, str, dict[str, Any]]:
    """The raw table of ``data`` (DataFrame, CSV path or ``"datasets:NAME"``), its source and registry facts."""
    if isinstance(data, Dataset):
        raise ConfigError(
            "composition= needs the raw table (a DataFrame, a CSV path or 'datasets:NAME'): a Dataset keeps only "
            "numeric columns; or featurize first with lawfind.materials.composition_features"
        )
    if isinstance(data, str) and data.startswith(DATASET_PREFIX):
        from lawfind.datasets import info, load

        name = data[len(DATASET_PREFIX):]
        entry = info(name)
        frame = load(name).reset_index(drop=True)
        return frame, data, {"target": entry.target, "task": entry.task, "units": entry.units}
    if isinstance(data, pd.DataFrame):
        return data, "<DataFrame>", {}
    if isinstance(data, (str, os.PathLike)):
        from lawfind.data._dataset import read_csv

        return read_csv(data), str(data), {}
    raise ConfigError(f"data must be a DataFrame, a CSV path or 'datasets:NAME', got {type(data).__name__}")


def composition_dataset(
    data: Any,
    target: str | None,
    features: Sequence[str] | None,
    composition: str | CompositionFeaturizer,
    *,
    dropna: bool = False,
    task: Task | None = None,
    units: Mapping[str, str] | None = None,
    progress: ProgressCallback = no_progress,
) -> tuple[Dataset, dict[str, Any]]:
    """Featurize ``data``'s composition column and build the Dataset to search.

    The composition column itself is not a feature.  Features are the composition
    features plus ``features`` (other columns; by default every column except the target
    and the composition).  The features' units are recorded for units-aware engines.

    Returns
    -------
    (Dataset, dict)
        The dataset and a JSON-ready record of the featurization (saved in the run).
    """
    featurizer = composition if isinstance(composition, CompositionFeaturizer) else CompositionFeaturizer(composition)
    frame, source, registry = read_table(data)
    where = f" in {source}" if source != "<DataFrame>" else ""
    column = featurizer.column
    if column not in frame.columns:
        raise DataError(f"composition column {column!r} not found{where}; columns are: "
                        f"{[str(c) for c in frame.columns]}")
    target = target if target is not None else registry.get("target")
    if target is None:
        raise ConfigError("target is required: name the column to explain, e.g. target='yield strength'")
    if target == column:
        raise ConfigError(f"the target {target!r} is the composition column; name another target column")
    if task is None:
        task = registry.get("task") if target == registry.get("target") else None
    blank = frame[column].map(is_missing).to_numpy(dtype=bool)
    if dropna and blank.any():
        frame = frame.loc[~blank]
    computed = featurizer.transform(frame, progress=progress)
    clash = [c for c in computed.columns if c in frame.columns]
    if clash:
        raise DataError(f"the table{where} already has column(s) {clash[:5]} that composition features would "
                        f"replace; rename them")
    if features is None:
        extra = [str(c) for c in frame.columns if c not in (target, column)]
    else:
        extra = [f for f in features if f != column]
    table = pd.concat([frame.drop(columns=[column]).reset_index(drop=True), computed.reset_index(drop=True)], axis=1)
    feature_units = dict(computed.attrs.get("units", {}))
    used = {*extra, target}
    all_units = {**{c: u for c, u in registry.get("units", {}).items() if c in used}, **feature_units, **(units or {})}
    dataset = Dataset.from_frame(table, target, [*extra, *computed.columns],
                                 task=task or "regression", units=all_units, dropna=dropna, source=source)
    if blank.any() and dropna:
        dataset = dataclasses.replace(dataset, dropped_rows=dataset.dropped_rows + int(blank.sum()))
    record = {**featurizer.to_dict(), "n_features": int(computed.shape[1]),
              "dropped_properties": computed.attrs.get("dropped_properties", {})}
    return dataset, record
