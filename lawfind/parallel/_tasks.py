"""``discover_many``: independent :func:`lawfind.discover` searches on an executor."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lawfind.data import Dataset
from lawfind.law import SnapTolerance
from lawfind._progress import ProgressCallback
from lawfind.parallel._executor import Errors, Executor, ExecutorKind, as_executor
from lawfind.run import Run
from lawfind.search import Engine, PickRule, make_engine

__all__ = ["SearchTask", "discover_many", "run_task", "engine_for_tasks"]


def engine_for_tasks(engine: str | Engine, options: Mapping[str, Any] | None = None, *,
                     threads: int | None) -> tuple[str | Engine, dict[str, Any]]:
    """The engine and options to give tasks that may use ``threads`` threads each.

    With ``threads=None`` (serial) they are returned as given.  Otherwise the engine is
    built here (so a bad option fails before any task starts) and, if it has an
    ``n_threads`` setting left at None ("all cores"), gets ``n_threads=threads``:
    parallel tasks then do not oversubscribe the machine.  The laws do not change:
    pyoperon's results for a seed and a generation budget do not depend on its thread
    count.

    Parameters
    ----------
    engine : str or Engine
    options : mapping, optional
        Options of a named engine.
    threads : int or None
        :attr:`Executor.task_threads`.

    Returns
    -------
    (engine, options)
        Options are empty once the engine is an instance.
    """
    options = dict(options or {})
    if threads is None:
        return engine, options
    instance = make_engine(engine, **options)
    if (dataclasses.is_dataclass(instance) and "n_threads" in {f.name for f in dataclasses.fields(instance)}
            and getattr(instance, "n_threads") is None):
        instance = dataclasses.replace(instance, n_threads=int(threads))
        instance.validate()
    return instance, {}


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
        the machine's load).  On a parallel executor an engine left at
        ``n_threads=None`` gets the executor's :attr:`~Executor.task_threads`.
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
                  errors: Errors = "raise", progress: ProgressCallback | None = None) -> list[Any]:
    """Run independent searches (seeds, folds, resamples, targets...) on an executor.

    Parameters
    ----------
    tasks : sequence of SearchTask
    executor : Executor, {"serial", "processes", "dask"} or None, default=None
        An executor you manage (left running), or a kind to start (and shut down) here;
        serial by default.
    errors : {"raise", "return"}, default="raise"
        See :meth:`Executor.map`.
    progress : callable, optional
        ``progress(fraction_done, message)`` as searches finish.

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
        if runner.task_threads is not None:
            tasks = [dataclasses.replace(task, **dict(zip(("engine", "engine_options"), engine_for_tasks(
                task.engine, task.engine_options, threads=runner.task_threads)))) for task in tasks]
        return runner.map(run_task, tasks, labels=labels, errors=errors, progress=progress)
    finally:
        if owned:
            runner.close()
