"""The ``portfolio`` engine: several discovery methods sharing one time budget.

The stages, in order (the search stops as soon as some law fits ``y`` to ``stop_nrmse``):

1. **structured** (``structured_share`` of the budget; :mod:`._structured`): for ``y``,
   each applicable target transform ``g(y)`` (:mod:`._transforms`) and ``g(y)`` divided by
   monomial prefactors, power-law detection (:mod:`._powerlaw`) and sparse sums and ratios
   of generalized monomials (:mod:`._monomials`, :mod:`._sums`).  How well a transform's
   short laws fit (NRMSE on ``y`` after mapping back) is its *straightness*;
2. **sparse** (``sparse_share``): the ``sparse`` engine (EBIC, up to 3 terms) on ``y``;
3. **sisso** (``sisso_share``): the ``sisso`` engine (rung 2 up to 5 inputs, else 1;
   dimension up to 2) on ``y``;
4. **operon**, the budget left but ``snap_share``, one run per (operator set, target):
   the first operator set on ``y``, then on the ``operon_transforms`` straightest
   transforms that fit better than ``y`` itself, then every other operator set on ``y``.
   Each run gets an equal share of the time left; with ``generations`` set each run is a
   deterministic pyoperon search of that many generations;
5. **snap** (``snap_share``, only when no law is exact): the simplest laws within 10 % of
   the best error get a variant with their constants snapped to simple values within a
   noise-sized tolerance.

With units (``feature_units``, ``target_unit``; :func:`lawfind.discover` passes the units of
the data), the stages leave out forms that depend on the units (the rules of
:func:`lawfind.law.check_units`): the structured library has no ``exp``/``sin``/``cos`` of a
dimensional argument, the power laws take no ``sin``/``cos`` factor of a dimensional column,
a dimensional target gets no ``exp``, ``sin`` or ``cos`` transform, and the sisso stage
builds only dimensionally valid features; and every stage's law enters the
pool only if its form is consistent (:func:`lawfind.law.check_units`: the operon and sparse
engines do not take units, and a transform's inverse may add a unit of its own, as
``exp(k·x)`` without a prefactor for a target in MPa); ``info["units"]["candidates_left_out"]``
counts the others per stage.

Every law found for a target is mapped back to ``y``; the union of all candidates goes
through :class:`~lawfind.search._pool.CandidatePool`, which keeps the Pareto set in
(complexity, NRMSE on ``y``) plus the most accurate others, at most ``max_candidates``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError, DataError, LawfindError
from lawfind.law import SnapTolerance, snap_constants
from lawfind.law._units import units_consistency
from lawfind.search._base import Engine, SearchResult
from lawfind.search._monomials import is_dimensional, term_library
from lawfind.search._operon import OPERON_OPERATORS, OperonEngine
from lawfind.search._pool import CandidatePool
from lawfind.search._sparse import SparseEngine
from lawfind.search._structured import StructuredSearch, Target
from lawfind.search._transforms import TRANSFORMS, TargetTransform, make_transform
from lawfind.search._unit_options import check_unit_options, input_dimensions

__all__ = ["PortfolioEngine", "OPERATOR_SETS"]

_ARITHMETIC = ("add", "sub", "mul", "div", "square", "sqrt")
#: Named operator sets of the operon runs (the defaults, in order).
OPERATOR_SETS: dict[str, tuple[str, ...]] = {
    "arithmetic": _ARITHMETIC,
    "exp_log": _ARITHMETIC + ("exp", "log"),
    "trig": _ARITHMETIC + ("sin", "cos"),
}
_clock: Callable[[], float] = time.monotonic  # the portfolio's own clock (tests replace it)
_MIN_RUN_SECONDS = 0.5
#: Target transforms whose inverse is dimensionless (y = log f, asin f, acos f): left out for a dimensional target.
_DIMENSIONLESS_TRANSFORMS = ("exp", "sin", "cos")
#: constant snapping for laws that are not exact (noisy data): 2 % window, NRMSE up by ≤ 0.5 %
_NOISY_SNAP = SnapTolerance(rel_tol=5e-3, abs_tol=1e-9, max_denominator=12, window=0.02)
_SNAP_LAWS = 8
_SNAP_COMPLEXITY = 30


class _Stop(Exception):
    """An exact law was found: skip the remaining stages."""


@dataclass
class PortfolioEngine(Engine):
    """Power laws, target transforms, sparse sums, ``sparse``, ``sisso`` and ``operon`` in one time budget.

    Parameters
    ----------
    operator_sets : tuple of tuple of str, default=tuple(OPERATOR_SETS.values())
        One operon run on ``y`` per set (pyoperon operator names, see
        :data:`~lawfind.search.OPERON_OPERATORS`); the first set also runs on the
        straightest transforms.  Empty: no operon runs.
    transforms : tuple of str, default=("log", "exp", "square", "sqrt", "reciprocal", "inverse_square", "sin", "cos")
        Target transforms tried (``y`` itself always is); see :mod:`lawfind.search._transforms`.
    operon_transforms : int, default=1
        How many of the straightest transforms also get an operon run.
    max_terms : int, default=3
        Largest number of terms of the sparse sums of monomials.
    library_size : int, default=3000
        Largest number of monomial terms.
    use_sparse, use_sisso : bool, default=True
        Run the ``sparse`` / ``sisso`` stage.
    structured_share, sparse_share, sisso_share : float, default=0.2, 0.02, 0.05
        Fractions of the time limit for those stages; operon gets the rest but ``snap_share``.
    snap_share : float, default=0.03
        Fraction of the time limit kept for snapping constants when no law is exact (noisy
        data): the simplest laws within 10 % of the best error each get a variant with their
        constants snapped to simple values within 2 %, if the NRMSE grows by at most 0.5 %.
    generations : int or None, default=None
        Deterministic operon runs of this many generations each (the time limit still binds).
    n_threads : int or None, default=None
        Threads of the operon and sisso runs (all cores when None).
    max_length : int, default=30
    population_size : int, default=1000
        Options of the operon runs.
    stop_nrmse : float, default=1e-9
        Stop the whole search once a law fits ``y`` this well.
    max_candidates : int, default=20
        Candidates handed to the shared post-processing.
    feature_units : tuple of (str or None), optional
        Pint unit of each input (``None``: dimensionless); set by :func:`lawfind.discover`
        from the data's units.  Leaves out the forms that depend on the units (see above).
    target_unit : str, optional
        Pint unit of the target; a dimensional target gets no ``exp``/``sin``/``cos`` transform.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).uniform(1, 5, (100, 3))
    >>> result = PortfolioEngine().search(X, 3.2 * X[:, 0] * X[:, 1] / X[:, 2] ** 2, time_limit=10, seed=0,
    ...                                   progress=lambda f, m: None)
    >>> result.expressions[0], result.info["stopped"]
    (3.2*x0*x1/x2**2, 'exact law after the quick structured stage')
    """

    name: ClassVar[str] = "portfolio"
    supports_units: ClassVar[bool] = True

    operator_sets: tuple[tuple[str, ...], ...] = tuple(OPERATOR_SETS.values())
    transforms: tuple[str, ...] = TRANSFORMS[1:]
    operon_transforms: int = 1
    max_terms: int = 3
    library_size: int = 3000
    use_sparse: bool = True
    use_sisso: bool = True
    structured_share: float = 0.2
    sparse_share: float = 0.02
    sisso_share: float = 0.05
    snap_share: float = 0.03
    generations: int | None = None
    n_threads: int | None = None
    max_length: int = 30
    population_size: int = 1000
    stop_nrmse: float = 1e-9
    max_candidates: int = 20
    feature_units: tuple[str | None, ...] | None = None
    target_unit: str | None = None

    def validate(self) -> None:
        for operators in self.operator_sets:
            if isinstance(operators, str) or not operators:
                raise ConfigError(f"portfolio engine: each operator set must be a non-empty tuple of operator "
                                  f"names such as {OPERATOR_SETS['arithmetic']}, got {operators!r}")
            unknown = [op for op in operators if op not in OPERON_OPERATORS]
            if unknown:
                raise ConfigError(f"portfolio engine: unknown operon operator(s) {unknown}; "
                                  f"choose from {list(OPERON_OPERATORS)}")
        unknown = [t for t in self.transforms if t not in TRANSFORMS[1:]]
        if isinstance(self.transforms, str) or unknown:
            raise ConfigError(f"portfolio engine: unknown target transform(s) {unknown or self.transforms!r}; "
                              f"choose from {list(TRANSFORMS[1:])}")
        for name, low in (("operon_transforms", 0), ("max_terms", 1), ("library_size", 1), ("max_length", 3),
                          ("population_size", 10), ("max_candidates", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ConfigError(f"portfolio engine: {name} must be an integer ≥ {low}, got {value!r}")
        for name in ("generations", "n_threads"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))
                                      or value < 1):
                raise ConfigError(f"portfolio engine: {name} must be a positive integer or None, got {value!r}")
        shares = [self.structured_share, self.sparse_share, self.sisso_share, self.snap_share]
        if any(isinstance(s, bool) or not isinstance(s, (int, float)) or not 0 <= s < 1 for s in shares) \
                or sum(shares) >= 1:
            raise ConfigError(f"portfolio engine: structured_share, sparse_share, sisso_share and snap_share must be "
                              f"numbers in [0, 1) that add up to less than 1, got {shares}")
        for name in ("use_sparse", "use_sisso"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ConfigError(f"portfolio engine: {name} must be True or False, got {getattr(self, name)!r}")
        if not isinstance(self.stop_nrmse, (int, float)) or not self.stop_nrmse >= 0:
            raise ConfigError(f"portfolio engine: stop_nrmse must be a number ≥ 0, got {self.stop_nrmse!r}")
        check_unit_options("portfolio", self.feature_units, self.target_unit)

    def search(self, X: np.ndarray, y: np.ndarray, *, time_limit: float, seed: int,
               progress: ProgressCallback) -> SearchResult:
        self.validate()
        if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or not time_limit > 0:
            raise ConfigError(f"portfolio engine: time_limit must be a positive number of seconds, got {time_limit!r}")
        X = np.ascontiguousarray(X, dtype=float)
        y = np.array(y, dtype=float, copy=True)
        if X.ndim != 2 or y.ndim != 1 or len(y) != X.shape[0] or X.shape[1] == 0:
            raise DataError(f"portfolio engine: X must be 2-D with at least one column and y 1-D with as many rows, "
                            f"got X {X.shape} and y {y.shape}")
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
            raise DataError("portfolio engine: X and y must be finite; drop or impute the rows with NaN/inf first")
        started = _clock()
        run = _Run(self, X, y, seed, started, float(time_limit), progress)
        interrupted = False
        try:
            run.structured()
            run.sparse()
            run.sisso()
            run.operon()
            run.snap()
        except _Stop as stop:
            run.info["stopped"] = str(stop)
        except KeyboardInterrupt:
            interrupted = True
        chosen = run.pool.select(self.max_candidates)
        run.info.update(pool=len(run.pool), aliased_candidates=run.pool.aliased, candidates=len(chosen),
                        sources=run.pool.sources(chosen),
                        best_nrmse=run.pool.best_nrmse(), seconds=round(_clock() - started, 3))
        progress(1.0, f"{len(chosen)} candidate(s), best NRMSE {run.pool.best_nrmse():.2e}")
        return SearchResult([run.pool.tidy(c.expression) for c in chosen], interrupted=interrupted, info=run.info)


class _Run:
    """The state of one portfolio search (kept when a stage is interrupted)."""

    def __init__(self, engine: PortfolioEngine, X: np.ndarray, y: np.ndarray, seed: int, started: float,
                 time_limit: float, progress: ProgressCallback) -> None:
        self.engine, self.X, self.y, self.seed = engine, X, y, seed
        self.started, self.time_limit, self.progress = started, time_limit, progress
        self.deadline = started + time_limit
        self.operon_deadline = started + time_limit * (1.0 - engine.snap_share)
        self.info: dict[str, Any] = {"stages": [], "straightness": {}, "operon_runs": [], "errors": [],
                                     "stopped": None}
        self.dimensions, dimensional_target = input_dimensions("portfolio", engine.feature_units, engine.target_unit,
                                                               X.shape[1])
        units = {f"x{i}": unit for i, unit in enumerate(engine.feature_units or ()) if unit}
        #: expr -> does its form not depend on the units (None without units)
        self.units_ok = None if self.dimensions is None else units_consistency(
            {f"x{i}": f"x{i}" for i in range(X.shape[1])}, "y", {**units, "y": engine.target_unit})
        self.pool = CandidatePool(X, y, units_ok=self.units_ok)
        self.info["units"] = None if self.dimensions is None else {
            "feature_units": list(engine.feature_units or ()), "target_unit": engine.target_unit,
            "transforms_left_out": [], "library_terms_left_out": 0, "candidates_left_out": self.pool.units_refused}
        self.transforms: list[TargetTransform] = []
        for name in ("identity",) + tuple(engine.transforms):
            if dimensional_target and name in _DIMENSIONLESS_TRANSFORMS:
                self.info["units"]["transforms_left_out"].append(name)
                continue
            transform = make_transform(name, y)
            if transform is not None:
                g = transform.apply(y)
                if np.all(np.isfinite(g)) and np.std(g) > 0:
                    self.transforms.append(transform)

    # ------------------------------------------------------------------ helpers
    def _report(self, message: str) -> None:
        self.progress(min(max((_clock() - self.started) / self.time_limit, 0.0), 0.99), message)

    def _record(self, stage: str, began: float, before: int, **extra: Any) -> None:
        self.info["stages"].append({"stage": stage, "seconds": round(_clock() - began, 3),
                                    "added": len(self.pool) - before, "best_nrmse": self.pool.best_nrmse(), **extra})
        if self.pool.best_nrmse() <= self.engine.stop_nrmse:
            raise _Stop(f"exact law after the {stage} stage")

    def _subengine(self, stage: str, engine: Engine, target: np.ndarray, time_limit: float, seed: int,
                   transform: TargetTransform) -> dict[str, Any]:
        """Run one engine on ``g(y)`` and add its laws, mapped back, to the pool.

        Returns the run's record (``"interrupted": True`` when the engine was stopped by Ctrl-C).
        """
        began, before = _clock(), len(self.pool)
        source = f"{stage}[{transform.name}]"
        try:
            result = engine.search(self.X, target, time_limit=time_limit, seed=seed,
                                   progress=lambda f, m: self._report(f"{source}: {m}"))
        except LawfindError as exc:  # recorded, and the other stages go on
            self.info["errors"].append(f"{source}: {exc}")
            return {"source": source, "error": str(exc)}
        searched = _clock()
        for expr in result.expressions:
            self.pool.add(transform.invert_expr(expr), source, refit=not result.interrupted)
        return {"source": source, "seconds": round(_clock() - began, 3), "search_seconds": round(searched - began, 3),
                "added": len(self.pool) - before, "interrupted": result.interrupted,
                **{k: result.info[k] for k in ("generations", "restarts", "best_nrmse") if k in result.info}}

    # ------------------------------------------------------------------ stages
    def structured(self) -> None:
        """Power laws and monomial sums for ``y``, its transforms and prefactor targets (:mod:`._structured`)."""
        began, before = _clock(), len(self.pool)
        stage_deadline = began + self.engine.structured_share * self.time_limit
        self._report("power laws and monomial sums")
        library = term_library(self.X, max_size=self.engine.library_size, seed=self.seed, dimensions=self.dimensions)
        if self.info["units"] is not None:
            self.info["units"]["library_terms_left_out"] = library.units_dropped
        trig_columns = None if self.dimensions is None else [not is_dimensional(row) for row in self.dimensions]
        search = StructuredSearch(self.X, self.y, self.pool, library, max_terms=self.engine.max_terms,
                                  remaining=lambda: stage_deadline - _clock(), report=self._report,
                                  trig_columns=trig_columns)
        self.info["straightness"] = search.scores
        targets = [Target(t) for t in self.transforms]
        search.quick(targets)
        self._record("quick structured", began, before, library_size=library.size,
                     transforms=[t.name for t in self.transforms])
        began, before = _clock(), len(self.pool)
        divided = search.prefactor_targets(targets)
        self._record("prefactor", began, before, targets=[t.name for t in divided])
        began, before = _clock(), len(self.pool)
        search.deep(targets + divided)
        self._record("structured", began, before)

    def sparse(self) -> None:
        """The ``sparse`` engine on ``y``."""
        if not self.engine.use_sparse or self.engine.sparse_share <= 0:
            return
        began, before = _clock(), len(self.pool)
        engine = SparseEngine(max_terms=3, criterion="ebic")
        record = self._subengine("sparse", engine, self.y, self.engine.sparse_share * self.time_limit, self.seed,
                                 self.transforms[0])
        if record.get("interrupted"):
            raise KeyboardInterrupt
        self._record("sparse", began, before, **{k: v for k, v in record.items() if k == "error"})

    def sisso(self) -> None:
        """The ``sisso`` engine on ``y`` (rung 2 for up to 5 inputs, else rung 1)."""
        if not self.engine.use_sisso or self.engine.sisso_share <= 0:
            return
        from lawfind.search.sisso import SissoEngine

        began, before = _clock(), len(self.pool)
        units = None if self.dimensions is None else tuple(
            unit or "dimensionless" for unit in (self.engine.feature_units or (None,) * self.X.shape[1]))
        engine = SissoEngine(rung=2 if self.X.shape[1] <= 5 else 1, max_dimension=2, sis_size=30,
                             n_threads=self.engine.n_threads, memory_budget=512 * 2**20, feature_units=units,
                             target_unit=self.engine.target_unit)
        with np.errstate(all="ignore"):  # sisso screens features that overflow; it drops them itself
            record = self._subengine("sisso", engine, self.y, self.engine.sisso_share * self.time_limit, self.seed,
                                     self.transforms[0])
        if record.get("interrupted"):
            raise KeyboardInterrupt
        self._record("sisso", began, before, **{k: v for k, v in record.items() if k == "error"})

    def snap(self) -> None:
        """Snap the constants of the most accurate laws with a noise-sized tolerance (none is exact)."""
        if self.pool.best_nrmse() <= self.engine.stop_nrmse:
            return
        began, before = _clock(), len(self.pool)
        # the laws the pick rule could choose: within 10 % of the best error, the simplest first
        limit = self.pool.best_nrmse() * 1.1 + 1e-12
        chosen = [c for c in self.pool.select(self.engine.max_candidates)
                  if c.complexity <= _SNAP_COMPLEXITY and c.expression.atoms(sp.Float) and c.nrmse <= limit]
        for candidate in sorted(chosen, key=lambda c: (c.complexity, c.nrmse))[:_SNAP_LAWS]:
            if _clock() >= self.deadline:
                break
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                snapped = snap_constants(candidate.expression, self.X, self.y, _NOISY_SNAP, self.units_ok)
            if snapped != candidate.expression:
                self.pool.add(snapped, f"snap[{candidate.source}]")
            self._report("snapping constants")
        self._record("snap", began, before)

    def plan(self) -> list[tuple[tuple[str, ...], TargetTransform]]:
        """The operon runs: (operator set, target) in the order they run."""
        sets = list(self.engine.operator_sets)
        if not sets:
            return []
        scores = self.info["straightness"]
        identity = self.transforms[0]
        ranked = sorted((t for t in self.transforms[1:] if scores.get(t.name, np.inf) < scores.get("identity", np.inf)),
                        key=lambda t: scores[t.name])
        runs = [(sets[0], identity)] + [(sets[0], t) for t in ranked[:self.engine.operon_transforms]]
        return runs + [(operators, identity) for operators in sets[1:]]

    def operon(self) -> None:
        """The operon runs, each with an equal share of the time left."""
        runs = self.plan()
        for number, (operators, transform) in enumerate(runs):
            remaining = self.operon_deadline - _clock()
            if remaining < _MIN_RUN_SECONDS:
                self.info["operon_runs"].append({"skipped": len(runs) - number, "reason": "time limit reached"})
                break
            deterministic = self.engine.generations is not None
            share = remaining if deterministic else remaining / (len(runs) - number)
            engine = OperonEngine(operators=tuple(operators), max_length=self.engine.max_length,
                                  population_size=self.engine.population_size, n_threads=self.engine.n_threads,
                                  generations=self.engine.generations)
            began, before = _clock(), len(self.pool)
            record = self._subengine("operon", engine, transform.apply(self.y), max(share, _MIN_RUN_SECONDS),
                                     self.seed + number, transform)
            record["operators"] = list(operators)
            self.info["operon_runs"].append(record)
            if record.get("interrupted"):
                raise KeyboardInterrupt
            self._record(f"operon run {number + 1}", began, before)
