"""The ``sisso`` engine: feature-space construction, sure-independence screening and exhaustive ℓ0.

How a search runs (Ouyang et al., Phys. Rev. Materials 2, 083802 (2018)):

1. the primary features (data columns) and rungs ``1..R-1`` of operator applications are
   built and stored, units checked, non-finite, constant and duplicate features dropped
   (:mod:`._build`); rung ``R`` is never stored;
2. for each dimension ``d = 1..D``: SIS keeps the ``sis_size`` features of the whole space
   (stored rungs plus rung ``R``, rebuilt chunk by chunk) that best match the residual of
   the best ``(d-1)``-dimensional model (:mod:`._screen`); then ℓ0 searches every
   ``d``-subset of the union of the SIS sets so far (:mod:`._l0`);
3. the ``n_models`` best models of each dimension are returned.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import sympy as sp

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError
from lawfind.law import Decision
from lawfind.search._base import Engine, SearchResult
from lawfind.search.sisso._build import MemoryPlan, add_rung, format_bytes, primary_space
from lawfind.search.sisso._data import DEFAULT_RUNG, check_data, check_options
from lawfind.search.sisso._dedup import random_directions
from lawfind.search.sisso._generate import Block, count_candidates, rung_blocks, size_blocks
from lawfind.search.sisso._l0 import regression_l0
from lawfind.search.sisso._l0_classify import classification_l0
from lawfind.search.sisso._models import classification_models, regression_models
from lawfind.search.sisso._operators import DEFAULT_OPERATORS, Operator, resolve_operators
from lawfind.search.sisso._screen import Candidates, classification_scorer, regression_scorer, screen
from lawfind.search.sisso._space import FeatureSpace
from lawfind.search.sisso._units import UnitAlgebra

__all__ = ["SissoEngine"]

_L0_WORKSPACE = 96 * 2**20  # batch arrays of the ℓ0 enumeration


def _scaled(progress: ProgressCallback, low: float, high: float) -> ProgressCallback:
    return lambda fraction, message: progress(low + (high - low) * min(max(fraction, 0.0), 1.0), message)


@dataclass
class _State:
    """What the search has produced so far (kept when Ctrl-C or the deadline stops it)."""

    info: dict[str, Any]
    expressions: list[sp.Expr] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class SissoEngine(Engine):
    """Descriptors by SISSO: feature-space construction, sure-independence screening and exhaustive ℓ0.

    Parameters
    ----------
    operators : tuple of str, default=DEFAULT_OPERATORS
        ``("+", "-", "*", "/", "|-|", "exp", "exp-", "log", "sqrt", "cbrt", "^2", "^3", "^-1")``.
        Operators that build features (SISSO's names; see
        :data:`lawfind.search.sisso.OPERATORS`; also ``"^6"``, ``"abs"``, ``"sin"``, ``"cos"``).
    rung : int or None, default=None
        How many times the operators are applied (1..3; None: 2).  Rungs below ``rung`` are
        stored; the last rung is rebuilt chunk by chunk at every screening, never stored.
    max_size : int or None, default=None
        Grow the space by expression size instead of by rungs: every feature of at most
        ``max_size`` nodes (leaves plus operators, :attr:`lawfind.Law.complexity`; 2..15),
        however deeply nested — Bartel's τ = x1 − x2·(x2 − x0/ln x0) has 10 nodes but needs
        rung 5.  Exhaustive up to that size (duplicates removed), so the best 1-D descriptor
        of a given complexity is found, not only the best of a rung.  Give ``rung`` or
        ``max_size``, not both.
    max_dimension : int, default=2
        Largest number of descriptors in a model (models of every dimension 1..D are returned).
    sis_size : int, default=100
        Features kept by each screening step; ℓ0 searches the union of D such sets.
    n_models : int, default=3
        Models returned per dimension (the best first).
    n_residuals : int, default=1
        Screening for dimension ``d > 1`` scores each feature against the residuals of the
        ``n_residuals`` best ``(d-1)``-D models and keeps its best score (SISSO++'s
        ``n_residual``; 1 is SISSO).  Classification uses their overlap regions.
        At most ``n_models``.
    max_complexity : int or None, default=None
        Largest number of operators in one feature (SISSO's ``maxcomplexity``); None: no limit.
    memory_budget : int, default=2 GiB
        Bytes the search may use for stored features, chunks and ℓ0.  A setting that does
        not fit fails at once with a :class:`~lawfind.exceptions.ConfigError` giving the need.
    task : {"regression", "classification"}, default="regression"
        Classification needs exactly two classes.
    metric : {"balanced_accuracy", "accuracy"}, default="balanced_accuracy"
        What classification screening and ℓ0 maximise.
    feature_units : tuple of (str or None), optional
        Pint unit of each feature column; when given, only dimensionally valid features are
        built (``None`` entries: unknown unit, treated as a dimension of its own).
    target_unit : str, optional
        Pint unit of the target (only reported: the unit each coefficient carries).
    n_threads : int or None, default=None
        Threads that build and score feature chunks (None: one per CPU core).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).uniform(0.5, 2.0, (40, 2))
    >>> engine = SissoEngine(rung=1, max_dimension=1, operators=("*", "/", "^2"), n_threads=1)
    >>> result = engine.search(X, 2 * X[:, 0] / X[:, 1], time_limit=10, seed=0, progress=lambda f, m: None)
    >>> result.info["models"][0]["descriptors"][0]["expression"]
    'x0/x1'

    Notes
    -----
    ``info`` holds ``feature_space`` (sizes and drops per rung), ``sis`` and ``l0`` (per
    dimension: features scored, subsets evaluated, seconds, subsets per second),
    ``models`` (per dimension and rank: descriptors with expression, unit and complexity,
    coefficients or threshold, training scores), ``memory``, ``units``,
    ``time_limit_reached`` and ``seconds``.
    """

    name: ClassVar[str] = "sisso"
    supports_classification: ClassVar[bool] = True
    supports_units: ClassVar[bool] = True

    operators: tuple[str, ...] = DEFAULT_OPERATORS
    rung: int | None = None
    max_size: int | None = None
    max_dimension: int = 2
    sis_size: int = 100
    n_models: int = 3
    n_residuals: int = 1
    max_complexity: int | None = None
    memory_budget: int = 2 * 1024**3
    task: Literal["regression", "classification"] = "regression"
    metric: Literal["balanced_accuracy", "accuracy"] = "balanced_accuracy"
    feature_units: tuple[str | None, ...] | None = None
    target_unit: str | None = None
    n_threads: int | None = None

    def validate(self) -> None:
        check_options(self)

    def search(self, X: np.ndarray, y: np.ndarray, *, time_limit: float, seed: int,
               progress: ProgressCallback) -> SearchResult:
        self.validate()
        if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or not time_limit > 0:
            raise ConfigError(f"sisso engine: time_limit must be a positive number of seconds, got {time_limit!r}")
        X, y, classes = check_data(X, y, self)
        started = time.monotonic()
        state = _State(info={"task": self.task, "time_limit_reached": False, "models": [], "sis": [], "l0": []})
        interrupted = False
        try:
            self._run(X, y, classes, seed, started + float(time_limit), progress, state)
        except KeyboardInterrupt:
            interrupted = True
        state.info["seconds"] = round(time.monotonic() - started, 3)
        progress(1.0, f"{len(state.expressions)} model(s)")
        decisions = state.decisions if self.task == "classification" else None
        return SearchResult(state.expressions, interrupted=interrupted, info=state.info, decisions=decisions)

    # ------------------------------------------------------------------ the search
    def _units(self, n_features: int) -> tuple[UnitAlgebra, list[int], list[float]]:
        if self.feature_units is None:
            return UnitAlgebra.unchecked(), [0] * n_features, [1.0] * n_features
        if len(self.feature_units) != n_features:
            raise ConfigError(f"sisso engine: feature_units has {len(self.feature_units)} entries but the data have "
                              f"{n_features} feature columns; give one unit (or None) per column, in column order")
        return UnitAlgebra.from_strings(tuple(self.feature_units))

    def _run(self, X: np.ndarray, y: np.ndarray, classes: tuple[Any, Any] | None, seed: int, deadline: float,
             progress: ProgressCallback, state: _State) -> None:
        info = state.info
        n = X.shape[0]
        units, unit_ids, factors = self._units(X.shape[1])
        info["units"] = {"checked": units.enabled, "target_unit": self.target_unit,
                         "conversions": {f"x{i}": f for i, f in enumerate(factors) if f != 1.0}}
        directions = random_directions(n, seed)
        memory = MemoryPlan(int(self.memory_budget), n)
        operators = resolve_operators(self.operators)
        progress(0.0, "building the feature space")
        space = primary_space(X, operators, units, unit_ids, factors, directions, info)
        memory.stored += space.values.nbytes
        classification = self.task == "classification"
        # for 1-D threshold rules a monotone transform of a feature is the same rule: skip and merge them
        one_d_rules = classification and self.max_dimension == 1
        if self.max_size is None:
            rungs, blocks = self._rungs(space, memory, directions, deadline, progress, one_d_rules)
        else:
            rungs, blocks = self._sizes(space, operators, memory, directions, deadline, progress, one_d_rules)
        last = count_candidates(blocks)
        info["feature_space"] = {"growth": "rung" if self.max_size is None else "size",
                                 "rungs" if self.max_size is None else "sizes": rungs,
                                 "stored_features": space.size, "screened_space": space.size + last,
                                 "last_rung_monotone_unary_skipped": one_d_rules,
                                 "rank_duplicates_merged": one_d_rules}
        threads = self.n_threads or os.cpu_count() or 1
        chunk = memory.chunk_features(concurrent=2 * threads)
        union_size = self.sis_size * self.max_dimension
        memory.check(f"ℓ0 over {union_size:,} screened features ({self.max_dimension} x sis_size={self.sis_size})",
                     union_size**2 * 8 * 3 + union_size * n * 8 + _L0_WORKSPACE,
                     "lower sis_size or max_dimension")
        info["memory"] = {"budget": int(self.memory_budget), "stored_bytes": int(memory.stored),
                          "stored": format_bytes(memory.stored), "chunk_features": chunk, "threads": threads}
        union = Candidates.empty(n)
        positive = np.asarray(y == classes[1], dtype=bool) if classification else None
        residuals, row_sets = y[None, :], [np.arange(n)]
        for d in range(1, self.max_dimension + 1):
            share = (deadline - time.monotonic()) / (self.max_dimension - d + 1)
            step_deadline = time.monotonic() + share
            span = (0.1 + 0.9 * (d - 1) / self.max_dimension, 0.1 + 0.9 * d / self.max_dimension)
            scorer = (classification_scorer(positive, row_sets, self.metric) if classification
                      else regression_scorer(residuals))
            chosen, stats = screen(space, blocks, scorer, self.sis_size, union, rank_duplicates=one_d_rules,
                                   directions=directions, chunk=chunk, deadline=step_deadline,
                                   progress=_scaled(progress, span[0], (span[0] + span[1]) / 2), n_threads=threads)
            info["sis"].append({"dimension": d, "selected": len(chosen), "scored": stats.scored,
                                "unusable": stats.unusable, "seconds": round(stats.seconds, 3),
                                "complete": stats.complete,
                                "samples": [int(len(rows)) for rows in row_sets] if classification else None,
                                "residuals": len(row_sets) if classification else len(residuals),
                                "best_score": float(chosen.score[0]) if len(chosen) else None})
            info["time_limit_reached"] |= not stats.complete
            union = union.concat(chosen)
            if len(union) < d:
                break
            l0_progress = _scaled(progress, (span[0] + span[1]) / 2, span[1])
            if classification:
                result = classification_l0(union.values, positive, union.complexity, d, self.n_models, self.metric,
                                           deadline=max(step_deadline, time.monotonic() + 1.0),
                                           progress=l0_progress)
            else:
                result = regression_l0(union.values, y, d, self.n_models,
                                       deadline=max(step_deadline, time.monotonic() + 1.0), progress=l0_progress)
            info["l0"].append({"dimension": d, "union_size": len(union), "subsets": result.evaluated,
                               "seconds": round(result.seconds, 3), "subsets_per_second": round(result.rate, 1),
                               "complete": result.complete})
            info["time_limit_reached"] |= not result.complete
            if classification:
                expressions, decisions, records, margins = classification_models(
                    space, union, result, positive, classes, d, self.target_unit, self.metric)
                state.decisions.extend(decisions)
            else:
                expressions, records, predictions = regression_models(space, union, result, y, d, self.target_unit)
            state.expressions.extend(expressions)
            info["models"].extend(records)
            if result.interrupted:
                raise KeyboardInterrupt
            if not records or time.monotonic() > deadline:
                info["time_limit_reached"] |= time.monotonic() > deadline
                break
            if classification:
                row_sets = [rows for rows in (_overlap_rows(m, positive) for m in margins[:self.n_residuals])
                            if len(rows) and len(np.unique(positive[rows])) == 2]
                if not row_sets:
                    info["stopped"] = f"the {d}-D model separates the classes; no further dimension needed"
                    break
            else:
                residuals = np.array([y - p for p in predictions[:self.n_residuals]])
                if np.sqrt(np.mean(residuals[0] ** 2)) <= 1e-12 * float(np.std(y)):
                    info["stopped"] = f"the {d}-D model fits exactly; no further dimension needed"
                    break

    def _rungs(self, space: FeatureSpace, memory: MemoryPlan, directions: np.ndarray, deadline: float,
               progress: ProgressCallback, one_d_rules: bool) -> tuple[dict[str, Any], list[Block]]:
        """Store rungs ``1..R-1``; the blocks of rung ``R`` (screened, never stored)."""
        rung = DEFAULT_RUNG if self.rung is None else self.rung
        rungs: dict[str, Any] = {"0": {"stored": space.size}}
        for r in range(1, rung):
            rungs[str(r)] = add_rung(space, r, self.max_complexity, memory, directions, deadline,
                                     _scaled(progress, 0.0, 0.1))
        blocks = rung_blocks(space, rung, self.max_complexity, skip_monotone=one_d_rules)
        rungs[str(rung)] = {"candidates": count_candidates(blocks), "stored": 0}
        return rungs, blocks

    def _sizes(self, space: FeatureSpace, operators: list[Operator], memory: MemoryPlan, directions: np.ndarray,
               deadline: float, progress: ProgressCallback, one_d_rules: bool) -> tuple[dict[str, Any], list[Block]]:
        """Store the features of sizes ``2..S-1``; the blocks of size ``S`` (screened, never stored).

        For 1-D threshold rules with only monotone unary operators, size ``S`` needs no
        size ``S-1`` operand (a monotone function of a feature is the same rule), so only
        sizes ``2..S-2`` are stored and size ``S-1`` is screened from blocks like size ``S``.
        """
        top = self.max_size - 1  # levels are sizes minus one (primaries: level 0)
        skip_next_to_last = one_d_rules and all(op.arity == 2 or op.monotone == "always" for op in operators)
        stored_top = top - 2 if skip_next_to_last else top - 1
        sizes: dict[str, Any] = {"1": {"stored": space.size}}
        for level in range(1, stored_top + 1):
            sizes[str(level + 1)] = add_rung(space, level, self.max_complexity, memory, directions, deadline,
                                             _scaled(progress, 0.0, 0.1), by_size=True)
        blocks: list[Block] = []
        for level in range(stored_top + 1, top + 1):
            found = size_blocks(space, level, self.max_complexity, skip_monotone=one_d_rules)
            sizes[str(level + 1)] = {"candidates": count_candidates(found), "stored": 0}
            blocks.extend(found)
        return sizes, blocks


def _overlap_rows(values: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """Samples where the ranges of the two classes overlap along a model's score (SISSO's overlap region)."""
    low = max(values[positive].min(), values[~positive].min())
    high = min(values[positive].max(), values[~positive].max())
    return np.flatnonzero((values >= low) & (values <= high)) if low <= high else np.empty(0, dtype=np.int64)
