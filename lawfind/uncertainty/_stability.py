"""Law stability: repeat the run's search on resamples and count how often each structure comes back."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lawfind._progress import ProgressCallback, no_progress
from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, DataError, LawfindWarning, SearchError
from lawfind.law import Law, SnapTolerance
from lawfind.run import Run
from lawfind.search import Engine, ParetoFront, PickRule, make_engine

if TYPE_CHECKING:
    from lawfind.parallel import Executor, ExecutorKind

__all__ = ["StabilityResult", "law_stability", "Scheme"]

Scheme = Literal["bootstrap", "cv"]
_SCHEMES = ("bootstrap", "cv")


@dataclass(frozen=True, eq=False)
class StabilityResult:
    """The run's front next to the fronts found again on resamples of its data.

    Attributes
    ----------
    reference : ParetoFront
        The run's own front.
    fronts : tuple of ParetoFront or None
        One per resample; None where the search failed (see ``failures``).
    failures : tuple of str
        ``""`` for a successful resample, else the reason it failed.
    scheme : {"bootstrap", "cv"}
    time_limit : float
        Seconds per search.
    seed : int
    engine : str
    """

    reference: ParetoFront
    fronts: tuple[ParetoFront | None, ...]
    failures: tuple[str, ...]
    scheme: Scheme
    time_limit: float
    seed: int
    engine: str

    @property
    def n_resamples(self) -> int:
        """Number of resampled searches (failed ones included)."""
        return len(self.fronts)

    @property
    def n_succeeded(self) -> int:
        """Number of resamples whose search returned a front."""
        return sum(front is not None for front in self.fronts)

    def structures(self) -> pd.DataFrame:
        """One row per law structure (equal up to constants, :meth:`Law.same_structure`).

        Columns: ``structure`` (an example equation), ``complexity``, ``reference_index``
        (position on the run's front, or -1), ``found`` / ``picked`` (resamples whose front
        holds / picks that structure) and their fractions of the successful resamples.
        Sorted by reference position, then by how often the structure was found.
        """
        examples: list[Law] = list(self.reference)
        found = [0] * len(examples)
        picked = [0] * len(examples)
        for front in self.fronts:
            if front is None:
                continue
            seen: set[int] = set()
            for position, law in enumerate(front):
                k = next((i for i, known in enumerate(examples) if known.same_structure(law)), None)
                if k is None:
                    examples.append(law)
                    found.append(0)
                    picked.append(0)
                    k = len(examples) - 1
                if k not in seen:
                    found[k] += 1
                    seen.add(k)
                if position == front.best_index:
                    picked[k] += 1
        total = max(self.n_succeeded, 1)
        rows = [{
            "structure": law.equation(4),
            "complexity": law.complexity,
            "reference_index": i if i < len(self.reference) else -1,
            "found": found[i],
            "found_fraction": found[i] / total,
            "picked": picked[i],
            "picked_fraction": picked[i] / total,
        } for i, law in enumerate(examples)]
        frame = pd.DataFrame(rows)
        on_front = frame["reference_index"] >= 0
        return pd.concat([frame[on_front], frame[~on_front].sort_values(["found", "complexity"],
                                                                         ascending=[False, True])],
                         ignore_index=True)

    def front_variation(self) -> pd.DataFrame:
        """Every law of every resampled front: ``resample``, ``complexity``, ``error``, ``picked``, ``equation``.

        ``resample`` is -1 for the run's own front; ``error`` is :attr:`Law.error` on the
        data the law was found on.
        """
        rows = []
        for k, front in [(-1, self.reference), *enumerate(self.fronts)]:
            if front is None:
                continue
            rows += [{"resample": k, "complexity": law.complexity, "error": law.error,
                      "picked": i == front.best_index, "equation": law.equation(4)} for i, law in enumerate(front)]
        return pd.DataFrame(rows, columns=["resample", "complexity", "error", "picked", "equation"])

    def front_spread(self) -> pd.DataFrame:
        """Per complexity: on how many resampled fronts it appears, and the spread of their errors.

        Columns: ``complexity``, ``fronts`` (resampled fronts with a law of that
        complexity), ``error_min``, ``error_median``, ``error_max`` (over those laws) and
        ``run_error`` (the run's own law of that complexity, NaN if it has none).
        """
        table = self.front_variation()
        resampled = table[table["resample"] >= 0]
        own = table[table["resample"] == -1].set_index("complexity")["error"]
        grouped = resampled.groupby("complexity")["error"]
        spread = pd.DataFrame({
            "fronts": resampled.groupby("complexity")["resample"].nunique(),
            "error_min": grouped.min(), "error_median": grouped.median(), "error_max": grouped.max(),
        })
        spread = spread.reindex(sorted(set(spread.index) | set(own.index)))
        spread["fronts"] = spread["fronts"].fillna(0).astype(int)
        spread["run_error"] = own.reindex(spread.index)
        return spread.rename_axis("complexity").reset_index()

    def summary(self) -> str:
        """One sentence on the picked law's structure."""
        table = self.structures()
        best = table.loc[table["reference_index"] == self.reference.best_index].iloc[0]
        n = self.n_succeeded
        failed = f" ({self.n_resamples - n} failed)" if n < self.n_resamples else ""
        kind = "bootstrap resamples" if self.scheme == "bootstrap" else "cross-validation training folds"
        return (f"The picked law's structure was found on {best['found']} of {n} {kind}{failed} and picked on "
                f"{best['picked']} ({self.engine} engine, {self.time_limit:g} s per search).")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: settings, structure counts, failures."""
        return {
            "scheme": self.scheme, "n_resamples": self.n_resamples, "n_succeeded": self.n_succeeded,
            "time_limit": self.time_limit, "seed": self.seed, "engine": self.engine,
            "failures": [f for f in self.failures if f],
            "structures": self.structures().to_dict(orient="records"),
        }


def _engine_from_config(run: Run) -> Engine:
    config = dict(run.config.get("engine") or {})
    name = config.pop("name", None)
    try:
        return make_engine(name, **{k: tuple(v) if isinstance(v, list) else v for k, v in config.items()})
    except ConfigError as exc:
        raise ConfigError(f"cannot rebuild the run's engine from run.json ({exc}); pass engine= an Engine") from None


def _rule_and_snap(run: Run) -> tuple[PickRule, SnapTolerance | None]:
    rule = run.config.get("rule") or {}
    snap = run.config.get("snap", {})
    pick = PickRule(float(rule.get("rel_tol", 0.05)), float(rule.get("abs_tol", 1e-8)))
    return pick, None if snap is None else SnapTolerance(**snap)


def _resamples(n_rows: int, n: int, scheme: Scheme, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    if scheme == "bootstrap":
        return [rng.integers(0, n_rows, n_rows) for _ in range(n)]
    if n > n_rows:
        raise ConfigError(f"{n} cross-validation folds need at least {n} rows; the data have {n_rows}")
    folds = np.array_split(rng.permutation(n_rows), n)
    return [np.sort(np.concatenate([f for j, f in enumerate(folds) if j != k])) for k in range(n)]


@dataclass(frozen=True)
class _ResampleSearch:
    """One resampled search, sent to a worker: the data, the rows and the search settings."""

    data: Dataset
    rows: np.ndarray
    label: str
    engine: Engine
    time_limit: float
    seed: int
    rule: PickRule
    snap: SnapTolerance | None


def _search_resample(job: _ResampleSearch) -> ParetoFront:
    """Run one resampled search (on a worker); its front."""
    from lawfind._discover import discover

    data = job.data
    subset = Dataset.from_frame(data.frame.iloc[job.rows].reset_index(drop=True), data.target, list(data.features),
                                task=data.task, units=data.units, source=f"{data.source} ({job.label})")
    return discover(subset, engine=job.engine, time_limit=job.time_limit, seed=job.seed, rule=job.rule,
                    snap=job.snap).front


def law_stability(
    run: Run,
    data: Dataset,
    *,
    n_resamples: int = 10,
    time_limit: float = 5.0,
    scheme: Scheme = "bootstrap",
    seed: int = 0,
    engine: Engine | None = None,
    progress: ProgressCallback = no_progress,
    executor: Executor | ExecutorKind | None = None,
) -> StabilityResult:
    """Repeat the run's search on ``n_resamples`` resamples of its data.

    Parameters
    ----------
    run : Run
        Gives the engine settings, pick rule and snapping of the searches.
    data : Dataset
        The run's training data (see :func:`open_training_data`).
    n_resamples : int, default=10
        Bootstrap resamples, or the number of folds for ``scheme="cv"`` (each search
        sees all folds but one).
    time_limit : float, default=5.0
        Seconds per search.
    scheme : {"bootstrap", "cv"}, default="bootstrap"
    seed : int, default=0
        Seed of the resampling; search ``k`` uses the run's seed + ``k``.
    engine : Engine, optional
        The engine to use instead of the one recorded in ``run.json``.
    progress : callable, optional
        Called as the searches finish.
    executor : Executor, {"serial", "processes", "dask"} or None, default=None
        Where the independent searches run (:mod:`lawfind.parallel`); serially by
        default.  A kind string starts (and afterwards stops) that executor; an
        :class:`~lawfind.parallel.Executor` you pass is left running.  The result is
        the same on every executor when the search is deterministic (a generation
        budget, as ``OperonEngine(generations=...)``, or the sparse/sisso engines);
        time-limited searches depend on the machine's load wherever they run.

    Returns
    -------
    StabilityResult

    Warns
    -----
    LawfindWarning
        When some searches fail (recorded in ``failures``).
    """
    from lawfind._discover import check_search_options
    from lawfind.parallel import TaskFailure, as_executor, engine_for_tasks

    if scheme not in _SCHEMES:
        raise ConfigError(f"unknown resampling scheme {scheme!r}; use one of {list(_SCHEMES)}")
    minimum = 2
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < minimum:
        raise ConfigError(f"n_resamples must be an integer ≥ {minimum}, got {n_resamples!r}")
    check_search_options(time_limit, seed)
    rule, snap = _rule_and_snap(run)
    base_seed = int(run.seed or 0)
    search_engine = engine if engine is not None else _engine_from_config(run)
    name = search_engine.name
    runner, owned = as_executor(executor)
    try:
        task_engine, _ = engine_for_tasks(search_engine, threads=runner.task_threads)
        jobs = [_ResampleSearch(data, rows, f"{scheme} resample {k}", task_engine, float(time_limit), base_seed + k,
                                rule, snap)
                for k, rows in enumerate(_resamples(data.n_rows, int(n_resamples), scheme, seed))]
        progress(0.0, f"{n_resamples} searches")
        outcomes = runner.map(_search_resample, jobs, labels=[job.label for job in jobs], errors="return",
                              progress=progress)
    finally:
        if owned:
            runner.close()
    fronts: list[ParetoFront | None] = []
    failures: list[str] = []
    for outcome in outcomes:
        if not isinstance(outcome, TaskFailure):
            fronts.append(outcome)
            failures.append("")
        elif outcome.exception is None or isinstance(outcome.exception, (SearchError, DataError)):
            fronts.append(None)  # the search failed (or its worker died): recorded, the others are kept
            failures.append(str(outcome.exception) if outcome.exception is not None else
                            f"{outcome.label}: {outcome.error}")
        else:
            raise outcome.exception  # a bug or a bad setting: not a property of the resample
    failed = sum(bool(f) for f in failures)
    if failed:
        warnings.warn(f"{failed} of {n_resamples} resampled searches failed (first: {next(f for f in failures if f)})",
                      LawfindWarning, stacklevel=2)
    return StabilityResult(run.front, tuple(fronts), tuple(failures), scheme, float(time_limit), int(seed), name)
