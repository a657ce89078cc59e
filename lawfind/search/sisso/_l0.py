"""Exhaustive ℓ0 search over the screened features: the best ``d``-descriptor models.

Regression: every ``d``-subset of the screened features is scored by the R² of its
least-squares fit with an intercept, from the standardized Gram matrix computed once
(:func:`lawfind.search._subsets.standardized_gram`) — never by a fresh least squares: the
Gram matrix is residualized on each ``(d-2)``-prefix, and the R² of all pairs completing
the prefix follows in closed form, whole matrices at a time (see :func:`regression_l0`).
The best supports are finally re-ranked by an exact least-squares refit.
Classification is in :mod:`lawfind.search.sisso._l0_classify`.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from lawfind._progress import ProgressCallback
from lawfind.search._subsets import ols_fit, standardized_gram

__all__ = ["L0Result", "regression_l0"]

_REFINE = 8  # Gram-ranked supports re-ranked by an exact refit
_BLOCK_VALUES = 1 << 16  # pair scores computed at once (small arrays stay in the allocator's cache)
_DEPENDENT = 1e-10  # 1 - R² of a feature on the others below this: linearly dependent


@dataclass
class L0Result:
    """The best supports of one dimension, best first.

    Attributes
    ----------
    supports : list of tuple of int
        Rows of the screened matrix.
    scores : list of float
        Regression: RSS of the refit; classification: training (balanced) accuracy.
    rules : list or None
        Classification only: the :class:`~lawfind.search.sisso._l0_classify.LinearRule` of each support.
    evaluated : int
        Subsets scored.
    seconds : float
    complete : bool
        False when the deadline stopped the enumeration.
    interrupted : bool
        True when Ctrl-C stopped it.
    """

    supports: list[tuple[int, ...]]
    scores: list[float]
    rules: list[Any] | None
    evaluated: int
    seconds: float
    complete: bool = True
    interrupted: bool = False

    @property
    def rate(self) -> float:
        """Subsets evaluated per second."""
        return self.evaluated / self.seconds if self.seconds > 0 else float("nan")


def regression_l0(values: np.ndarray, y: np.ndarray, dimension: int, keep: int, *, deadline: float,
                  progress: ProgressCallback) -> L0Result:
    """The ``keep`` best ``dimension``-subsets of the rows of ``values`` for least squares on ``y``.

    Every subset is a prefix of ``dimension - 2`` features plus a pair of later ones.  For
    each prefix the Gram matrix is residualized on the prefix once (``G' = G - G_LP G_PP⁻¹ G_PL``),
    after which the R² gain of *all* pairs ``(j, l)`` follows in closed form from the 2 x 2
    inverse, ``(c'_j² d_l - 2 c'_j c'_l G'_jl + c'_l² d_j) / (d_j d_l - G'_jl²)``, as whole-matrix
    array operations.  The best supports are finally re-ranked by an exact refit.
    """
    started = time.monotonic()
    m = len(values)
    G, c = standardized_gram(values.T, y)
    total = math.comb(m, dimension)
    wanted = max(keep, _REFINE)
    best = _TopSupports(wanted, dimension)
    evaluated, complete, interrupted, last_report = 0, True, False, 0.0
    try:
        if dimension == 1:
            best.add(c**2, np.arange(m)[:, None])
            evaluated = m
        else:
            for prefix in itertools.combinations(range(m), dimension - 2):
                evaluated += _extend_prefix(G, c, prefix, best)
                now = time.monotonic()
                if now - last_report > 0.25:
                    last_report = now
                    progress(evaluated / total, f"ℓ0 ({dimension}D): {evaluated:,}/{total:,} subsets")
                if now > deadline:
                    complete = False
                    break
    except KeyboardInterrupt:
        interrupted = True
    fits = sorted((ols_fit(values.T, y, support).rss, support) for support in best.supports())[:keep]
    return L0Result([s for _, s in fits], [r for r, _ in fits], None, evaluated, time.monotonic() - started,
                    complete, interrupted)


class _TopSupports:
    """The best supports seen so far by score (kept at most ``2·keep``, trimmed to ``keep`` when asked)."""

    def __init__(self, keep: int, size: int) -> None:
        self.keep = keep
        self.scores = np.empty(0)
        self.rows = np.empty((0, size), dtype=np.int64)

    @property
    def floor(self) -> float:
        return float(np.min(self.scores)) if len(self.scores) >= self.keep else -np.inf

    def add(self, scores: np.ndarray, rows: np.ndarray) -> None:
        good = scores > self.floor
        if not good.any():
            return
        scores, rows = scores[good], rows[good]
        if len(scores) > self.keep:
            top = np.argpartition(-scores, self.keep - 1)[:self.keep]
            scores, rows = scores[top], rows[top]
        self.scores = np.concatenate([self.scores, scores])
        self.rows = np.concatenate([self.rows, rows])
        if len(self.scores) > 2 * self.keep:
            top = np.argpartition(-self.scores, self.keep - 1)[:self.keep]
            self.scores, self.rows = self.scores[top], self.rows[top]

    def supports(self) -> list[tuple[int, ...]]:
        order = np.argsort(-self.scores, kind="stable")[:self.keep]
        return [tuple(int(i) for i in row) for row in self.rows[order]]


def _extend_prefix(G: np.ndarray, c: np.ndarray, prefix: tuple[int, ...], best: _TopSupports) -> int:
    """Score every ``prefix + (j, l)`` with ``prefix[-1] < j < l``; return how many subsets that was.

    With the prefix regressed out, ``u`` are the residual correlations with the target and
    ``r`` the residual correlations between features; the R² gain of a pair is then
    ``(u_j² + u_l² - 2·u_j·u_l·r_jl) / (1 - r_jl²)``.
    """
    first = prefix[-1] + 1 if prefix else 0
    size = len(c) - first
    if size < 2:
        return 0
    P = list(prefix)
    count = size * (size - 1) // 2
    later = slice(first, len(c))
    if P:
        G_PP = G[np.ix_(P, P)]
        if len(P) > 1 and np.linalg.det(G_PP) <= _DEPENDENT:
            return count
        B = G[P, later]  # (|P|, size)
        A = np.linalg.solve(G_PP, B)  # G_PP⁻¹ G_PL
        base = float(c[P] @ np.linalg.solve(G_PP, c[P]))
        c_res = c[later] - A.T @ c[P]
        d_res = 1.0 - np.einsum("pl,pl->l", B, A)
    else:
        B = A = None
        base, c_res, d_res = 0.0, c[later], np.ones(size)
    usable = d_res > _DEPENDENT
    inv_s = np.where(usable, 1.0 / np.sqrt(np.where(usable, d_res, 1.0)), 0.0)
    u = c_res * inv_s
    a = u * u
    two_u = 2.0 * u
    step = max(1, _BLOCK_VALUES // size)
    for begin in range(0, size - 1, step):
        stop = min(begin + step, size - 1)
        rows, cols = slice(begin, stop), slice(begin + 1, size)
        R = G[first + begin:first + stop, first + begin + 1:]
        R = R - B[:, rows].T @ A[:, cols] if B is not None else R.copy()
        R *= inv_s[rows, None]
        R *= inv_s[None, cols]
        denominator = 1.0 - R * R
        R *= two_u[rows, None]
        R *= u[None, cols]
        numerator = a[rows, None] + a[None, cols]
        numerator -= R
        with np.errstate(divide="ignore", invalid="ignore"):
            numerator /= denominator
        gain = numerator
        gain[denominator <= _DEPENDENT] = -np.inf
        gain[~usable[rows]] = -np.inf
        gain[:, ~usable[cols]] = -np.inf
        # columns start after the block's first row: clear l <= j for the later rows of the block
        height = stop - begin
        if height > 1:
            gain[np.tril_indices(height, -1)] = -np.inf
        flat = gain.ravel()
        hits = np.flatnonzero(flat > best.floor - base)
        if len(hits) == 0:
            continue
        j, l = np.divmod(hits, gain.shape[1])
        support = np.column_stack([np.tile(np.asarray(P, dtype=np.int64), (len(hits), 1)),
                                   first + begin + j, first + begin + 1 + l])
        best.add(base + flat[hits], support)
    return count
