"""Support selection for the ``sparse`` engine: which library terms enter a linear law.

All methods work from the standardized Gram matrix ``G = ZᵀZ/n`` and
``c = Zᵀy_s/n`` (``Z`` the centred, unit-variance terms, ``y_s`` the standardized
target), computed once per data set, so an intercept is always implied:

* ``best_subset`` — exhaustive over every subset of size 1..max_terms.  Subsets are
  enumerated as a (k-1)-prefix plus one later term, and all extensions of a batch of
  prefixes are scored at once with the Schur complement
  ``R²(S ∪ j) = R²(S) + (c_j - G_jS b_S)² / (1 - G_jS G_SS⁻¹ G_Sj)``;
* ``omp`` — orthogonal matching pursuit: add the term most correlated with the
  current residual, refit, repeat;
* ``forward`` — forward stepwise regression: add the term whose least-squares refit
  lowers the RSS most, ``ΔR²_j = (c_j - G_jS b_S)² / (1 - G_jS G_SS⁻¹ G_Sj)`` — OMP's
  score divided by the part of term ``j`` not explained by the terms already in.  It
  costs as little as OMP and does not favour terms that merely repeat the chosen ones;
* ``beam`` — forward stepwise with a beam: every step extends each of the ``beam_width``
  best supports found so far by every term and keeps the ``beam_width`` best (by the same
  exact gain).  Width 1 is forward stepwise; a wider beam recovers laws whose terms only
  pay off together, at ``beam_width`` times the cost of forward stepwise;
* ``lasso`` — the LASSO path by LARS (``sklearn.linear_model.lars_path_gram``); every
  distinct support of size ≤ max_terms along the path is a candidate.

The greedy methods (``omp``, ``forward``, ``beam``) live in :mod:`._greedy`.

Candidate supports are finally ranked per size by the residual sum of squares of an
ordinary least-squares refit on the raw terms (:func:`ols_fit`).  The term count is
then chosen by :func:`information_criterion` + :func:`choose_size` (or by the engine's
cross-validation).
"""

from __future__ import annotations

import itertools
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lawfind.search._greedy import DEFAULT_BEAM_WIDTH, DEPENDENT, beam_supports, forward_supports, omp_supports

__all__ = ["Selection", "OLSFit", "SELECTION_METHODS", "standardized_gram", "best_subset_supports",
           "omp_supports", "forward_supports", "beam_supports", "lasso_supports", "ols_fit", "select_supports",
           "information_criterion", "choose_size", "NRMSE_FLOOR", "DEFAULT_BEAM_WIDTH"]

SELECTION_METHODS = ("best_subset", "omp", "forward", "beam", "lasso")
#: Relative errors (NRMSE) below this count as exact when choosing the term count, so an
#: exact law is not beaten by a larger model that only fits rounding noise.
NRMSE_FLOOR = 1e-9
_DEPENDENT = DEPENDENT  # 1 - R² of a term on the others below this: linearly dependent
_REFINE = 8  # best-subset candidates per size re-ranked by an exact OLS refit

Support = tuple[int, ...]


@dataclass
class Selection:
    """Candidate supports per size, best first.

    Attributes
    ----------
    supports : dict of int to list of tuple of int
        Size ``k`` -> supports (library column indices), ranked by training RSS.
    rss : dict of int to list of float
        The matching residual sums of squares of the OLS refits.
    n_evaluated : int
        Subsets scored (best subset) or supports refit (omp, lasso).
    complete : bool
        False when the deadline stopped the best-subset enumeration early.
    interrupted : bool
        True when Ctrl-C stopped the enumeration; the supports are the best so far.
    """

    supports: dict[int, list[Support]]
    rss: dict[int, list[float]]
    n_evaluated: int
    complete: bool = True
    interrupted: bool = False


@dataclass(frozen=True)
class OLSFit:
    """An ordinary least-squares fit ``y ≈ intercept + T[:, support] @ coef``."""

    intercept: float
    coef: np.ndarray
    rss: float


