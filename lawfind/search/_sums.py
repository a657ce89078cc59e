"""Sparse sums and ratios of library terms fitted to one target (the portfolio's structured stage).

Two searches over a :class:`~lawfind.search._monomials.TermLibrary`:

* **sums** ``t = a0 + Σ a_i·m_i`` of one to ``max_terms`` terms.  Supports come from a
  beam search over the whole library (each kept support grown by the terms with the
  largest exact R² gain) and from exhaustive best subset: pairs over the ``screen`` terms
  most correlated with ``t``, larger supports over the ``screen3`` most correlated;
* **ratios** ``t = (a0 + Σ a_i·m_i) / (1 - Σ c_k·n_k)``: the linear fit
  ``t = a0 + Σ a_i·m_i + Σ c_k·(t·n_k)`` with monomials ``n_k`` (powers of the columns
  only).  The linear fit favours denominators close to 0, so the beam ranks supports by
  the error of the ratio itself, and fits whose denominator vanishes are dropped.  Besides
  the beam and exhaustive search over screened columns, each of the 8 most promising
  denominator columns and then each simple one (``x``, ``1/x``, ``x/w``) is tried with
  every pair of numerator terms among 400, while time lasts.

Selection runs on the library's row subsample; every chosen support is then refit by
least squares on all rows and scored there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from lawfind.law import nrmse
from lawfind.search._monomials import TermLibrary
from lawfind.search._subsets import best_subset_supports, ols_fit

__all__ = ["SumFit", "fit_sparse_sums"]

_DEPENDENT = 1e-10
_EXACT = 1e-12
_VANISHING = 1e-6
_NEGLIGIBLE = 1e-12
_RESIDUAL_TERMS = 5  # plain terms whose fit the denominator columns are screened against
_PIVOTS = 8  # denominator columns each tried with every pair of numerator terms

Support = tuple[int, ...]


@dataclass(frozen=True, eq=False)
class SumFit:
    """A least-squares sum (or ratio) of library terms fitted to one target.

    Attributes
    ----------
    expression : sympy.Expr
        ``c0 + Σ c_k·term_k`` (over ``1 - Σ d_k·n_k`` for a ratio) with Float coefficients.
    prediction : ndarray
        Its values on every row of ``X``.
    nrmse : float
        Error on the target it was fitted to.
    n_terms : int
    """

    expression: sp.Expr
    prediction: np.ndarray
    nrmse: float
    n_terms: int


def _beam(z: np.ndarray, target: np.ndarray, max_terms: int, width: int, deadline: float,
          rescore: Callable[[Support], float] | None = None, split: int | None = None) -> list[Support]:
    """Beam search: each kept support is grown by the ``width`` terms of largest exact R² gain.

    The gain of term ``j`` on support ``S`` is ``(z_j·r)² / |z_j⊥|²`` (``r`` the residual of
    ``S``, ``z_j⊥`` the part of ``z_j`` orthogonal to ``S``).  The grown supports are
    ranked by their RSS, or by ``rescore(support)`` when given.  With ``split``, columns
    ``< split`` and ``≥ split`` each contribute their own ``width`` best terms.
    """
    n, m = z.shape
    beams: list[Support] = [()]
    rss = {(): float(target @ target)}
    out: list[Support] = []
    for _ in range(min(max_terms, m)):
        scored: dict[Support, float] = {}
        for support in beams:
            if support:  # r ⊥ span(S): z_j⊥·r = z_j·r, and |z_j⊥|² = n - |Qᵀz_j|²
                Q, _ = np.linalg.qr(z[:, list(support)])
                residual = target - Q @ (Q.T @ target)
                A = Q.T @ z
                norms = n - np.einsum("ij,ij->j", A, A)
            else:
                residual, norms = target, np.full(m, float(n))
            usable = norms > _DEPENDENT * n
            gain = np.where(usable, (z.T @ residual) ** 2 / np.where(usable, norms, 1.0), -1.0)
            gain[list(support)] = -1.0
            groups = [np.arange(m)] if split is None else [np.arange(split), np.arange(split, m)]
            best = [g[np.argpartition(-gain[g], min(width, len(g)) - 1)[:width]] for g in groups if len(g)]
            for j in np.concatenate(best):
                if gain[j] > 0:
                    grown = tuple(sorted(support + (int(j),)))
                    scored[grown] = min(scored.get(grown, np.inf), rss[support] - float(gain[j]))
            if time.monotonic() > deadline:
                break
        if not scored:
            break
        ranking = {s: rescore(s) for s in scored} if rescore is not None else scored
        beams = sorted(scored, key=lambda s: (ranking[s], s))[:width]
        rss.update({b: scored[b] for b in beams})
        out.extend(beams)
        if time.monotonic() > deadline:
            break
    return out


def _standardized(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Standardized columns and the mask of the usable (finite, non-constant) ones."""
    with np.errstate(all="ignore"):
        std = values.std(axis=0)
        usable = np.all(np.isfinite(values), axis=0) & (std > 1e-12 * np.max(np.abs(values), axis=0))
        z = (values[:, usable] - values[:, usable].mean(axis=0)) / std[usable]
    return z, usable


