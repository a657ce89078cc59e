"""Run the Feynman benchmark: equations × noise levels × methods, rows saved as they finish."""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from lawfind._progress import ProgressCallback, no_progress
from lawfind.bench._assess import assess_model
from lawfind.bench._data import check_noise, generate_data
from lawfind.bench._equations import Equation
from lawfind.bench._methods import METHODS, check_methods, run_method
from lawfind.bench._results import MethodSummary, read_rows, row_key, summarize, write_rows
from lawfind.exceptions import ConfigError, LawfindError
from lawfind.run._atomic import write_json_atomic

__all__ = ["FeynmanConfig", "BenchTask", "BenchResult", "run_task", "run_feynman", "r2_score",
           "RESULTS_FILE", "SUMMARY_FILE"]

RESULTS_FILE = "feynman.csv"
SUMMARY_FILE = "summary.json"


@dataclass(frozen=True)
class FeynmanConfig:
    """Settings of a Feynman benchmark run.

    Parameters
    ----------
    methods : tuple of str, default=("lawfind", "operon-raw", "gplearn")
    engine : str, optional
        lawfind's engine; by default the one ``lawfind discover`` uses.
    time_limit : float, default=60.0
        Seconds per equation and method.
    noise : tuple of float, default=(0.0,)
        Target-noise levels (fractions of RMS(y); SRBench: 0, 0.001, 0.01, 0.1).
    seed : int, default=0
    n_train, n_test : int, default=1000
    sympy_timeout : float, default=30.0
        Seconds allowed for each SymPy stage of the exact-recovery check.
    """

    methods: tuple[str, ...] = METHODS
    engine: str | None = None
    time_limit: float = 60.0
    noise: tuple[float, ...] = (0.0,)
    seed: int = 0
    n_train: int = 1000
    n_test: int = 1000
    sympy_timeout: float = 30.0

    def resolved(self) -> FeynmanConfig:
        """A validated copy with the engine filled in; :class:`ConfigError` for a bad setting."""
        from lawfind._discover import check_search_options

        check_search_options(self.time_limit, self.seed)
        methods, engine = check_methods(self.methods, self.engine)
        noise = tuple(dict.fromkeys(check_noise(level) for level in self.noise))
        if not noise:
            raise ConfigError("give at least one noise level (--noise), e.g. 0")
        if isinstance(self.sympy_timeout, bool) or not self.sympy_timeout > 0:
            raise ConfigError(f"sympy_timeout must be a positive number of seconds, got {self.sympy_timeout!r}")
        for what, value in (("n_train", self.n_train), ("n_test", self.n_test)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
                raise ConfigError(f"{what} must be an integer ≥ 2, got {value!r}")
        return replace(self, methods=methods, engine=engine, noise=noise, time_limit=float(self.time_limit))


@dataclass(frozen=True)
class BenchTask:
    """One equation × method × noise level × seed."""

    equation: Equation
    method: str
    noise: float
    config: FeynmanConfig

    @property
    def label(self) -> str:
        return f"{self.equation.name} · {self.method} · noise {self.noise:g}"


@dataclass
class BenchResult:
    """Rows (new and resumed), per-method summaries and where they were written."""

    rows: list[dict[str, Any]]
    summaries: list[MethodSummary]
    out: Path | None = None
    config: FeynmanConfig = field(default_factory=FeynmanConfig)
    seconds: float = 0.0


def r2_score(y: np.ndarray, predictions: np.ndarray | None) -> float:
    """Coefficient of determination; NaN without predictions or with non-finite ones."""
    if predictions is None:
        return math.nan
    predictions = np.asarray(predictions, dtype=float).ravel()
    if predictions.shape != y.shape or not np.all(np.isfinite(predictions)):
        return math.nan
    total = float(np.sum((y - np.mean(y)) ** 2))
    return 1.0 - float(np.sum((y - predictions) ** 2)) / total if total > 0 else math.nan


def _base_row(task: BenchTask) -> dict[str, Any]:
    config, equation = task.config, task.equation
    return {
        "name": equation.name, "formula": equation.formula, "method": task.method,
        "engine": config.engine if task.method == "lawfind" else "", "noise": task.noise, "seed": config.seed,
        "time_limit": config.time_limit, "seconds": math.nan, "expression": "", "exact": False, "match": "",
        "exact_positive": False,
        "r2_test": math.nan, "size": None, "note": "", "error": "",
    }


def run_task(task: BenchTask, progress: ProgressCallback = no_progress) -> dict[str, Any]:
    """Generate the data, run the method, assess its model: one results row."""
    config, equation = task.config, task.equation
    row = _base_row(task)
    try:
        data = generate_data(equation, n_train=config.n_train, n_test=config.n_test, noise=task.noise,
                             seed=config.seed)
    except LawfindError as exc:
        return {**row, "error": f"{type(exc).__name__}: {exc}"}
    output = run_method(task.method, equation, data, engine=str(config.engine), time_limit=config.time_limit,
                        seed=config.seed, progress=progress)
    r2 = r2_score(data.y_test, output.predictions)
    verdict = assess_model(equation.expression, output.expression, r2, timeout=config.sympy_timeout)
    found = output.expression if verdict.cleaned is None else verdict.cleaned
    return {**row, "engine": output.engine, "seconds": round(output.seconds, 3),
            "expression": "" if found is None else str(found), "exact": verdict.exact, "match": verdict.match,
            "exact_positive": verdict.exact_positive,
            "r2_test": r2, "size": verdict.size, "note": verdict.note, "error": output.error}


def _check_out(out: Path, overwrite: bool, resume: bool, config: FeynmanConfig) -> list[dict[str, Any]]:
    if overwrite and resume:
        raise ConfigError("--overwrite and --resume exclude each other: choose one")
    results = out / RESULTS_FILE
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {str(out)!r} is a file; give a folder")
    if not results.exists():
        return []
    if overwrite:
        return []
    if not resume:
        raise ConfigError(f"{str(results)!r} exists; pass --resume to continue it, --overwrite to replace it, "
                          f"or choose another --out")
    rows = read_rows(results)
    limits = sorted({r["time_limit"] for r in rows})
    if limits and limits != [config.time_limit]:
        raise ConfigError(f"{str(results)!r} was run with time limit(s) {limits} s; resume with the same "
                          f"--time-limit or choose another --out")
    return rows


@contextmanager
def _watch_sigint() -> Iterator[threading.Event]:
    """Set an event on Ctrl-C (and still raise KeyboardInterrupt): lawfind engines swallow it."""
    pressed = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield pressed
        return

    def handler(signum: int, frame: Any) -> None:
        pressed.set()
        signal.default_int_handler(signum, frame)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


def _save_summary(out: Path, result: BenchResult, equations: Sequence[Equation], source: str | None) -> None:
    from lawfind import __version__

    write_json_atomic(out / SUMMARY_FILE, {
        "benchmark": "feynman", "lawfind": __version__, "equations_file": source,
        "equations": [eq.name for eq in equations], "config": asdict(result.config),
        "cpus": os.cpu_count(), "seconds": round(result.seconds, 1),
        "summaries": [s.to_dict() for s in result.summaries],
    })


def run_feynman(equations: Sequence[Equation], config: FeynmanConfig = FeynmanConfig(), *,
                out: str | os.PathLike[str] | None = None, overwrite: bool = False, resume: bool = False,
                workers: int = 1, progress: ProgressCallback = no_progress,
                equations_source: str | None = None) -> BenchResult:
    """Run every method on every equation at every noise level.

    Parameters
    ----------
    equations : sequence of Equation
        From :func:`read_equations` / :func:`select_equations`.
    config : FeynmanConfig
    out : path, optional
        Folder for ``feynman.csv`` (rewritten atomically after every finished row, so an
        interrupted run keeps its rows) and ``summary.json`` (written at the end).
    overwrite : bool, default=False
        Replace an existing ``feynman.csv``.
    resume : bool, default=False
        Keep the rows of an existing ``feynman.csv`` and run only the missing ones.
    workers : int, default=1
        Run this many tasks at once in worker processes (:mod:`lawfind.parallel`);
        rows are then saved after each batch of ``workers`` tasks.
    progress : callable, optional
        ``progress(fraction, message)`` over the whole benchmark.
    equations_source : str, optional
        The table's path, recorded in ``summary.json``.

    Returns
    -------
    BenchResult

    Raises
    ------
    ConfigError
        For a bad setting, before any search runs.
    """
    config = config.resolved()
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ConfigError(f"workers must be a positive integer (--workers), got {workers!r}")
    if not equations:
        raise ConfigError("no equations to run; check --names / --subset")
    folder = Path(out) if out is not None else None
    rows = _check_out(folder, overwrite, resume, config) if folder is not None else []
    done = {row_key(r) for r in rows}
    tasks = [BenchTask(eq, method, noise, config) for noise in config.noise for eq in equations
             for method in config.methods if (eq.name, method, noise, config.seed) not in done]
    started = time.monotonic()

    def save() -> None:
        if folder is not None:
            write_rows(folder / RESULTS_FILE, rows)

    if workers == 1:
        with _watch_sigint() as pressed:
            for i, task in enumerate(tasks):
                message = f"{task.label} ({i + 1}/{len(tasks)})"
                progress(i / len(tasks), message)
                row = run_task(task, lambda f, m, i=i, message=message: progress((i + f) / len(tasks),
                                                                                  f"{message} · {m}"))
                if pressed.is_set():  # a lawfind engine returned early on Ctrl-C: do not keep the row
                    raise KeyboardInterrupt
                rows.append(row)
                save()
    else:
        from lawfind.parallel import ProcessExecutor, TaskFailure

        with ProcessExecutor(n_workers=int(workers)) as executor:
            for first in range(0, len(tasks), workers):
                batch = tasks[first:first + workers]
                progress(first / len(tasks), f"{batch[0].label} … ({first + 1}/{len(tasks)})")
                for task, row in zip(batch, executor.map(run_task, batch, labels=[t.label for t in batch],
                                                         errors="return")):
                    if isinstance(row, TaskFailure):
                        row = {**_base_row(task), "error": row.error}
                    rows.append(row)
                save()
    progress(1.0, "done")
    save()
    result = BenchResult(rows, summarize(rows), folder, config, time.monotonic() - started)
    if folder is not None:
        _save_summary(folder, result, equations, equations_source)
    return result
