"""A time guard for SymPy calls, so one pathological expression cannot hang a benchmark.

In the main thread (POSIX) a ``SIGALRM`` timer interrupts the call; an outer timer
(e.g. pytest-timeout's) is re-armed with its remaining time afterwards.  Elsewhere
(worker threads) the call runs in a forked child process that is killed at the limit.
Where neither is available the call runs unguarded.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["SympyTimeout", "call_with_timeout"]

T = TypeVar("T")


class SympyTimeout(Exception):
    """The guarded call did not finish within its time limit."""


def _raise_timeout(signum: int, frame: Any) -> None:  # noqa: ARG001 - signal handler signature
    raise SympyTimeout()


def call_with_timeout(fn: Callable[..., T], *args: Any, seconds: float | None) -> T:
    """``fn(*args)``, or :class:`SympyTimeout` after ``seconds`` (None: no limit)."""
    if seconds is None:
        return fn(*args)
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _with_alarm(fn, args, seconds)
    if "fork" in multiprocessing.get_all_start_methods():
        return _in_child(fn, args, seconds)
    return fn(*args)  # pragma: no cover - platforms without SIGALRM and fork


def _with_alarm(fn: Callable[..., T], args: tuple[Any, ...], seconds: float) -> T:
    previous_handler = signal.signal(signal.SIGALRM, _raise_timeout)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_delay > 0:
            remaining = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 1e-3), outer_interval)


def _child(connection: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        connection.send((True, fn(*args)))
    except BaseException as exc:  # sent back to the parent  # noqa: BLE001
        connection.send((False, exc))
    finally:
        connection.close()


def _in_child(fn: Callable[..., T], args: tuple[Any, ...], seconds: float) -> T:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise SympyTimeout()
        ok, value = receiver.recv()
    except EOFError:
        raise SympyTimeout() from None  # the child died without an answer
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if not ok:
        raise value
    return value
