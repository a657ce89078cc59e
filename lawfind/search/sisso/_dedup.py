"""Feature checks: non-finite and constant rows, and duplicates up to scale and offset.

Two features are duplicates when ``|corr(f, g)| ≈ 1``: a linear model with an intercept
(and a threshold rule, up to orientation) cannot tell ``g = a·f + b`` from ``f``.  Instead
of comparing every pair, each feature gets a *signature*: its standardized values
projected on three fixed random directions (absolute value of the first, the other two
with the first one's sign).  Duplicates have equal signatures; other features almost
never do.  Sorting by the first projection brings duplicates next to each other.

For threshold classifiers a stronger equivalence holds — a monotone transform of a
feature gives the same rule — so :func:`rank_signatures` computes the signatures of the
ranks instead of the values.
"""

from __future__ import annotations

import numpy as np

__all__ = ["usable_rows", "signatures", "rank_signatures", "random_directions", "unique_mask", "SIGNATURE_WIDTH"]

SIGNATURE_WIDTH = 3
#: Signatures closer than this (standardized units) are duplicates: about |corr| > 1 - 1e-12.
_TOLERANCE = 1e-7
#: Values of one feature closer than this (relative to its largest magnitude) are tied when ranking.
_TIE = 1e-12
#: A row whose range is below this fraction of its largest magnitude is constant.
_CONSTANT = 1e-9
#: Rows with a magnitude above this are dropped like non-finite ones (their squares would overflow).
_HUGE = 1e100
#: Rows whose largest magnitude is below this are dropped too (their squares underflow to zero).
_TINY = 1e-100


def usable_rows(values: np.ndarray) -> np.ndarray:
    """True for feature rows (of a ``(features, samples)`` array) that are finite, of magnitude within
    1e-100..1e100 and not constant."""
    high, low = values.max(axis=1), values.min(axis=1)  # NaN and inf propagate
    scale = np.maximum(np.abs(high), np.abs(low))
    with np.errstate(invalid="ignore"):
        return (scale < _HUGE) & (scale > _TINY) & (high - low > _CONSTANT * scale)


def signatures(values: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Signatures ``(features, 3)`` of finite, non-constant rows; ``directions`` is ``(samples, 3)``."""
    centred = values - values.mean(axis=1, keepdims=True)
    norm = np.sqrt(np.einsum("ij,ij->i", centred, centred))
    projected = (centred @ directions) / norm[:, None]
    sign = np.where(projected[:, :1] < 0, -1.0, 1.0)
    return projected * sign


def rank_signatures(values: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Signatures of the ranks of each row (ties share their mean rank)."""
    order = np.argsort(values, axis=1, kind="stable")
    ranks = np.empty_like(values)
    np.put_along_axis(ranks, order, np.arange(values.shape[1], dtype=float)[None, :], axis=1)
    sorted_values = np.take_along_axis(values, order, axis=1)
    # average the ranks of tied values so equal rankings get equal signatures; values equal up to
    # rounding (the same feature built in another order, e.g. (a·b)·(c/d) and (a·c)·(b/d)) are ties too
    scale = np.max(np.abs(sorted_values), axis=1, keepdims=True)
    ties = np.diff(sorted_values, axis=1) <= _TIE * scale
    if ties.any():
        positions = np.arange(values.shape[1], dtype=float)
        for row in np.flatnonzero(ties.any(axis=1)):
            group = np.concatenate([[0], np.cumsum(~ties[row])])
            mean_rank = np.bincount(group, weights=positions) / np.bincount(group)
            ranks[row, order[row]] = mean_rank[group]
    return signatures(ranks, directions)


def random_directions(n_samples: int, seed: int) -> np.ndarray:
    """Fixed random projection directions ``(samples, 3)`` for :func:`signatures`."""
    rng = np.random.default_rng([seed, 7919])
    return rng.standard_normal((n_samples, SIGNATURE_WIDTH))


def unique_mask(signature: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Keep one feature of each duplicate group: the one with the lowest ``priority``.

    Parameters
    ----------
    signature : ndarray of shape (features, 3)
        From :func:`signatures` or :func:`rank_signatures`.
    priority : ndarray of shape (features,)
        Lower is kept first (e.g. complexity, then creation order); must be distinct.

    Returns
    -------
    ndarray of bool
        True for the kept features.
    """
    m = len(signature)
    keep = np.ones(m, dtype=bool)
    if m < 2:
        return keep
    order = np.argsort(signature[:, 0], kind="stable")
    first = signature[order, 0]
    close = np.diff(first) <= _TOLERANCE
    if not close.any():
        return keep
    # runs of neighbours whose first projections are within the tolerance of the next one
    boundaries = np.flatnonzero(~close) + 1
    starts = np.concatenate([[0], boundaries])
    stops = np.concatenate([boundaries, [m]])
    size = stops - starts
    # pairs (the common case) at once
    pairs = np.stack([order[starts[size == 2]], order[starts[size == 2] + 1]], axis=1)
    if len(pairs):
        same = np.all(np.abs(signature[pairs[:, 0]] - signature[pairs[:, 1]]) <= _TOLERANCE * 10, axis=1)
        pairs = pairs[same]
        later = np.where(priority[pairs[:, 0]] <= priority[pairs[:, 1]], pairs[:, 1], pairs[:, 0])
        keep[later] = False
    for start, stop in zip(starts[size > 2], stops[size > 2]):
        members = order[start:stop]
        members = members[np.argsort(priority[members], kind="stable")]
        kept: list[int] = []
        for index in members:
            row = signature[index]
            if any(np.all(np.abs(signature[k] - row) <= _TOLERANCE * 10) for k in kept):
                keep[index] = False
            else:
                kept.append(int(index))
    return keep
