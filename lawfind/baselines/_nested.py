"""Law versus black boxes under nested cross-validation: the law *search* is rerun in each outer fold."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from lawfind.baselines._cv import (
    CVLike,
    cross_validate_baselines,
    fold_scores,
    make_folds,
    summarize,
    table_columns,
    undefined_predictions_note,
)
from lawfind.data import Dataset
from lawfind.exceptions import ConfigError
from lawfind.law import Law

if TYPE_CHECKING:
    from lawfind.parallel import Executor, ExecutorKind

__all__ = ["NestedResult", "nested_cross_validate"]


@dataclass
class NestedResult:
    """What :func:`nested_cross_validate` measured.

    Attributes
    ----------
    table : DataFrame
        One row for the law search (``kind="law search"``) then one per black box, all on
        the same outer folds (columns of :func:`table_columns`).
    folds : DataFrame
        One row per outer fold: the law found on its training part, its complexity and
        number of constants, the held-out scores, ``n_undefined`` (held-out rows where the
        law gives no finite value, which make that fold's regression scores NaN; the law
        row's note names them) and the search seconds.
    laws : list of Law
        The law picked in each outer fold (refit on that fold's training rows only).
    indices : list of (train, test)
        The outer folds.
    """

    table: pd.DataFrame
    folds: pd.DataFrame
    laws: list[Law] = field(default_factory=list)
    indices: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    def law_row(self) -> pd.Series:
        """The table row of the law search."""
        return self.table[self.table["kind"] == "law search"].iloc[0]


@dataclass(frozen=True)
class _FoldSearch:
    """The law search of one outer fold, sent to a worker."""

    data: Dataset
    k: int
    train: np.ndarray
    engine: Any
    time_limit: float
    seed: int
    options: dict[str, Any]


def _search_fold(job: _FoldSearch) -> tuple[Law, float]:
    """Run the law search on one outer training fold (on a worker): the picked law and the seconds."""
    from lawfind._discover import discover

    data = job.data
    frame = data.frame.reset_index(drop=True)
    part = Dataset.from_frame(frame.iloc[job.train].reset_index(drop=True), data.target, list(data.features),
                              task=data.task, units=data.units, source=f"{data.source} (outer fold {job.k})")
    started = time.perf_counter()
    run = discover(part, engine=job.engine, time_limit=job.time_limit, seed=job.seed, **job.options)
    return run.best, time.perf_counter() - started


def _split_options(options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(discover keywords, engine options)`` of the ``**engine_options`` of nested_cross_validate."""
    from lawfind._discover import discover

    own = {name for name, p in inspect.signature(discover).parameters.items() if p.kind is p.KEYWORD_ONLY}
    return ({k: v for k, v in options.items() if k in own}, {k: v for k, v in options.items() if k not in own})


def nested_cross_validate(
    data: Dataset,
    *,
    cv: CVLike = 5,
    engine: Any = "sparse",
    time_limit: float = 10.0,
    seed: int = 0,
    models: Sequence[str] | Mapping[str, BaseEstimator] | None = None,
    baselines: bool = True,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor | ExecutorKind | None = None,
    **engine_options: Any,
) -> NestedResult:
    """Compare the law *search* with black boxes on the same outer folds.

    For each outer fold, :func:`lawfind.discover` runs on the training rows only (its
    own choices — term count, pick from the front — use those rows alone), and the
    picked law is scored on the held-out rows.  The black boxes are fit and scored on
    the same folds (their own small hyper-parameter searches run inside each training
    fold), so both rows of the table estimate the error of the whole procedure.

    Parameters
    ----------
    data : Dataset
    cv : int, splitter or list of (train, test), default=5
    engine : str or Engine, default="sparse"
    time_limit : float, default=10.0
        Seconds of search per outer fold.
    seed : int, default=0
        Seed of the folds and of the searches (fold ``k`` uses ``seed + k``).
    models : sequence of str or mapping, optional
        Black boxes (see :func:`default_models`).
    baselines : bool, default=True
        False scores the law search only.
    progress : callable, optional
        ``progress(done, total)`` after each outer fold.
    executor : Executor, {"serial", "processes", "dask"} or None, default=None
        Where the outer-fold searches run (:mod:`lawfind.parallel`); serially by
        default.  A kind string starts (and afterwards stops) that executor; an
        :class:`~lawfind.parallel.Executor` you pass is left running.  The laws are the
        same on every executor for deterministic searches (the sparse and sisso
        engines, or ``OperonEngine(generations=...)``); ``search_seconds`` are measured
        where each search ran.  The black boxes are fit here, after the searches.
    **engine_options
        Passed to :func:`lawfind.discover` (e.g. ``max_terms=10, method="omp"``).

    Returns
    -------
    NestedResult
    """
    from lawfind.parallel import as_executor, engine_for_tasks
    from lawfind.search import make_engine

    if not isinstance(data, Dataset):
        raise ConfigError(f"nested_cross_validate needs a lawfind Dataset, got {type(data).__name__}")
    task = data.task
    frame = data.frame.reset_index(drop=True)
    y = frame[data.target].to_numpy(dtype=float if task == "regression" else object)
    folds = make_folds(y, task=task, cv=cv, seed=seed)
    search_options, own_options = _split_options(engine_options)
    base_engine = make_engine(engine, **own_options)  # a bad engine option fails here, once, before any search
    runner, owned = as_executor(executor)
    try:
        fold_engine, _ = engine_for_tasks(base_engine, threads=runner.task_threads)
        jobs = [_FoldSearch(data, k, train, fold_engine, time_limit, seed + k, search_options)
                for k, (train, _) in enumerate(folds)]
        report = None if progress is None else (lambda fraction, message: progress(round(fraction * len(folds)),
                                                                                    len(folds)))
        found = runner.map(_search_fold, jobs, labels=[f"outer fold {k}" for k in range(len(folds))],
                           progress=report)
    finally:
        if owned:
            runner.close()
    scores, rows, laws, seconds, predictions = [], [], [], [], []
    for k, ((train, test), (law, spent)) in enumerate(zip(folds, found)):
        seconds.append(spent)
        predicted = law.predict(frame.iloc[test])
        fold = fold_scores(y[test], predicted, task)
        scores.append(fold)
        laws.append(law)
        undefined = 0
        if task == "regression":
            predictions.append(np.asarray(predicted, dtype=float))
            undefined = int(np.sum(~np.isfinite(predictions[-1])))
        rows.append({"fold": k, "n_train": len(train), "n_test": len(test), "law": law.equation(4),
                     "complexity": law.complexity, "n_constants": len(law.constants), **fold,
                     "n_undefined": undefined, "search_seconds": seconds[-1]})
    sizes = [len(law.constants) for law in laws]
    engine_name = engine if isinstance(engine, str) else getattr(engine, "name", type(engine).__name__)
    note = undefined_predictions_note(
        predictions, f"search rerun in each outer training fold; {min(sizes)}–{max(sizes)} constants")
    law_row = summarize(f"law search ({engine_name})", "law search", task, scores, seconds=float(np.mean(seconds)),
                        size=float(np.mean(sizes)), size_unit="constants", note=note)
    table = pd.DataFrame([law_row], columns=table_columns(task))
    if baselines:
        boxes = cross_validate_baselines(data.X, data.y, task=task, cv=folds, models=models, seed=seed)
        table = pd.concat([table, boxes], ignore_index=True)
    return NestedResult(table=table, folds=pd.DataFrame(rows), laws=laws, indices=folds)