def standardized_gram(T: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``G = ZᵀZ/n`` and ``c = Zᵀy_s/n`` for standardized terms ``Z`` and target ``y_s``.

    Constant columns (possible on a cross-validation fold) get a zero column in ``Z``
    and a unit diagonal in ``G``: they are orthogonal to everything and never help.
    """
    n = T.shape[0]
    mean, std = T.mean(axis=0), T.std(axis=0)
    usable = std > 1e-12 * np.max(np.abs(T), axis=0)
    Z = (T - mean) / np.where(usable, std, 1.0)
    Z[:, ~usable] = 0.0
    y_std = float(np.std(y))
    ys = (y - np.mean(y)) / y_std if y_std > 0 else np.zeros_like(y)
    G = Z.T @ Z / n
    G[np.flatnonzero(~usable), np.flatnonzero(~usable)] = 1.0
    return G, Z.T @ ys / n


def _merge_top(scores: np.ndarray, supports: np.ndarray, keep: int) -> tuple[np.ndarray, np.ndarray]:
    if len(scores) > keep:
        top = np.argpartition(-scores, keep - 1)[:keep]
        scores, supports = scores[top], supports[top]
    return scores, supports


def best_subset_supports(
    G: np.ndarray,
    c: np.ndarray,
    max_terms: int,
    *,
    keep: int,
    deadline: float,
    progress: Callable[[float, str], None],
) -> Selection:
    """Exhaustive best subsets of size 1..max_terms by R² (see the module docstring).

    Returns the ``keep`` best supports per size (ranked by Gram R², ``rss`` holding
    ``1 - R²``).  Stops at ``deadline`` (``time.monotonic()``) with ``complete=False``,
    and on Ctrl-C with ``interrupted=True``; sizes not reached are absent.
    """
    m = len(c)
    total = sum(math.comb(m, k) for k in range(1, max_terms + 1))
    found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    evaluated, last_report = 0, time.monotonic()
    complete, interrupted = True, False
    try:
        r2 = c**2
        order = np.argsort(-r2, kind="stable")[:keep]
        found[1] = (r2[order], order[:, None])
        evaluated = m
        for k in range(2, min(max_terms, m) + 1):
            progress(evaluated / total, f"best subset: size {k}")
            batch = max(16, 2**20 // (m * k))
            prefixes = itertools.combinations(range(m - 1), k - 1)
            best_scores, best_supports = np.empty(0), np.empty((0, k), dtype=np.intp)
            while True:
                chunk = np.fromiter(itertools.chain.from_iterable(itertools.islice(prefixes, batch)), dtype=np.intp)
                if chunk.size == 0:
                    break
                S = chunk.reshape(-1, k - 1)
                G_SS = G[S[:, :, None], S[:, None, :]]
                valid = np.linalg.det(G_SS) > _DEPENDENT if k > 2 else np.ones(len(S), dtype=bool)
                G_SS[~valid] = np.eye(k - 1)
                G_S = G[S]  # (B, k-1, m)
                c_S = c[S]
                solved = np.linalg.solve(G_SS, np.concatenate([c_S[:, :, None], G_S], axis=2))
                b, W = solved[:, :, 0], solved[:, :, 1:]
                residual = c[None, :] - np.einsum("bi,bij->bj", b, G_S)
                denominator = 1.0 - np.einsum("bij,bij->bj", G_S, W)
                later = np.arange(m)[None, :] > S[:, -1:]
                ok = later & (denominator > _DEPENDENT) & valid[:, None]
                with np.errstate(divide="ignore", invalid="ignore"):
                    score = np.where(ok, np.einsum("bi,bi->b", c_S, b)[:, None] + residual**2 / denominator, -np.inf)
                evaluated += int(later.sum())
                flat = score.ravel()
                top = np.argpartition(-flat, min(keep, flat.size) - 1)[:keep]
                top = top[np.isfinite(flat[top])]
                rows, cols = np.divmod(top, m)
                new_supports = np.concatenate([S[rows], cols[:, None]], axis=1)
                best_scores, best_supports = _merge_top(np.concatenate([best_scores, flat[top]]),
                                                        np.concatenate([best_supports, new_supports]), keep)
                now = time.monotonic()
                if now - last_report > 0.2:
                    progress(evaluated / total, f"best subset: size {k}, {evaluated:,}/{total:,} subsets")
                    last_report = now
                if now >= deadline:
                    complete = False
                    break
            if len(best_scores):
                order = np.argsort(-best_scores, kind="stable")
                found[k] = (best_scores[order], best_supports[order])
            if not complete:
                break
    except KeyboardInterrupt:
        interrupted = True
    supports = {k: [tuple(int(i) for i in s) for s in sup] for k, (_, sup) in found.items()}
    rss = {k: [float(1.0 - s) for s in scores] for k, (scores, _) in found.items()}
    return Selection(supports, rss, evaluated, complete=complete, interrupted=interrupted)


def lasso_supports(G: np.ndarray, c: np.ndarray, n_samples: int, max_terms: int) -> dict[int, list[Support]]:
    """The distinct supports of size 1..max_terms along the LASSO (LARS) path."""
    from sklearn.linear_model import lars_path_gram

    with warnings.catch_warnings():
        # LARS reports degenerate (collinear) steps as warnings; the supports are refit by OLS anyway
        warnings.simplefilter("ignore")
        _, _, coefs = lars_path_gram(c * n_samples, G * n_samples, n_samples=n_samples,
                                     method="lasso", max_iter=4 * max_terms + 20)
    out: dict[int, list[Support]] = {}
    for column in np.atleast_2d(coefs.T):
        support = tuple(int(i) for i in np.flatnonzero(column))
        if 1 <= len(support) <= max_terms and support not in out.setdefault(len(support), []):
            out[len(support)].append(support)
    return {k: v for k, v in sorted(out.items()) if v}


def ols_fit(T: np.ndarray, y: np.ndarray, support: Support) -> OLSFit:
    """Least squares with an intercept on the columns ``support`` of ``T`` (centred and scaled for accuracy)."""
    A = T[:, list(support)]
    mean, std = A.mean(axis=0), A.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    y_mean = float(np.mean(y))
    beta = np.linalg.lstsq((A - mean) / std, y - y_mean, rcond=None)[0]
    coef = beta / std
    intercept = y_mean - float(mean @ coef)
    residual = y - intercept - A @ coef
    return OLSFit(intercept, coef, float(residual @ residual))


def select_supports(
    method: str,
    T: np.ndarray,
    y: np.ndarray,
    *,
    max_terms: int,
    keep: int,
    deadline: float,
    progress: Callable[[float, str], None],
    beam_width: int = DEFAULT_BEAM_WIDTH,
) -> Selection:
    """Candidate supports of size 1..max_terms by ``method``, ranked per size by OLS RSS on ``(T, y)``.

    Parameters
    ----------
    method : {"best_subset", "omp", "forward", "beam", "lasso"}
    T : ndarray of shape (n_samples, n_terms)
        Library values.
    y : ndarray of shape (n_samples,)
    max_terms : int
        Largest support size.
    keep : int
        Supports kept per size.
    deadline : float
        ``time.monotonic()`` value at which best-subset enumeration stops.
    progress : callable
        ``progress(fraction, message)``.
    beam_width : int, default=DEFAULT_BEAM_WIDTH
        Supports kept per size by ``method="beam"``.
    """
    if method not in SELECTION_METHODS:
        raise ValueError(f"unknown selection method {method!r}; choose from {SELECTION_METHODS}")
    G, c = standardized_gram(T, y)
    if method == "best_subset":
        selection = best_subset_supports(G, c, max_terms, keep=max(keep, _REFINE), deadline=deadline,
                                         progress=progress)
        raw = selection.supports
    elif method == "beam":
        raw, complete = beam_supports(G, c, max_terms, beam_width, deadline, progress)
        selection = Selection({}, {}, sum(len(v) for v in raw.values()) * len(c), complete=complete)
        # the beam is ranked by exact R² already: refit only the best few of each size
        raw = {k: supports[:max(keep, _REFINE)] for k, supports in raw.items()}
    else:
        greedy = {"omp": omp_supports, "forward": forward_supports}
        raw = greedy[method](G, c, max_terms) if method in greedy else lasso_supports(G, c, len(y), max_terms)
        selection = Selection({}, {}, sum(len(v) for v in raw.values()))
    supports: dict[int, list[Support]] = {}
    rss: dict[int, list[float]] = {}
    for k, candidates in raw.items():
        fits = sorted((ols_fit(T, y, s).rss, s) for s in candidates)[:keep]
        supports[k] = [s for _, s in fits]
        rss[k] = [r for r, _ in fits]
    selection.supports, selection.rss = supports, rss
    return selection


def information_criterion(
    selection: Selection, y: np.ndarray, criterion: str, library_size: int
) -> dict[int, float | None]:
    """BIC, AIC or extended BIC of the best model of each size (the intercept-only model at size 0).

    ``n·log(RSS/n) + penalty·(k + 1)`` with ``penalty = log n`` (BIC, EBIC) or 2 (AIC);
    EBIC (Chen & Chen 2008, γ = 1) adds ``2·log C(library_size, k)``, the price of having
    searched all supports of size ``k``.  RSS is floored at ``TSS·NRMSE_FLOOR²``.

    Parameters
    ----------
    selection : Selection
        Its best (first) RSS of each size is used.
    y : ndarray of shape (n_samples,)
    criterion : {"bic", "aic", "ebic"}
    library_size : int
        Number of library terms (for EBIC).

    Returns
    -------
    dict of int to float
        Term count -> score (lower is better).
    """
    n = len(y)
    tss = float(np.sum((y - np.mean(y)) ** 2))
    rss = {0: tss} | {k: values[0] for k, values in selection.rss.items()}
    penalty = 2.0 if criterion == "aic" else math.log(n)
    floor = tss * NRMSE_FLOOR**2
    scores = {k: n * math.log(max(value, floor) / n) + penalty * (k + 1) for k, value in sorted(rss.items())}
    if criterion == "ebic":
        scores = {k: v + 2.0 * math.log(math.comb(library_size, k)) for k, v in scores.items()}
    return scores


def choose_size(scores: dict[int, float | None]) -> int:
    """The smallest term count with the lowest score (``None`` scores are skipped)."""
    valid = {k: v for k, v in scores.items() if v is not None}
    best = min(valid.values())
    return min(k for k, v in valid.items() if v == best)
