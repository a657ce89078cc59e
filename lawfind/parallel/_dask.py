"""The Dask distributed executor: an existing cluster, or a LocalCluster on 127.0.0.1."""

from __future__ import annotations

import os
import re
from typing import Any, ClassVar

from lawfind.exceptions import ConfigError, MissingDependencyError, SearchError
from lawfind.parallel._executor import Executor, TaskFailure, _check_workers, _Guarded, _Tracker

__all__ = ["DaskExecutor", "check_scheduler_address", "WORKER_ENV"]

#: Environment of LocalCluster workers: one BLAS/OpenMP thread per single-threaded worker.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_SCHEMES = ("tcp", "tls", "ws", "wss")
_ADDRESS = re.compile(r"^(?P<scheme>[a-z]+)://(?P<host>\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+):(?P<port>\d+)/?$")


def check_scheduler_address(address: object) -> str:
    """Return ``address`` if it looks like ``tcp://HOST:PORT``; else raise :class:`ConfigError`.

    Checked before connecting, so a typo fails at once with a message saying what is wrong.
    """
    example = "e.g. tcp://10.0.0.5:8786 (the address 'dask scheduler' prints)"
    if not isinstance(address, str) or not address.strip():
        raise ConfigError(f"the Dask scheduler address must be a string like tcp://HOST:PORT, got {address!r}; "
                          f"{example}")
    match = _ADDRESS.match(address.strip())
    if match is None:
        raise ConfigError(f"Dask scheduler address {address!r} is not SCHEME://HOST:PORT; {example}")
    if match["scheme"] not in _SCHEMES:
        raise ConfigError(f"Dask scheduler address {address!r} has the scheme {match['scheme']!r}; "
                          f"use one of {list(_SCHEMES)}, {example}")
    if not 1 <= int(match["port"]) <= 65535:
        raise ConfigError(f"Dask scheduler address {address!r} has port {match['port']}; ports are 1-65535")
    return address.strip()


class DaskExecutor(Executor):
    """Runs the tasks on Dask distributed: an existing cluster or a local one.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``"tcp://HOST:PORT"``).  Its workers should run
        one task per thread with ``OMP_NUM_THREADS=1`` (Dask's nannies set that by default).
    local_workers : int, optional
        Without ``scheduler``: start a ``LocalCluster`` on 127.0.0.1 with this many
        single-threaded worker processes (the number of CPUs by default), each with
        :data:`WORKER_ENV` (one BLAS/OpenMP thread).
    timeout : float, default=3.0
        Seconds to wait for the scheduler before giving up (an unreachable address fails fast).

    Attributes
    ----------
    client : distributed.Client
    cluster : distributed.LocalCluster or None
        The cluster this executor started (None for an existing cluster, or once closed).
    """

    kind: ClassVar[str] = "dask"

    def __init__(self, scheduler: str | None = None, local_workers: int | None = None, timeout: float = 3.0) -> None:
        if scheduler is not None and local_workers is not None:
            raise ConfigError("give either scheduler (an existing cluster) or local_workers (a new one), not both")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 3600:
            raise ConfigError(f"timeout must be a number of seconds in (0, 3600], got {timeout!r}")
        if scheduler is not None:
            scheduler = check_scheduler_address(scheduler)
        n = _check_workers(local_workers)
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependencyError(f"the dask executor needs dask.distributed ({exc}); "
                                         "install it with: pip install 'lawfind[dask]'") from None
        self.cluster = None
        if scheduler is None:
            import logging

            self.cluster = LocalCluster(n_workers=n or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                        silence_logs=logging.ERROR, env=dict(WORKER_ENV))
            self.client = Client(self.cluster)
            return
        try:
            self.client = Client(scheduler, timeout=f"{float(timeout)}s")
        except Exception as exc:  # noqa: BLE001 - refused, timed out, unknown host, or not a Dask scheduler
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise SearchError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({reason}); "
                              f"check the address and that 'dask scheduler' is running there") from None

    @property
    def n_workers(self) -> int:
        """Workers currently connected to the scheduler."""
        return len(self.client.scheduler_info().get("workers", {}))

    @property
    def task_threads(self) -> int:
        """1: a task per single-threaded worker."""
        return 1

    def _run(self, guarded: _Guarded, items: list[Any], labels: list[str], done: _Tracker) -> list[Any]:
        from distributed import as_completed

        futures = self.client.map(guarded, range(len(items)), labels, items, pure=False)
        position = {future.key: i for i, future in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        for future in as_completed(futures):
            i = position[future.key]
            try:
                results[i] = future.result()
            except Exception as exc:  # the worker died or the task could not be (un)pickled
                results[i] = TaskFailure(i, labels[i], f"{type(exc).__name__}: {exc}")
            done(i)
        return results

    def close(self) -> None:
        """Close the client and, if this executor started it, the LocalCluster."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
