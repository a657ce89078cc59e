"""Reopen the training data of a run and check it is the table the run was trained on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from lawfind.data import Dataset
from lawfind.exceptions import DataError, RunError
from lawfind.run import Run

__all__ = ["open_training_data", "DATASET_PREFIX"]

#: ``run.data["source"]`` of built-in datasets is ``"datasets:<name>"``.
DATASET_PREFIX = "datasets:"


def open_training_data(run: Run, data: Dataset | pd.DataFrame | str | os.PathLike[str] | None = None) -> Dataset:
    """The run's training data, verified against the SHA-256 hash recorded in the run.

    Parameters
    ----------
    run : Run
    data : Dataset, DataFrame, path or ``"datasets:<name>"``, optional
        Where to read the data instead of ``run.data["source"]`` (for data that moved).
        The run's target, features, task, units and NaN handling are applied to it.

    Returns
    -------
    Dataset
        Identical (same hash) to the data the run was trained on.

    Raises
    ------
    RunError
        If the data cannot be found or read, or differ from the training data.
    """
    described = run.data
    where = f"run {str(run.path)!r}" if run.path else "the run"
    try:
        target, features = described["target"], list(described["features"])
        recorded = described["hash"]
    except (KeyError, TypeError):
        raise RunError(f"{where} does not record its data (target, features and hash); it cannot be reopened") from None
    source = described.get("source", "<DataFrame>") if data is None else data
    hint = "pass the original table with --data PATH (API: data=...)"
    options: dict[str, Any] = {
        "task": described.get("task", "regression"),
        "dropna": bool(described.get("dropped_rows", 0)),
    }
    label = source if isinstance(source, (str, os.PathLike)) else f"the given {type(source).__name__}"
    try:
        dataset = _read(source, target, features, dict(described.get("units") or {}), options, where, hint)
    except DataError as exc:
        raise RunError(f"cannot reopen the training data of {where} from {str(label)!r}: {exc}; {hint}") from None
    found = dataset.data_hash()
    if found != recorded:
        raise RunError(
            f"the data at {str(label)!r} differ from the data {where} was trained on (hash {found[:19]}… "
            f"instead of {str(recorded)[:19]}…); the file changed or is another table: {hint}"
        )
    return dataset


def _read(source: Any, target: str, features: list[str], units: dict[str, str], options: dict[str, Any],
          where: str, hint: str) -> Dataset:
    if isinstance(source, Dataset):
        return Dataset.from_frame(source.frame, target, features, units=units, source=source.source, **options)
    if isinstance(source, pd.DataFrame):
        return Dataset.from_frame(source, target, features, units=units, **options)
    if not isinstance(source, (str, os.PathLike)):
        raise RunError(f"data must be a Dataset, a DataFrame or a path, not {type(source).__name__}")
    text = str(source)
    if text.startswith(DATASET_PREFIX):
        from lawfind.datasets import load_dataset

        return load_dataset(text[len(DATASET_PREFIX):], target, features, task=options["task"],
                            dropna=options["dropna"])
    if text == "<DataFrame>":
        raise RunError(f"{where} was trained on an in-memory DataFrame, which was not saved; {hint}")
    if not Path(text).exists():
        raise RunError(f"the training data of {where} were read from {text!r}, which no longer exists; {hint}")
    return Dataset.from_csv(text, target, features, units=units, **options)
