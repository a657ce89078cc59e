"""``select``: run the selection steps in a chain and collect one report."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lawfind._progress import ProgressCallback, no_progress
from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, DataError
from lawfind.features._base import BaseSelector, Task, _plain, check_cv, infer_task
from lawfind.features._registry import make_step, parse_steps
from lawfind.features._selection import REPORT_COLUMNS, Selection

__all__ = ["select"]


def select(
    data: Dataset | pd.DataFrame,
    target: str | None = None,
    steps: str | Sequence[str | BaseSelector] = "auto",
    task: Task | None = None,
    cv: int = 5,
    seed: int = 0,
    *,
    features: Sequence[str] | None = None,
    dropna: bool = False,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    progress: ProgressCallback = no_progress,
) -> Selection:
    """Choose the feature columns worth searching, recording why each column was kept or dropped.

    Parameters
    ----------
    data : Dataset or DataFrame
    target : str, optional
        The column to explain (required for a DataFrame).
    steps : "auto", "none", comma-separated names, or a list of names and step objects, default="auto"
        ``"auto"`` is ``constant, correlation, mutual_info, lasso``: missing / constant /
        near-constant columns, groups with |r| >= 0.95 (one representative each), the 20
        columns with the most mutual information with the target, then a
        cross-validated elastic-net (L1-logistic) path.  Also by name: ``sis``,
        ``stability``, ``rfecv``, ``permutation`` (the last three are slow).
    task : {"regression", "classification"}, optional
        The Dataset's task; for a DataFrame, classification when the target is text,
        boolean or has two values, regression otherwise.
    cv : int, default=5
        Folds of the cross-validated steps.
    seed : int, default=0
        Seed of folds, resamples and estimators.
    features : sequence of str, optional
        Candidate columns (default: every column but the target).
    dropna : bool, default=False
        Drop rows with missing values (after the ``constant`` step has dropped
        mostly-missing columns) instead of refusing them.
    options : mapping of step name to dict, optional
        Options of named steps, e.g. ``{"mutual_info": {"max_features": 10}}``.
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    Selection

    Raises
    ------
    DataError
        A one-class or constant target, too few rows for ``cv``, missing values without
        ``dropna``, or a step that would drop every feature (the message names it).
    ConfigError
        An unknown step or option.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame(rng.uniform(1, 2, (200, 4)), columns=["a", "b", "noise", "c"])
    >>> X["c"] = 1.0
    >>> X["y"] = 3 * X["a"] - 2 * X["b"] ** 2
    >>> sel = select(X, "y")
    >>> sel.kept
    ['a', 'b']
    >>> sel.report.set_index("feature").loc["c", "reason"]
    'constant (1 distinct value)'
    """
    started = time.monotonic()
    chain = parse_steps(steps)
    frame, target, candidates, task = _table(data, target, features, task)
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ConfigError(f"cv must be an integer number of folds >= 2, got {cv!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer, got {seed!r}")
    options = {str(k): dict(v) for k, v in (options or {}).items()}
    unknown = [k for k in options if k not in [s if isinstance(s, str) else s.step for s in chain]]
    if unknown:
        raise ConfigError(f"options given for step(s) {unknown} that are not run; the steps are "
                          f"{[s if isinstance(s, str) else s.step for s in chain]}")
    estimators = [make_step(s, task=task, cv=int(cv), seed=int(seed), options=options) for s in chain]

    y_all = frame[target]
    missing_y = int(y_all.isna().sum())
    if missing_y and not dropna:
        raise DataError(f"the target {target!r} has {missing_y} missing value(s); drop those rows or pass dropna=True")
    frame = frame.loc[y_all.notna()].reset_index(drop=True)
    dropped = missing_y
    _check_target(frame[target], target, task)
    for est in estimators:  # fail fast, before any slow step: too few rows for the folds
        if "cv" in est.get_params():
            check_cv(est.get_params()["cv"], frame[target].to_numpy(), task, est.step)

    current, decisions, names = frame[candidates], [], []
    for k, est in enumerate(estimators):
        progress(k / max(len(estimators), 1), f"selection: {est.step}")
        if est.needs_complete and dropna:
            bad = ~np.isfinite(current.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)).all(axis=1)
            if bad.any():
                current, frame = current.loc[~bad].reset_index(drop=True), frame.loc[~bad].reset_index(drop=True)
                dropped += int(bad.sum())
                _check_target(frame[target], target, task)
        est._progress_callback = (lambda f, m, k=k, name=est.step:
                                  progress((k + f) / len(estimators), f"selection: {name}, {m}"))
        try:
            est.fit(current, frame[target])
        finally:
            del est._progress_callback  # the fitted step stays a plain, picklable estimator
        current = est.transform(current)
        decisions.append(est.decisions_.assign(metric=est.metric))
        names.append(est.step)
    progress(1.0, "selection done")

    kept = list(current.columns)
    all_decisions = (pd.concat(decisions, ignore_index=True) if decisions else
                     pd.DataFrame(columns=["step", "feature", "kept", "score", "reason", "metric"]))
    return Selection(kept=kept, report=_report(candidates, all_decisions), decisions=all_decisions, steps=names,
                     target=target, task=task, n_rows=len(frame), dropped_rows=dropped,
                     seconds=time.monotonic() - started,
                     params={e.step: {p: v for p, v in e.get_params().items()} for e in estimators})


def _table(data: Any, target: str | None, features: Sequence[str] | None, task: Task | None
           ) -> tuple[pd.DataFrame, str, list[str], Task]:
    if isinstance(data, Dataset):
        if target is not None and target != data.target:
            raise ConfigError(f"target {target!r} differs from the Dataset's target {data.target!r}")
        if task is not None and task != data.task:
            raise ConfigError(f"task {task!r} differs from the Dataset's task {data.task!r}")
        frame, target, task = data.frame, data.target, data.task
        candidates = list(data.features) if features is None else [str(f) for f in features]
    elif isinstance(data, pd.DataFrame):
        frame = data.set_axis([str(c) for c in data.columns], axis=1)
        if target is None:
            raise ConfigError("target is required: name the column to explain, e.g. target='sigma_y'")
        if target not in frame.columns:
            raise DataError(f"target column {target!r} not found; columns are: {list(frame.columns)}")
        candidates = [c for c in frame.columns if c != target] if features is None else [str(f) for f in features]
    else:
        raise ConfigError(f"data must be a DataFrame or a lawfind Dataset, got {type(data).__name__}")
    if target in candidates:
        raise DataError(f"the target {target!r} is also listed as a feature; remove it from the features")
    missing = [c for c in candidates if c not in frame.columns]
    if missing:
        raise DataError(f"feature column(s) {missing} not found; columns are: {list(frame.columns)}")
    if not candidates:
        raise DataError(f"no feature columns to select from: the table only has the target {target!r}")
    if task is None:
        task = infer_task(frame[target])
    if task not in ("regression", "classification"):
        raise ConfigError(f"task must be 'regression' or 'classification', got {task!r}")
    return frame, target, candidates, task


def _check_target(y: pd.Series, target: str, task: Task) -> None:
    if task == "classification":
        if y.nunique() < 2:
            raise DataError(f"the target {target!r} has a single class ({_plain(y.iloc[0])!r} in {len(y)} rows); "
                            f"classification needs at least two")
        return
    if not (pd.api.types.is_numeric_dtype(y) and not pd.api.types.is_bool_dtype(y)):
        raise DataError(f"the target {target!r} is not numeric; for class labels use task='classification' (CLI: --task classification)")
    if y.nunique() < 2:
        raise DataError(f"the target {target!r} is constant ({_plain(y.iloc[0])!r}): no feature can explain it")


def _report(candidates: list[str], decisions: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate: the step that dropped it (or "kept") with that step's reason and score."""
    rows = []
    for name in candidates:
        seen = decisions[decisions["feature"] == name]
        dropped = seen[~seen["kept"].astype(bool)]
        if len(dropped):
            last = dropped.iloc[0]
            rows.append((name, last["step"], last["reason"], last["score"], last["metric"]))
        elif len(seen):
            last = seen.iloc[-1]
            rows.append((name, "kept", last["reason"], last["score"], last["metric"]))
        else:
            rows.append((name, "kept", "no selection (steps='none')", float("nan"), ""))
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    order = {s: i for i, s in enumerate(["kept", *dict.fromkeys(decisions["step"])])}
    report["_o"] = report["step"].map(order)
    report = report.sort_values(["_o", "score"], ascending=[True, False], kind="stable", na_position="last")
    return report.drop(columns="_o").reset_index(drop=True)


def select_dataset(dataset: Dataset, steps: str | Sequence[str | BaseSelector], *, cv: int = 5, seed: int = 0,
                   progress: ProgressCallback = no_progress) -> tuple[Dataset, Selection]:
    """Run :func:`select` on a dataset and return the dataset narrowed to the kept columns.

    Used by :func:`lawfind.discover` (``select=``): units of dropped columns are left
    out, the rows and the source are those of ``dataset``.
    """
    import dataclasses

    selection = select(dataset, steps=steps, cv=cv, seed=seed, progress=progress)
    used = {*selection.kept, dataset.target}
    narrowed = Dataset.from_frame(dataset.frame, dataset.target, selection.kept, task=dataset.task,
                                  units={k: v for k, v in dataset.units.items() if k in used}, source=dataset.source)
    return dataclasses.replace(narrowed, dropped_rows=dataset.dropped_rows), selection
