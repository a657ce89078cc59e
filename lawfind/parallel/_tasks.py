"""``discover_many``: independent :func:`lawfind.discover` searches on an executor."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lawfind.data import Dataset
from lawfind.law import SnapTolerance
from lawfind.parallel._executor import Errors, Executor, ExecutorKind, as_executor
from lawfind.run import Run
from lawfind.search import Engine, PickRule

__all__ = ["SearchTask", "discover_many"]


@dataclass
class SearchTask:
    """The arguments of one :func:`lawfind.discover` call.

    Parameters
    ----------
    data : Dataset, DataFrame, path or ``"datasets:NAME"``
        A path must be readable by the worker that runs the task.
    target : str, optional
    features : sequence of str, optional
    engine : str or Engine, default="operon"
        For reproducible results use a deterministic budget, e.g.
        ``OperonEngine(generations=50, n_threads=1)`` (time-limited searches depend on
        the machine's load).  Use one thread per engine when workers share a machine.
    engine_options : dict, optional
        Options of a named engine.
    time_limit : float, default=30.0
    seed : int, default=0
    rule : PickRule, optional
    snap : SnapTolerance or None, default=SnapTolerance()
    dropna : bool, default=False
    label : str, optional
        Names the task in failure reports (``"task {i}"`` by default).
    """

    data: Dataset | pd.DataFrame | str | os.PathLike[str]
    target: str | None = None
    features: Sequence[str] | None = None
    engine: str | Engine = "operon"
    engine_options: dict[str, Any] = field(default_factory=dict)
    time_limit: float = 30.0
    seed: int = 0
    rule: PickRule | None = None
    snap: SnapTolerance | None = field(default_factory=SnapTolerance)
    dropna: bool = False
    label: str | None = None


def run_task(task: SearchTask) -> Run:
    """Run one task with :func:`lawfind.discover` (on a worker)."""
    from lawfind._discover import discover

    return discover(task.data, task.target, task.features, engine=task.engine, time_limit=task.time_limit,
                    seed=task.seed, rule=task.rule, snap=task.snap, dropna=task.dropna, **task.engine_options)


def discover_many(tasks: Sequence[SearchTask], *, executor: Executor | ExecutorKind | None = None,
                  errors: Errors = "raise") -> list[Any]:
    """Run independent searches (seeds, folds, resamples, targets...) on an executor.

    Parameters
    ----------
    tasks : sequence of SearchTask
    executor : Executor, {"serial", "processes", "dask"} or None, default=None
        An executor you manage (left running), or a kind to start (and shut down) here;
        serial by default.
    errors : {"raise", "return"}, default="raise"
        See :meth:`Executor.map`.

    Returns
    -------
    list of Run
        In task order (with :class:`TaskFailure` entries for failed tasks when
        ``errors="return"``).  Runs are not saved; call ``run.save(path)``.

    Raises
    ------
    TaskFailedError
        With ``errors="raise"`` when a task failed; its ``results`` keep the finished runs.

    Examples
    --------
    >>> from lawfind import OperonEngine, make_demo
    >>> from lawfind.parallel import SearchTask, discover_many, make_executor
    >>> data = make_demo("hall_petch", n=100)
    >>> tasks = [SearchTask(data, "sigma_y [MPa]", engine=OperonEngine(generations=20, n_threads=1), seed=s)
    ...          for s in range(4)]
    >>> with make_executor("dask", n_workers=2) as ex:  # doctest: +SKIP
    ...     runs = discover_many(tasks, executor=ex)
    """
    tasks = list(tasks)
    for i, task in enumerate(tasks):
        if not isinstance(task, SearchTask):
            raise TypeError(f"task {i} must be a SearchTask, got {type(task).__name__}")
    labels = [task.label or f"task {i}" for i, task in enumerate(tasks)]
    runner, owned = as_executor(executor)
    try:
        return runner.map(run_task, tasks, labels=labels, errors=errors)
    finally:
        if owned:
            runner.close()