class _Design:
    """Columns of a search: library terms ``0..m-1``, then ``t·n_k`` for the denominator monomials."""

    def __init__(self, library: TermLibrary, X: np.ndarray, target: np.ndarray, denominators: np.ndarray) -> None:
        self.library, self.X, self.target, self.denominators = library, X, target, denominators
        self.m = library.size
        self._full: dict[int, np.ndarray] = {}

    def term(self, j: int) -> int:
        """The library term behind column ``j``."""
        return j if j < self.m else int(self.denominators[j - self.m])

    def base(self, j: int, full: bool) -> np.ndarray:
        """Library term ``j`` on every row (``full``) or on the selection rows."""
        if not full:
            return self.library.raw[:, j]
        if j not in self._full:
            self._full[j] = self.library.terms[j].values(self.X)
        return self._full[j]

    def predict(self, support: Support, full: bool) -> np.ndarray | None:
        """Least-squares law of ``support`` on all rows or the selection rows (None: non-finite or a vanishing denominator)."""
        target = self.target if full else self.target[self.library.rows]
        bases = [self.base(self.term(j), full) for j in support]
        values = np.column_stack([b if j < self.m else target * b for j, b in zip(support, bases)])
        if not np.all(np.isfinite(values)):
            return None
        fit = ols_fit(values, target, tuple(range(len(support))))
        top = [k for k, j in enumerate(support) if j < self.m]
        bottom = [k for k, j in enumerate(support) if j >= self.m]
        with np.errstate(all="ignore"):
            prediction = fit.intercept + values[:, top] @ fit.coef[top]
            if bottom:
                parts = np.column_stack([bases[k] * fit.coef[k] for k in bottom])
                denominator = 1.0 - parts.sum(axis=1)
                if np.any(np.abs(denominator) < _VANISHING * (1.0 + np.abs(parts).sum(axis=1))):
                    return None
                prediction = prediction / denominator
        self.last_fit = fit
        return prediction

    def expression(self, support: Support) -> sp.Expr:
        """The law of the last :meth:`predict` (on all rows) as a SymPy expression, clean coefficients exact."""
        fit, terms = self.last_fit, self.library.terms
        scale = float(np.sqrt(np.mean(self.target**2)))
        top = _coefficient(fit.intercept, abs(fit.intercept) / scale)
        bottom = sp.Integer(1)
        for c, j in zip(fit.coef, support):
            size = float(np.sqrt(np.mean(self.full(j) ** 2))) * abs(c) / scale
            if j < self.m:
                top += _coefficient(float(c), size) * terms[j].expr()
            else:
                bottom -= _coefficient(float(c), size) * terms[self.term(j)].expr()
        return top / bottom

    def full(self, j: int) -> np.ndarray:
        """Column ``j`` on every row."""
        values = self.base(self.term(j), True)
        return values if j < self.m else self.target * values


def _coefficient(value: float, size: float) -> sp.Expr:
    """A fitted coefficient: 0 when its term is negligible (relative ``size`` ≤ 1e-12), a small
    rational when within 1e-10 of one (rounding noise of an exact fit), else a Float."""
    if size <= _NEGLIGIBLE:
        return sp.Integer(0)
    fraction = Fraction(value).limit_denominator(12)
    if fraction != 0 and abs(float(fraction) - value) <= 1e-10 * abs(value):
        return sp.Rational(fraction.numerator, fraction.denominator)
    return sp.Float(value)


def _top(corr: np.ndarray, low: int, high: int) -> Callable[[int], np.ndarray]:
    """``top(k)``: the ``k`` columns in ``[low, high)`` most correlated with the target."""
    order = low + np.argsort(-np.abs(corr[low:high]), kind="stable")
    return lambda k: order[:max(k, 0)]


def _exhaustive(z: np.ndarray, corr: np.ndarray, sets: list[tuple[np.ndarray, int]], keep: int,
                deadline: float) -> list[Support]:
    """Best subsets (by linear R²) of up to ``size`` columns among each set of ``chosen`` columns."""
    out: list[Support] = []
    for chosen, size in sets:
        if size < 1 or len(chosen) == 0 or time.monotonic() > deadline:
            continue
        chosen = np.unique(chosen)
        G = z[:, chosen].T @ z[:, chosen] / z.shape[0]
        selection = best_subset_supports(G, corr[chosen], size, keep=keep, deadline=deadline,
                                         progress=lambda f, m: None)
        for found in selection.supports.values():
            out.extend(tuple(sorted(int(chosen[i]) for i in s)) for s in found)
    return out


