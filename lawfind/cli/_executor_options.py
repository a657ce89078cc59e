"""The scale-out options shared by commands that run independent searches.

``--workers N`` (local processes), ``--dask-local N`` (a LocalCluster on 127.0.0.1 with
N single-threaded workers) or ``--dask-scheduler tcp://HOST:PORT`` (an existing Dask
cluster); none of them: serial.  A command declares the three parameters with the
aliases below and opens the executor with :func:`open_executor`.
"""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator
from typing import Annotated, Optional

import typer

from lawfind.exceptions import ConfigError
from lawfind.parallel import Executor, SerialExecutor, check_scheduler_address

__all__ = ["WorkersOption", "DaskLocalOption", "DaskSchedulerOption", "open_executor", "describe_executor"]

WorkersOption = Annotated[Optional[int], typer.Option(
    "--workers", help="Run the independent searches in N local worker processes (default: one after another).")]
DaskLocalOption = Annotated[Optional[int], typer.Option(
    "--dask-local", help="Run the independent searches on a Dask LocalCluster of N workers on 127.0.0.1 "
                         "(needs the dask extra).")]
DaskSchedulerOption = Annotated[Optional[str], typer.Option(
    "--dask-scheduler", help="Run the independent searches on an existing Dask cluster, e.g. tcp://HOST:8786.")]


def _positive(value: int | None, option: str) -> int | None:
    if value is not None and value < 1:
        raise ConfigError(f"{option} must be a positive number of workers, got {value}")
    return value


def check_executor_options(workers: int | None, dask_local: int | None, dask_scheduler: str | None) -> None:
    """Raise :class:`ConfigError` for a bad or conflicting choice (before any work starts)."""
    given = [name for name, value in (("--workers", workers), ("--dask-local", dask_local),
                                      ("--dask-scheduler", dask_scheduler)) if value is not None]
    if len(given) > 1:
        raise ConfigError(f"{' and '.join(given)} are alternatives; give one of them")
    _positive(workers, "--workers")
    _positive(dask_local, "--dask-local")
    if dask_scheduler is not None:
        try:
            check_scheduler_address(dask_scheduler)
        except ConfigError as exc:
            raise ConfigError(f"--dask-scheduler: {exc}") from None


@contextmanager
def open_executor(workers: int | None = None, dask_local: int | None = None,
                  dask_scheduler: str | None = None) -> Iterator[Executor]:
    """The executor the options ask for, shut down (cluster, workers) when the block ends.

    Parameters
    ----------
    workers, dask_local : int, optional
    dask_scheduler : str, optional

    Yields
    ------
    Executor
        Serial when no option is given.
    """
    check_executor_options(workers, dask_local, dask_scheduler)
    if workers is not None:
        from lawfind.parallel import ProcessExecutor

        executor: Executor = ProcessExecutor(workers)
    elif dask_local is not None or dask_scheduler is not None:
        from lawfind.parallel import DaskExecutor

        executor = DaskExecutor(scheduler=dask_scheduler, local_workers=dask_local)
    else:
        executor = SerialExecutor()
    with executor:
        yield executor


def describe_executor(executor: Executor) -> str:
    """A few words for log lines: ``serial``, ``2 local processes``, ``Dask (2 workers)``."""
    if executor.kind == "processes":
        return f"{executor.n_workers} local processes"  # type: ignore[attr-defined]
    if executor.kind == "dask":
        return f"Dask ({executor.n_workers} workers)"  # type: ignore[attr-defined]
    return "serial"
