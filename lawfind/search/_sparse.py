"""The ``sparse`` engine: sparse linear laws ``y = a0 + Σ a_j·term_j`` over a descriptor library.

How it works (see :mod:`lawfind.search._library` and :mod:`lawfind.search._subsets`):

1. build the descriptor library from the inputs (powers, logs, products, ratios where
   defined), drop non-finite, constant and duplicate terms, and screen it down to
   ``max_library_size`` by correlation with ``y`` if it is larger;
2. find the best supports of each size 1..max_terms (best subset, OMP, forward stepwise
   or LASSO);
3. pick the number of terms ``k*`` by K-fold cross-validation — the selection is rerun
   inside every training fold, so the score is honest about selection — or by BIC, AIC
   or extended BIC on the whole data.  Errors below an NRMSE of ``1e-9`` count as
   exact, so an exact law is not beaten by a larger model that only fits rounding noise;
4. return the OLS refits of sizes 1..k* only: term counts that overfit never reach
   the Pareto front.  (If ``k* = 0`` — no term beats the mean — the only candidate is
   the constant ``mean(y)``.)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import sympy as sp

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError, DataError
from lawfind.search._base import Engine, SearchResult
from lawfind.search._library import Library, build_library, power_exponent, screen_library
from lawfind.search._subsets import (
    DEFAULT_BEAM_WIDTH, NRMSE_FLOOR, SELECTION_METHODS, OLSFit, Selection, choose_size, information_criterion, ols_fit,
    select_supports,
)

__all__ = ["SparseEngine"]

_METHODS = ("auto",) + SELECTION_METHODS
_CRITERIA = ("cv", "bic", "aic", "ebic")


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _scaled(progress: ProgressCallback, low: float, high: float) -> ProgressCallback:
    return lambda fraction, message: progress(low + (high - low) * min(max(fraction, 0.0), 1.0), message)


@dataclass
class _State:
    """What a search has produced so far (kept when Ctrl-C stops it)."""

    info: dict[str, Any]
    library: Library | None = None
    full: Selection | None = None


@dataclass
class SparseEngine(Engine):
    """Sparse linear laws over a descriptor library; the term count is chosen by CV or an information criterion.

    Parameters
    ----------
    max_terms : int, default=3
        Largest number of library terms in a law (the intercept is extra).
    method : {"auto", "best_subset", "omp", "forward", "beam", "lasso"}, default="auto"
        How supports are selected.  ``"auto"`` uses exhaustive best subset when
        ``C(library_size, max_terms) <= max_subsets`` and forward stepwise otherwise; the
        choice and its reason are recorded in ``info``.  ``"forward"`` (forward stepwise
        regression: each step adds the term that lowers the least-squares RSS most) costs
        as little as OMP (``"omp"``: the term most correlated with the residual) and is the
        better greedy search when library terms are strongly correlated, as shifted logs and
        products of alloy contents are.  ``"beam"`` is forward stepwise that keeps the
        ``beam_width`` best supports of each size instead of one: ``beam_width`` times the
        cost, and fewer laws lost to one bad early step.
    criterion : {"cv", "bic", "aic", "ebic"}, default="cv"
        How the number of terms is chosen.  ``"cv"`` reruns the selection inside each
        training fold, so it prices the search itself.  ``"bic"`` and ``"aic"`` are
        computed on the best model of each size and ignore how many supports were
        searched: with a large library they tend to pick too many terms.  ``"ebic"``
        (extended BIC, Chen & Chen 2008, γ = 1) adds ``2·log C(library_size, k)`` for that.
    cv_folds : int, default=5
        Folds for ``criterion="cv"`` (shuffled with the search seed).
    powers : tuple of float, default=(2, 3, 0.5, -1, -2, -0.5)
        Exponents applied to each input where defined (non-integer ones on strictly
        positive columns only, negative ones on columns without zeros).
    include_log : bool, default=True
        Add ``log x`` for strictly positive columns.
    include_exp : bool, default=False
        Add ``exp x`` (terms that overflow are dropped).
    interactions : bool, default=True
        Add the pairwise products ``x_i*x_j`` and ratios ``x_i/x_j``.
    shifts : tuple of float, default=()
        Positive shifts ``s``: add ``log(x + s)`` and ``1/(x + s)`` for every non-negative
        column — a saturating response for columns with zeros (alloying contents), where
        ``log x`` and ``1/x`` are undefined.  E.g. ``(0.01, 0.1, 1)`` for wt% columns.
    term_products : bool, default=False
        Add the product of every two different single-input terms (inputs, powers, logs,
        shifted terms) — a library quadratic in their number; raise ``max_library_size``
        to keep it unscreened.
    max_library_size : int, default=1000
        Larger libraries are screened to this many terms by ``|corr(term, y)|``; the
        number screened out is recorded in ``info["library_dropped"]["screened"]``.
    max_subsets : int, default=2000000
        The ``"auto"`` threshold on ``C(library_size, max_terms)``.
    candidates_per_size : int, default=3
        Candidates returned per term count (the best supports of that size).
    beam_width : int, default=10
        Supports kept per term count by ``method="beam"`` (1 is forward stepwise).

    Notes
    -----
    ``info`` holds: ``method``, ``method_reason``, ``library_size``, ``library_terms``,
    ``library_dropped``, ``criterion``, ``scores`` (term count -> criterion value; for
    ``"cv"`` the pooled validation MSE), ``k_star``, ``terms_chosen``, ``subsets_evaluated``,
    ``time_limit_reached``, ``seconds``.
    """

    name: ClassVar[str] = "sparse"

    max_terms: int = 3
    method: Literal["auto", "best_subset", "omp", "forward", "beam", "lasso"] = "auto"
    criterion: Literal["cv", "bic", "aic", "ebic"] = "cv"
    cv_folds: int = 5
    powers: tuple[float, ...] = (2, 3, 0.5, -1, -2, -0.5)
    include_log: bool = True
    include_exp: bool = False
    interactions: bool = True
    shifts: tuple[float, ...] = ()
    term_products: bool = False
    max_library_size: int = 1000
    max_subsets: int = 2_000_000
    candidates_per_size: int = 3
    beam_width: int = DEFAULT_BEAM_WIDTH

    def validate(self) -> None:
        if self.method not in _METHODS:
            raise ConfigError(f"sparse engine: method must be one of {list(_METHODS)}, got {self.method!r}")
        if self.criterion not in _CRITERIA:
            raise ConfigError(f"sparse engine: criterion must be one of {list(_CRITERIA)}, got {self.criterion!r}")
        for name, low in (("max_terms", 1), ("cv_folds", 2), ("max_library_size", 1), ("max_subsets", 1),
                          ("candidates_per_size", 1), ("beam_width", 1)):
            value = getattr(self, name)
            if not _is_int(value) or value < low:
                raise ConfigError(f"sparse engine: {name} must be an integer ≥ {low}, got {value!r}")
        if self.beam_width != DEFAULT_BEAM_WIDTH and self.method != "beam":
            raise ConfigError(f"sparse engine: beam_width applies to method='beam' only, but method is "
                              f"{self.method!r}; pass method='beam' (CLI: --method beam) or leave beam_width out")
        for name in ("include_log", "include_exp", "interactions", "term_products"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ConfigError(f"sparse engine: {name} must be True or False, got {getattr(self, name)!r}")
        if isinstance(self.powers, (str, bytes)) or not hasattr(self.powers, "__iter__"):
            raise ConfigError(f"sparse engine: powers must be a tuple of numbers such as (2, 0.5, -1), "
                              f"got {self.powers!r}")
        seen: set[sp.Expr] = set()
        for power in self.powers:
            if isinstance(power, bool) or not isinstance(power, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(power) or power in (0, 1):
                raise ConfigError(f"sparse engine: each power must be a finite number other than 0 and 1 (x**0 is "
                                  f"the intercept, x**1 the input itself), got {power!r} in powers={self.powers!r}")
            exponent = power_exponent(power)
            if exponent in seen:
                raise ConfigError(f"sparse engine: power {power!r} is listed twice in powers={self.powers!r}")
            seen.add(exponent)
        if isinstance(self.shifts, (str, bytes)) or not hasattr(self.shifts, "__iter__"):
            raise ConfigError(f"sparse engine: shifts must be a tuple of positive numbers such as (0.01, 0.1, 1), "
                              f"got {self.shifts!r}")
        for shift in self.shifts:
            if isinstance(shift, bool) or not isinstance(shift, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(shift) or shift <= 0:
                raise ConfigError(f"sparse engine: each shift must be a positive finite number (it gives "
                                  f"log(x + shift) and 1/(x + shift)), got {shift!r} in shifts={self.shifts!r}")
        if len(set(float(s) for s in self.shifts)) != len(tuple(self.shifts)):
            raise ConfigError(f"sparse engine: a shift is listed twice in shifts={self.shifts!r}")

    def _resolve_method(self, library_size: int) -> tuple[str, str]:
        if self.method != "auto":
            return self.method, "requested"
        count = math.comb(library_size, min(self.max_terms, library_size))
        subsets = f"C({library_size}, {self.max_terms}) = {count:,}"
        if count <= self.max_subsets:
            return "best_subset", f"{subsets} ≤ max_subsets = {self.max_subsets:,}"
        return "forward", f"{subsets} > max_subsets = {self.max_subsets:,}"

    def search(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        time_limit: float,
        seed: int,
        progress: ProgressCallback,
    ) -> SearchResult:
        self.validate()
        if not time_limit > 0:
            raise ConfigError(f"sparse engine: time_limit must be a positive number of seconds, got {time_limit!r}")
        X, y = _check_data(X, y, self.max_terms, self.cv_folds if self.criterion == "cv" else None)
        started = time.monotonic()
        state = _State(info={"criterion": self.criterion, "scores": None, "k_star": None, "terms_chosen": None,
                             "subsets_evaluated": 0, "time_limit_reached": False})
        interrupted = False
        try:
            self._run(X, y, seed, started + time_limit, progress, state)
        except KeyboardInterrupt:
            interrupted = True
        info, library, full = state.info, state.library, state.full
        k_star = info["k_star"]
        expressions: list[sp.Expr] = []
        if k_star == 0:
            expressions.append(sp.Float(float(np.mean(y))))
        if library is not None and full is not None:
            # interrupted before k* was known: every size found so far
            sizes = range(1, k_star + 1) if k_star is not None else sorted(full.supports)
            for k in sizes:
                for support in full.supports.get(k, []):
                    expressions.append(_law_expression(library, ols_fit(library.values, y, support), support))
            if k_star:
                info["terms_chosen"] = [info["library_terms"][j] for j in full.supports[k_star][0]]
        info["seconds"] = round(time.monotonic() - started, 3)
        progress(1.0, f"{len(expressions)} candidate(s), k* = {k_star}")
        return SearchResult(expressions, interrupted=interrupted, info=info)

    def _run(self, X: np.ndarray, y: np.ndarray, seed: int, deadline: float, progress: ProgressCallback,
             state: _State) -> None:
        """Build the library, select supports and choose k*, recording each step in ``state``."""
        info = state.info
        progress(0.0, "building the descriptor library")
        library = build_library(X, powers=tuple(self.powers), include_log=self.include_log,
                                include_exp=self.include_exp, interactions=self.interactions,
                                shifts=tuple(self.shifts), term_products=self.term_products)
        library = screen_library(library, y, self.max_library_size)
        if library.size == 0:
            raise DataError("sparse engine: the descriptor library is empty — every input and derived term is "
                            "constant or non-finite on this data; check the input columns")
        method, reason = self._resolve_method(library.size)
        info.update(method=method, method_reason=reason, library_size=library.size,
                    library_terms=library.names(), library_dropped=library.dropped)
        state.library = library
        runs = 1 + (self.cv_folds if self.criterion == "cv" else 0)
        now = time.monotonic()
        full = select_supports(method, library.values, y, max_terms=self.max_terms, keep=self.candidates_per_size,
                               deadline=now + (deadline - now) / runs, beam_width=self.beam_width,
                               progress=_scaled(progress, 0.02, 0.02 + 0.96 / runs))
        state.full = full
        info["subsets_evaluated"] = full.n_evaluated
        info["time_limit_reached"] = not full.complete
        if full.interrupted:
            raise KeyboardInterrupt
        if self.criterion == "cv":
            scores, evaluated, complete = self._cv_scores(method, library, y, seed, deadline,
                                                          _scaled(progress, 0.02 + 0.96 / runs, 0.98))
            info["subsets_evaluated"] += evaluated
            info["time_limit_reached"] |= not complete
        else:
            scores = information_criterion(full, y, self.criterion, library.size)
        # a size the (time-limited) full-data search did not reach cannot be chosen
        scores = {k: (v if k == 0 or k in full.supports else None) for k, v in scores.items()}
        info["scores"] = {str(k): (None if v is None else float(v)) for k, v in scores.items()}
        info["k_star"] = choose_size(scores)

    def _cv_scores(
        self, method: str, library: Library, y: np.ndarray, seed: int, deadline: float, progress: ProgressCallback
    ) -> tuple[dict[int, float | None], int, bool]:
        """Pooled validation MSE per term count, with the selection rerun inside each training fold."""
        from sklearn.model_selection import KFold

        T = library.values
        sse = {k: 0.0 for k in range(self.max_terms + 1)}
        covered = {k: 0 for k in sse}
        evaluated, complete = 0, True
        folds = list(KFold(self.cv_folds, shuffle=True, random_state=seed).split(T))
        for number, (train, test) in enumerate(folds):
            progress(number / len(folds), f"cross-validation fold {number + 1}/{len(folds)}")
            remaining = deadline - time.monotonic()
            fold_deadline = time.monotonic() + remaining / (len(folds) - number)
            selection = select_supports(method, T[train], y[train], max_terms=self.max_terms, keep=1,
                                        deadline=fold_deadline, beam_width=self.beam_width,
                                        progress=_scaled(progress, number / len(folds), (number + 1) / len(folds)))
            evaluated += selection.n_evaluated
            complete &= selection.complete
            if selection.interrupted:
                raise KeyboardInterrupt
            sse[0] += float(np.sum((y[test] - np.mean(y[train])) ** 2))
            covered[0] += 1
            for k, supports in selection.supports.items():
                fit = ols_fit(T[train], y[train], supports[0])
                residual = y[test] - fit.intercept - T[test][:, list(supports[0])] @ fit.coef
                sse[k] += float(residual @ residual)
                covered[k] += 1
        floor = float(np.var(y)) * NRMSE_FLOOR**2
        scores = {k: (max(sse[k] / len(y), floor) if covered[k] == len(folds) else None) for k in sse}
        return scores, evaluated, complete


def _check_data(X: np.ndarray, y: np.ndarray, max_terms: int, folds: int | None) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise DataError(f"sparse engine: X must be 2-D and y 1-D with as many rows, got X {X.shape} and y {y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise DataError("sparse engine: X and y must be finite; drop or impute the rows with NaN/inf first")
    if np.std(y) == 0:
        raise DataError("sparse engine: the target is constant; there is no law to find")
    if folds and X.shape[0] < folds:
        raise DataError(f"sparse engine: {X.shape[0]} rows cannot be split into cv_folds={folds} folds; "
                        f"lower cv_folds or use criterion='ebic' (in Python: SparseEngine(...))")
    needed = max_terms + 2
    train_rows = X.shape[0] - math.ceil(X.shape[0] / folds) if folds else X.shape[0]
    if train_rows < needed:
        where = f" in each of the {folds} cross-validation training folds" if folds else ""
        fix = ("lower max_terms (CLI: --max-terms), or in Python lower cv_folds or use criterion='ebic'" if folds
               else "lower max_terms (CLI: --max-terms)")
        raise DataError(f"sparse engine: {X.shape[0]} rows give {train_rows} training rows{where}, but "
                        f"max_terms={max_terms} needs at least {needed}; {fix}")
    return X, y


def _law_expression(library: Library, fit: OLSFit, support: tuple[int, ...]) -> sp.Expr:
    """``intercept + Σ coef_j·term_j`` with Float coefficients on the raw (unstandardized) terms."""
    terms = [sp.Float(float(a)) * library.expressions[j] for a, j in zip(fit.coef, support)]
    return sp.Add(sp.Float(fit.intercept), *terms)
