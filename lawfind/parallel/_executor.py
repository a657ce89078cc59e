"""Executors that run independent tasks serially, in local processes (joblib) or on Dask.

Every executor maps a function over items and returns the results in item order.  A
task that raises does not stop the others: once all have finished, the failures are
reported together with the task that failed (index and label) and the worker's error,
and the finished results are kept (:class:`TaskFailedError` ``.results``, or
``errors="return"`` to get :class:`TaskFailure` objects in place of the failed results).

Each executor also says how many threads one task may use (:attr:`Executor.task_threads`),
so that engines left at "all cores" do not oversubscribe the workers.
"""

from __future__ import annotations

import os
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError, SearchError

__all__ = ["Executor", "SerialExecutor", "ProcessExecutor", "make_executor", "as_executor",
           "TaskFailure", "TaskFailedError", "ExecutorKind"]

ExecutorKind = Literal["serial", "processes", "dask"]
_KINDS = ("serial", "processes", "dask")
Errors = Literal["raise", "return"]


@dataclass(frozen=True)
class TaskFailure:
    """One task that raised.

    Attributes
    ----------
    index : int
        Position of the item.
    label : str
    error : str
        ``"ExceptionType: message"`` as raised on the worker.
    exception : BaseException or None
        The exception itself when it could be sent back from the worker.
    traceback : str
    """

    index: int
    label: str
    error: str
    exception: BaseException | None = None
    traceback: str = ""


class TaskFailedError(SearchError):
    """Some tasks failed; ``failures`` says which and why, ``results`` keeps the rest.

    Attributes
    ----------
    failures : list of TaskFailure
    results : list
        One entry per item: the result, or the :class:`TaskFailure` of a failed item.
    """

    def __init__(self, failures: list[TaskFailure], results: list[Any]) -> None:
        first = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        super().__init__(f"{len(failures)} of {len(results)} tasks failed; first: task {first.index} "
                         f"({first.label}): {first.error}{more}")
        self.failures = failures
        self.results = results

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.failures, self.results))


class _Guarded:
    """Runs ``fn(item)`` on a worker and turns an exception into a :class:`TaskFailure`."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __call__(self, index: int, label: str, item: Any) -> Any:
        try:
            return self.fn(item)
        except Exception as exc:
            return TaskFailure(index, label, f"{type(exc).__name__}: {exc}", exc, traceback.format_exc())


class _Tracker:
    """Counts finished tasks and reports them to a progress callback."""

    def __init__(self, labels: list[str], progress: ProgressCallback | None) -> None:
        self.labels = labels
        self.progress = progress
        self.done = 0

    def __call__(self, index: int) -> None:
        self.done += 1
        if self.progress is not None:
            total = len(self.labels)
            self.progress(self.done / total, f"{self.labels[index]} done ({self.done}/{total})")


def _finish(results: list[Any], errors: Errors) -> list[Any]:
    failures = [r for r in results if isinstance(r, TaskFailure)]
    if failures and errors == "raise":
        raise TaskFailedError(failures, results)
    return results


def _labels(items: Sequence[Any], labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        return [f"task {i}" for i in range(len(items))]
    if len(labels) != len(items):
        raise ConfigError(f"{len(labels)} labels for {len(items)} items; give one label per item")
    return [str(label) for label in labels]


class Executor(ABC):
    """Runs independent tasks; use as a context manager to shut down what it started."""

    kind: ClassVar[str] = ""
    #: Tasks this executor has been given so far (over all :meth:`map` calls).
    tasks_run: int = 0

    @property
    def task_threads(self) -> int | None:
        """Threads one task may use (None: no limit, the task has the machine to itself)."""
        return None

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], *, labels: Sequence[str] | None = None,
            errors: Errors = "raise", progress: ProgressCallback | None = None) -> list[Any]:
        """``[fn(item) for item in items]``, possibly in parallel, in item order.

        Parameters
        ----------
        fn : callable
            Must be picklable for the process and Dask executors (a module-level
            function, or a closure over picklable values).
        items : sequence
        labels : sequence of str, optional
            Names of the tasks in failure reports (``"task {i}"`` by default).
        errors : {"raise", "return"}, default="raise"
            ``"raise"``: raise :class:`TaskFailedError` after all tasks ran if any failed.
            ``"return"``: put a :class:`TaskFailure` in place of each failed result.
        progress : callable, optional
            ``progress(fraction_done, message)`` each time a task finishes.

        Returns
        -------
        list
        """
        if errors not in ("raise", "return"):
            raise ConfigError(f"errors must be 'raise' or 'return', got {errors!r}")
        items = list(items)
        names = _labels(items, labels)
        if not items:
            return []
        self.tasks_run += len(items)
        return _finish(self._run(_Guarded(fn), items, names, _Tracker(names, progress)), errors)

    @abstractmethod
    def _run(self, guarded: _Guarded, items: list[Any], labels: list[str], done: _Tracker) -> list[Any]:
        """Results (or TaskFailure) per item, in order; ``done(index)`` as each task finishes."""

    def close(self) -> None:
        """Release workers this executor started (nothing for the serial one)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """Runs the tasks one after another in this process."""

    kind: ClassVar[str] = "serial"

    def _run(self, guarded: _Guarded, items: list[Any], labels: list[str], done: _Tracker) -> list[Any]:
        results = []
        for i, (label, item) in enumerate(zip(labels, items)):
            results.append(guarded(i, label, item))
            done(i)
        return results


