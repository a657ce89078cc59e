"""Greedy support selection for the ``sparse`` engine: OMP, forward stepwise and its beam version.

All work from the standardized Gram matrix ``G = ZᵀZ/n`` and ``c = Zᵀy_s/n``
(:func:`lawfind.search._subsets.standardized_gram`) and return, per support size, the
supports found (best first).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

__all__ = ["omp_supports", "forward_supports", "beam_supports", "DEFAULT_BEAM_WIDTH", "DEPENDENT"]

#: Supports kept per size by ``method="beam"`` unless the caller says otherwise.
DEFAULT_BEAM_WIDTH = 10
#: 1 - R² of a term on the chosen ones below this: linearly dependent.
DEPENDENT = 1e-10

Support = tuple[int, ...]


def omp_supports(G: np.ndarray, c: np.ndarray, max_terms: int) -> dict[int, list[Support]]:
    """Orthogonal matching pursuit from the Gram matrix: the support after each step.

    Stops early when the residual is orthogonal to every remaining independent term.
    """
    return _greedy_supports(G, c, max_terms, stepwise=False)


def forward_supports(G: np.ndarray, c: np.ndarray, max_terms: int) -> dict[int, list[Support]]:
    """Forward stepwise regression from the Gram matrix: the support after each step.

    Each step adds the term with the largest exact gain in R² of the least-squares refit;
    it stops early when no remaining independent term lowers the RSS.

    Examples
    --------
    ``y = 2·t0 + t1`` where ``t1 = -t0 + 0.3·b`` is strongly anti-correlated with ``t0`` and
    ``t2`` is a noisy copy of ``b``: after ``t0`` the residual ``0.3·b`` correlates more with
    ``t2`` than with ``t1`` (most of ``t1`` is ``t0`` again), so OMP takes the wrong term;
    forward stepwise scores the part of ``t1`` that ``t0`` does not explain and finds the law.

    >>> import numpy as np
    >>> from lawfind.search._subsets import standardized_gram
    >>> rng = np.random.default_rng(0)
    >>> a, b, noise = rng.normal(size=(3, 200))
    >>> t0, t1, t2 = a, -a + 0.3 * b, b + 0.5 * noise
    >>> G, c = standardized_gram(np.column_stack([t0, t1, t2]), 2 * t0 + t1)
    >>> omp_supports(G, c, 2)[2], forward_supports(G, c, 2)[2]
    ([(0, 2)], [(0, 1)])
    """
    return _greedy_supports(G, c, max_terms, stepwise=True)


def _greedy_supports(G: np.ndarray, c: np.ndarray, max_terms: int, *, stepwise: bool) -> dict[int, list[Support]]:
    """OMP (score ``|c_j - G_jS b_S|``) or forward stepwise (that squared over ``1 - R²(j | S)``)."""
    support: list[int] = []
    out: dict[int, list[Support]] = {}
    residual_corr = c.copy()
    for k in range(1, min(max_terms, len(c)) + 1):
        unexplained = np.ones_like(c)  # 1 - R² of each term on the chosen ones
        if support:
            W = np.linalg.solve(G[np.ix_(support, support)], G[support])
            unexplained = 1.0 - np.einsum("ij,ij->j", G[support], W)
        independent = unexplained > DEPENDENT
        correlation = np.abs(residual_corr)
        score = correlation**2 / np.where(independent, unexplained, 1.0) if stepwise else correlation
        score = np.where(independent, score, -1.0)
        score[support] = -1.0
        best = int(np.argmax(score))
        if score[best] <= (1e-24 if stepwise else 1e-12):  # no remaining term is correlated with the residual
            break
        support.append(best)
        b = np.linalg.solve(G[np.ix_(support, support)], c[support])
        residual_corr = c - G[:, support] @ b
        out[k] = [tuple(sorted(support))]
    return out


def beam_supports(G: np.ndarray, c: np.ndarray, max_terms: int, width: int = DEFAULT_BEAM_WIDTH,
                  deadline: float = math.inf,
                  progress: Callable[[float, str], None] | None = None) -> tuple[dict[int, list[Support]], bool]:
    """Forward stepwise with a beam of ``width`` supports: the best supports of each size, best first.

    Each step scores every one-term extension of every support in the beam by its exact gain
    in R² (as :func:`forward_supports` does) and keeps the ``width`` best distinct supports.

    Returns
    -------
    supports : dict of int to list of tuple of int
        Size ``k`` -> up to ``width`` supports, ranked by R² of the refit.
    complete : bool
        False when ``deadline`` (a ``time.monotonic()`` value) stopped the search before ``max_terms``.

    ``progress(fraction, message)``, when given, is called at every size and every 0.2 s.

    Examples
    --------
    ``y = t0 + t1`` where neither term alone is the best single term (``t2``, a noisy copy
    of their sum, is): forward stepwise starts from ``t2`` and never finds the pair; a beam
    of three keeps ``t0`` and ``t1`` alive and does.

    >>> import numpy as np
    >>> from lawfind.search._subsets import standardized_gram
    >>> rng = np.random.default_rng(1)
    >>> a, b, noise = rng.normal(size=(3, 300))
    >>> t0, t1 = a + b, a - b + 0.1 * noise
    >>> t2 = 2 * a + 0.4 * rng.normal(size=300)
    >>> G, c = standardized_gram(np.column_stack([t0, t1, t2]), t0 + t1)
    >>> forward_supports(G, c, 2)[2], beam_supports(G, c, 2, width=3)[0][2][0]
    ([(0, 2)], (0, 1))
    """
    m = len(c)
    beam: list[tuple[Support, float]] = [((), 0.0)]
    out: dict[int, list[Support]] = {}
    for k in range(1, min(max_terms, m) + 1):
        extended: dict[Support, float] = {}
        cut = False
        last_report = time.monotonic()
        if progress is not None:
            progress((k - 1) / max_terms, f"beam search: size {k}")
        for position, (support, r2) in enumerate(beam):
            if progress is not None and time.monotonic() - last_report > 0.2:
                progress((k - 1 + position / len(beam)) / max_terms,
                         f"beam search: size {k}, {position:,}/{len(beam):,} supports extended")
                last_report = time.monotonic()
            chosen = list(support)
            if chosen:
                solved = np.linalg.solve(G[np.ix_(chosen, chosen)], np.column_stack([c[chosen], G[chosen]]))
                residual_corr = c - G[:, chosen] @ solved[:, 0]
                unexplained = 1.0 - np.einsum("ij,ij->j", G[chosen], solved[:, 1:])
            else:
                residual_corr, unexplained = c, np.ones_like(c)
            independent = unexplained > DEPENDENT
            gain = np.where(independent, residual_corr**2 / np.where(independent, unexplained, 1.0), -1.0)
            gain[chosen] = -1.0
            top = np.argsort(-gain, kind="stable")[:width]
            for j in top[gain[top] > 1e-24]:
                key = tuple(sorted(chosen + [int(j)]))
                extended[key] = max(extended.get(key, -1.0), r2 + float(gain[j]))
            if len(extended) > 2 * width:  # memory stays O(width), however wide the beam
                extended = dict(_best(extended, width))
            if time.monotonic() >= deadline:
                cut = position < len(beam) - 1
                break
        if not extended:  # no remaining term lowers the RSS of any support in the beam
            break
        beam = _best(extended, width)
        out[k] = [support for support, _ in beam]
        if cut or (time.monotonic() >= deadline and k < min(max_terms, m)):
            return out, False  # size k holds the best supports found before the deadline
    return out, True


def _best(scored: dict[Support, float], width: int) -> list[tuple[Support, float]]:
    """The ``width`` best (support, R²) pairs, best first (ties by support, for determinism)."""
    return sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:width]