def _simple_denominator(factors: tuple) -> bool:
    """``x``, ``1/x`` or ``x/w``: the denominator terms every pair of numerator terms is tried with."""
    powers = sorted(p for _, _, p in factors)
    return powers in ([-1], [1], [-1, 1])


def _pivot_pairs(z: np.ndarray, target: np.ndarray, combined: np.ndarray, pivots: np.ndarray, keep: int,
                 deadline: float, screen: int = 400) -> list[Support]:
    """Supports ``(i, j, k)``: each pivot column ``k`` with the best pair of plain columns.

    A numerator of two terms over a denominator of one (``(a·b + c)/(b + 1)``) has terms
    that each explain little of the target, whatever is screened out first; so each pivot
    is projected out and the pairs among the ``screen`` plain columns most correlated with
    what is left are searched exhaustively.
    """
    n = z.shape[0]
    out: list[Support] = []
    for k in pivots:
        if time.monotonic() > deadline:
            break
        q = combined[:, k] / np.linalg.norm(combined[:, k])
        residual = target - q * (q @ target)
        projected = z - np.outer(q, q @ z)
        norms = np.sqrt(np.einsum("ij,ij->j", projected, projected) / n)
        usable = np.flatnonzero(norms > 1e-6)
        scaled = projected[:, usable] / norms[usable]
        corr = scaled.T @ residual / n
        top = usable[np.argsort(-np.abs(corr), kind="stable")[:screen]]
        chosen = projected[:, top] / norms[top]
        selection = best_subset_supports(chosen.T @ chosen / n, chosen.T @ residual / n, 2, keep=keep,
                                         deadline=deadline, progress=lambda f, m: None)
        out.extend(tuple(sorted([int(top[i]) for i in s] + [int(k)])) for s in selection.supports.get(2, []))
    return out


def _denominator_terms(library: TermLibrary) -> list[int]:
    """Library terms that may enter a denominator: products of powers of columns, one column
    first, then products with exponents up to 1 in size, then up to 2 (``u·v/c²``)."""
    plain = [j for j, term in enumerate(library.terms)
             if term.outer is None and not term.difference and all(kind == "x" for _, kind, _ in term.factors)]

    def rank(j: int) -> tuple[int, int]:
        factors = library.terms[j].factors
        return (len(factors) > 1 and max(abs(p) for _, _, p in factors) > 1, len(factors))

    return sorted(plain, key=rank)