class ProcessExecutor(Executor):
    """Runs the tasks in local worker processes (joblib's loky backend).

    Parameters
    ----------
    n_workers : int, optional
        Processes; the number of CPUs by default.  Each task may use
        ``CPUs // n_workers`` threads (at least 1); joblib limits the BLAS/OpenMP
        threads of its workers the same way.
    """

    kind: ClassVar[str] = "processes"

    def __init__(self, n_workers: int | None = None) -> None:
        self.n_workers = _check_workers(n_workers) or os.cpu_count() or 1
        self._used = False

    @property
    def task_threads(self) -> int:
        """``CPUs // n_workers``, at least 1."""
        return max(1, (os.cpu_count() or 1) // self.n_workers)

    def _run(self, guarded: _Guarded, items: list[Any], labels: list[str], done: _Tracker) -> list[Any]:
        from joblib import Parallel, delayed

        self._used = True
        results: list[Any] = []
        try:
            for result in Parallel(n_jobs=self.n_workers, backend="loky", return_as="generator")(
                    delayed(guarded)(i, label, item) for i, (label, item) in enumerate(zip(labels, items))):
                results.append(result)
                done(len(results) - 1)
        except Exception as exc:  # a worker process died (segfault, out of memory)
            error = f"worker process failed: {type(exc).__name__}: {exc}"
            results += [TaskFailure(i, labels[i], error) for i in range(len(results), len(items))]
        return results

    def close(self) -> None:
        if self._used:
            from joblib.externals.loky import get_reusable_executor

            get_reusable_executor().shutdown(wait=True)
            self._used = False


def _check_workers(n: int | None) -> int | None:
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ConfigError(f"the number of workers must be a positive integer or None, got {n!r}")
    return n


def make_executor(kind: ExecutorKind = "serial", n_workers: int | None = None,
                  scheduler: str | None = None, timeout: float | None = None) -> Executor:
    """An executor by kind.

    Parameters
    ----------
    kind : {"serial", "processes", "dask"}, default="serial"
    n_workers : int, optional
        Worker processes for ``"processes"`` and a local Dask cluster (CPUs by default).
    scheduler : str, optional
        ``"tcp://HOST:PORT"`` of an existing Dask cluster (``kind="dask"`` only).
    timeout : float, optional
        Seconds to wait for that scheduler (:class:`DaskExecutor`'s default otherwise).

    Returns
    -------
    Executor
        Use it as a context manager: ``with make_executor("dask", 2) as ex: ex.map(f, items)``.
    """
    if kind not in _KINDS:
        raise ConfigError(f"unknown executor kind {kind!r}; use one of {list(_KINDS)}")
    if (scheduler is not None or timeout is not None) and kind != "dask":
        raise ConfigError(f"scheduler and timeout are only used with kind='dask', not {kind!r}")
    if kind == "serial":
        _check_workers(n_workers)
        return SerialExecutor()
    if kind == "processes":
        return ProcessExecutor(n_workers)
    from lawfind.parallel._dask import DaskExecutor

    if scheduler is not None and n_workers is not None:
        raise ConfigError("n_workers starts a local cluster; with a scheduler address the cluster has its own workers")
    extra = {} if timeout is None else {"timeout": timeout}
    return DaskExecutor(scheduler=scheduler, local_workers=n_workers, **extra)


def as_executor(executor: Executor | ExecutorKind | None) -> tuple[Executor, bool]:
    """``(executor, owned)``: an instance as is (not owned), or a new one from a kind (owned, close it)."""
    if executor is None:
        return SerialExecutor(), True
    if isinstance(executor, Executor):
        return executor, False
    return make_executor(executor), True
