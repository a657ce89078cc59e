"""A search running in a background thread, with live progress and a stop request.

The explorer app must stay responsive while an engine searches, and its Stop button
must keep the best-so-far laws.  Engines already stop cleanly on ``KeyboardInterrupt``
(they return their best-so-far candidates); :class:`SearchJob` delivers that interrupt
*inside* the search thread by raising it from the progress callback the next time the
engine reports progress after :meth:`SearchJob.stop` was called.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

from lawfind import discover
from lawfind.data import Dataset
from lawfind.exceptions import LawfindError
from lawfind.run import Run
from lawfind.search import Engine, make_engine

__all__ = ["SearchSpec", "SearchJob", "JobState"]

JobState = Literal["pending", "running", "stopping", "completed", "interrupted", "failed"]


@dataclass(frozen=True)
class SearchSpec:
    """What to search with: engine name and options, time budget and seed.

    Parameters
    ----------
    engine : str
        A registered engine name (see :func:`lawfind.search.engine_names`).
    time_limit : float, default=10.0
        Seconds for the search itself (post-processing comes on top).
    seed : int, default=0
    options : tuple of (str, value), default=()
        Engine options, e.g. ``(("max_terms", 2),)``; a tuple so the spec is hashable.
    """

    engine: str
    time_limit: float = 10.0
    seed: int = 0
    options: tuple[tuple[str, Any], ...] = ()

    def engine_options(self) -> dict[str, Any]:
        """The engine options as keyword arguments (lists become tuples)."""
        return {k: tuple(v) if isinstance(v, list) else v for k, v in self.options}

    def key(self, dataset: Dataset) -> str:
        """A stable hash of the data, the columns and every search setting (the cache key)."""
        record = {
            "data": dataset.data_hash(),
            "target": dataset.target,
            "features": list(dataset.features),
            "task": dataset.task,
            "units": dict(sorted(dataset.units.items())),
            "engine": self.engine,
            "options": [[k, list(v) if isinstance(v, tuple) else v] for k, v in sorted(self.options)],
            "time_limit": float(self.time_limit),
            "seed": int(self.seed),
        }
        text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


class _StopRequested(KeyboardInterrupt):
    """Raised from the progress callback to stop the engine (it catches KeyboardInterrupt)."""


def _stoppable(engine: Engine, job: "SearchJob") -> Engine:
    """A copy of ``engine`` whose search reports its phase to ``job`` and can be interrupted by it.

    The copy's class is a subclass of the engine's own class, so everything that
    inspects the engine (its name, options, dataclass fields, and the task and units
    :func:`lawfind.discover` passes to engines that take them) sees the real engine.
    Only the search phase is interrupted at an arbitrary progress report; a report of
    fraction 1.0 is an engine's closing report, which may lie outside its
    ``try/except KeyboardInterrupt`` and is therefore never interrupted.
    """
    base = type(engine)

    def search(self, X, y, *, time_limit, seed, progress):  # noqa: N803 - the engine protocol
        def report(fraction: float, message: str) -> None:
            progress(fraction, message)
            if fraction < 1.0:
                job._maybe_interrupt()

        job._phase = "search"
        try:
            return base.search(self, X, y, time_limit=time_limit, seed=seed, progress=report)
        finally:
            job._phase = "polish"

    subclass = type(base.__name__, (base,), {"search": search, "__module__": base.__module__,
                                             "__doc__": base.__doc__, "__qualname__": base.__qualname__})
    wrapped = copy.copy(engine)
    wrapped.__class__ = subclass
    return wrapped


class SearchJob:
    """Run :func:`lawfind.discover` in a daemon thread; poll its progress; ask it to stop.

    Parameters
    ----------
    dataset : Dataset
        The validated data.
    spec : SearchSpec
        Engine, options, time limit and seed.
    out : path, optional
        Save the run to this folder when it ends (completed or interrupted).

    Attributes
    ----------
    state : {"pending", "running", "stopping", "completed", "interrupted", "failed"}
    fraction : float
        Progress in [0, 1].
    message : str
        The engine's latest progress message.
    phase : {"setup", "search", "polish"}
    run : Run or None
        The result, once the job has ended with laws.
    error : str or None
        Why the job ended without a run (one line, shown to the user).

    Notes
    -----
    :meth:`stop` takes effect at the engine's next progress report: operon reports once
    per search slice (about a second), the sparse engine between batches of subsets.
    The candidates found so far are then simplified and refit as usual; a second
    :meth:`stop` during that polishing keeps them unpolished (regression only; a
    classification run cannot skip its polishing and finishes it).

    Examples
    --------
    >>> from lawfind import make_demo
    >>> from lawfind.data import Dataset
    >>> data = Dataset.from_frame(make_demo("hall_petch", n=60), "sigma_y [MPa]")
    >>> job = SearchJob(data, SearchSpec("sparse", time_limit=2, options=(("max_terms", 1),))).start()
    >>> job.wait(60)
    True
    >>> job.state, job.run.best.equation()
    ('completed', '70 + 600/sqrt(`d [um]`)')
    """

    def __init__(self, dataset: Dataset, spec: SearchSpec, out: str | os.PathLike[str] | None = None) -> None:
        self.dataset = dataset
        self.spec = spec
        self.out = out
        self.state: JobState = "pending"
        self.fraction = 0.0
        self.message = ""
        self.run: Run | None = None
        self.error: str | None = None
        self.started: float | None = None
        self.finished: float | None = None
        self._phase = "setup"
        self._stops = 0
        self._delivered = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._engine: Engine | None = None

    # ----------------------------------------------------------------- control
    def start(self) -> "SearchJob":
        """Check the engine options (a ConfigError is raised here, at once) and start the thread."""
        if self._thread is not None:
            raise RuntimeError("this job was already started; make a new SearchJob")
        self._engine = _stoppable(make_engine(self.spec.engine, **self.spec.engine_options()), self)
        self.started = time.monotonic()
        self.state = "running"
        self._thread = threading.Thread(target=self._work, name="lawfind-search", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the search to stop at its next progress report and keep its best-so-far laws."""
        with self._lock:
            if self.state not in ("running", "stopping"):
                return  # not started yet, or already ended: nothing to stop
            self._stops += 1
            self.state = "stopping"

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ends (or ``timeout`` seconds pass); True if it has ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.done

    # ----------------------------------------------------------------- status
    @property
    def done(self) -> bool:
        """True once the job has ended, with a run or an error."""
        return self.state in ("completed", "interrupted", "failed")

    @property
    def phase(self) -> str:
        """``"setup"``, ``"search"`` (the engine runs) or ``"polish"`` (candidates are simplified and refit)."""
        return self._phase

    @property
    def stop_requested(self) -> bool:
        """True once :meth:`stop` has been called."""
        return self._stops > 0

    @property
    def elapsed(self) -> float:
        """Seconds since the start (until the end, once ended)."""
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started

    # ----------------------------------------------------------------- thread side
    def _progress(self, fraction: float, message: str) -> None:
        self.fraction = max(self.fraction, min(max(float(fraction), 0.0), 1.0))
        self.message = message
        # polishing is interruptible for regression only: discover keeps the unpolished
        # candidates there; for classification it would lose everything
        if self._phase == "polish" and self.dataset.task == "regression":
            self._maybe_interrupt()

    def _maybe_interrupt(self) -> None:
        with self._lock:
            if self._delivered < self._stops:  # one interrupt per stop request, like one Ctrl-C per key press
                self._delivered += 1
                raise _StopRequested

    def _work(self) -> None:
        try:
            run = discover(self.dataset, engine=self._engine, time_limit=self.spec.time_limit,
                           seed=self.spec.seed, out=self.out, progress=self._progress)
        except KeyboardInterrupt:
            self._end("failed", error="the search was stopped before any law could be kept")
        except LawfindError as exc:
            self._end("failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of dying silently in a thread
            self._end("failed", error=f"unexpected error in the search: {type(exc).__name__}: {exc}")
        else:
            self.fraction = 1.0
            self._end(run.status, run=run)

    def _end(self, state: JobState, *, run: Run | None = None, error: str | None = None) -> None:
        self.run, self.error = run, error
        self.finished = time.monotonic()
        self.state = state