def fit_sparse_sums(
    X: np.ndarray,
    target: np.ndarray,
    library: TermLibrary,
    *,
    max_terms: int = 3,
    screen: int = 300,
    screen3: int = 60,
    beam: int = 25,
    keep: int = 2,
    limit: int = 8,
    rational: int = 0,
    deadline: float | None = None,
) -> list[SumFit]:
    """Fit sums (and, with ``rational > 0``, ratios) of one to ``max_terms`` library terms to ``target``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data the library was built from.
    target : ndarray of shape (n_samples,)
        Finite values to fit.
    library : TermLibrary
    max_terms : int, default=3
        Largest number of terms (numerator and denominator together; the intercept is extra).
    screen : int, default=300
        Pairs of terms are searched exhaustively among this many (the most correlated with
        the target); 0 skips that search.
    screen3 : int, default=60
        Supports of up to ``max_terms`` terms are searched exhaustively among this many, plus
        every one-column term with a power up to 2 (``1/a + 1/b + 1/c``); 0 skips that search.
    beam : int, default=25
        Width of the beam searches.
    keep : int, default=2
        Best-subset supports kept per size.
    limit : int, default=8
        Fits returned: the best of every size and kind (sum or ratio), then the most
        accurate others (errors below 1e-12 count as equal, fewer terms first).
    rational : int, default=0
        How many monomials may enter a denominator (powers of one column, then products of
        columns with exponents up to 1 in size, then up to 2, fewer factors first); 0: sums only.
    deadline : float, optional
        ``time.monotonic()`` value at which the searches stop (the first beam level always runs).

    Returns
    -------
    list of SumFit
        The best fits, most accurate first.

    Examples
    --------
    >>> import numpy as np
    >>> from lawfind.search._monomials import term_library
    >>> X = np.random.default_rng(0).uniform(1, 5, (100, 3))
    >>> y = (X[:, 0] * X[:, 1] + X[:, 2]) / (X[:, 1] + 1)
    >>> fit = fit_sparse_sums(X, y, term_library(X), rational=100)[0]
    >>> fit.nrmse < 1e-10, fit.n_terms
    (True, 3)
    """
    if library.size == 0 or not np.all(np.isfinite(target)) or np.std(target) == 0:
        return []
    deadline = deadline if deadline is not None else time.monotonic() + 3600
    t = target[library.rows]
    ts = (t - t.mean()) / (np.std(t) or 1.0)
    z = library.z
    supports: set[Support] = set(_beam(z, ts, max_terms, beam, deadline))
    corr = z.T @ ts / len(ts)
    top = _top(corr, 0, library.size)
    # sums of simple terms (1/a + 1/b + 1/c) can each correlate less than products do: always include them
    simple = np.array([j for j, term in enumerate(library.terms) if len(term.factors) == 1
                       and abs(term.factors[0][2]) <= 2], dtype=np.intp)
    sets = [(top(screen), min(2, max_terms)), (np.concatenate([top(screen3), simple]), max_terms)] if screen3 > 0 \
        else [(top(screen), min(2, max_terms))]
    supports.update(_exhaustive(z, corr, sets, keep, deadline))
    denominators = np.empty(0, dtype=np.intp)
    if rational > 0:
        monomials = np.array(_denominator_terms(library)[:rational], dtype=np.intp)
        extra, usable = _standardized(t[:, None] * library.raw[:, monomials]) if len(monomials) else (None, None)
        if extra is not None and extra.shape[1]:
            denominators = monomials[usable]
    design = _Design(library, X, target, denominators)
    if len(denominators) and time.monotonic() < deadline:
        def ratio_error(support: Support) -> float:
            prediction = design.predict(support, full=False)
            return float("inf") if prediction is None else max(nrmse(t, prediction), _EXACT)

        combined = np.hstack([z, extra])
        found = _beam(combined, ts, max_terms, min(beam, 10), deadline, rescore=ratio_error, split=library.size)
        # a ratio's exact support can hide behind poor partial supports: search the screened terms
        # exhaustively on the linear fit (0 for the exact support), then rank by the ratio's error
        corr = combined.T @ ts / len(ts)
        plain = _top(corr, 0, library.size)
        # every t·n_k correlates with t: rank them by how well they explain what the
        # best-correlated plain terms leave of t (for the exact support, c·t·n)
        Q, _ = np.linalg.qr(z[:, plain(_RESIDUAL_TERMS)])
        residual = ts - Q @ (Q.T @ ts)
        ratio = _top(np.concatenate([np.zeros(library.size), extra.T @ residual]), library.size, combined.shape[1])
        # and the plain terms by what the best denominator columns leave of t
        Q, _ = np.linalg.qr(combined[:, ratio(_RESIDUAL_TERMS)])
        residual = ts - Q @ (Q.T @ ts)
        second = _top(z.T @ residual, 0, library.size)
        sets = [(np.concatenate([plain(screen // 2), ratio(screen // 2)]), min(2, max_terms))]
        if screen3 > 0:
            sets.append((np.concatenate([plain(screen3 // 2), second(screen3 // 4), simple, ratio(screen3)]),
                         max_terms))
        found.extend(_exhaustive(combined, corr, sets, 5 * keep, deadline))
        if max_terms >= 3:
            # the most promising denominator columns, then the simple ones (x, 1/x, x/w)
            simple_denominators = [library.size + position for position, j in enumerate(denominators)
                                   if _simple_denominator(library.terms[j].factors)]
            pivots = list(dict.fromkeys([int(k) for k in ratio(_PIVOTS)] + simple_denominators))
            found.extend(_pivot_pairs(z, ts, combined, np.array(pivots, dtype=np.intp), keep, deadline))
        supports.update(s for s in found if s[-1] >= library.size)
    scored = []
    for support in supports:
        prediction = design.predict(support, full=True)
        error = nrmse(target, prediction) if prediction is not None else float("inf")
        if np.isfinite(error):
            scored.append((max(error, _EXACT), len(support), support, prediction, error))
    scored.sort(key=lambda item: item[:3])
    # the best fit of every size and kind (sum or ratio) first: with noise, a larger support
    # always fits a little better, and the smaller exact form must not be crowded out
    kinds: dict[tuple[int, bool], tuple] = {}
    for item in scored:
        kinds.setdefault((item[1], item[2][-1] >= library.size), item)
    best = sorted(kinds.values(), key=lambda item: item[:3])
    chosen = best + [item for item in scored if all(item is not b for b in best)]
    fits = []
    for _, size, support, prediction, error in chosen[:max(limit, len(best))]:
        design.predict(support, full=True)
        expr = design.expression(support)
        if not expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            fits.append(SumFit(expr, prediction, error, size))
    return fits
