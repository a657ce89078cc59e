"""Exhaustive ℓ0 for classification: the best ``d``-descriptor linear threshold rules.

1. Every ``d``-subset of the screened features gets the direction of Fisher's linear
   discriminant — within-class scatter from one precomputed matrix, one small ``d × d``
   solve per subset, batched — and the best threshold along it; subsets are ranked by
   that rule's training (balanced) accuracy, ties by total complexity.
2. Fisher's direction is not the most accurate one (it ignores the errors), so the best
   ``max(keep, 32)`` subsets are refined: the directions of a logistic regression and, for
   two descriptors, a 1° grid of all directions are tried too, and each subset keeps its
   most accurate rule.  ``d = 1`` needs no direction: the rule is the threshold itself.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import numpy as np

from lawfind._progress import ProgressCallback
from lawfind.search.sisso._l0 import L0Result
from lawfind.search.sisso._threshold import best_thresholds

__all__ = ["LinearRule", "classification_l0"]

_RIDGE = 1e-9
_REFINE = 32
_ANGLES = 180
_LOGISTIC_RIDGE = 1e-4  # keeps the weights finite on separable data; the direction is what counts
_LOGISTIC_STEPS = 50


@dataclass
class LinearRule:
    """A rule on standardized descriptors ``z``: positive if ``w·z > t`` (``<`` if not ``positive_above``)."""

    weights: np.ndarray
    threshold: float
    positive_above: bool


def classification_l0(values: np.ndarray, positive: np.ndarray, complexity: np.ndarray, dimension: int, keep: int,
                      metric: str, *, deadline: float, progress: ProgressCallback) -> L0Result:
    """The ``keep`` best ``dimension``-subsets of the rows of ``values`` for a linear threshold rule.

    Parameters
    ----------
    values : ndarray of shape (features, samples)
    positive : ndarray of bool, shape (samples,)
    complexity : ndarray of int, shape (features,)
        Breaks ties between equally accurate subsets (simpler first).
    dimension, keep : int
    metric : {"accuracy", "balanced_accuracy"}
    deadline : float
        ``time.monotonic()`` at which the enumeration stops (``complete=False``).
    progress : callable
    """
    started = time.monotonic()
    m, n = values.shape
    Z = _standardized(values)
    pos, neg = Z[:, positive], Z[:, ~positive]
    scatter = sum((part - part.mean(axis=1, keepdims=True)) @ (part - part.mean(axis=1, keepdims=True)).T
                  for part in (pos, neg))
    delta = pos.mean(axis=1) - neg.mean(axis=1)
    total = math.comb(m, dimension)
    batch = max(16, (1 << 19) // max(n * dimension, 1))
    combos = itertools.combinations(range(m), dimension)
    wanted = max(keep, _REFINE) if dimension > 1 else keep
    best_key = np.empty((0, 2))
    best_support = np.empty((0, dimension), dtype=np.int64)
    evaluated, complete, interrupted, last_report = 0, True, False, 0.0
    try:
        while True:
            flat = np.fromiter(itertools.chain.from_iterable(itertools.islice(combos, batch)), dtype=np.int64)
            if flat.size == 0:
                break
            S = flat.reshape(-1, dimension)
            weights = _fisher(scatter, delta, S, n)
            rules = best_thresholds(np.einsum("bd,bdn->bn", weights, Z[S]), positive, metric)
            evaluated += len(S)
            pool_key = np.concatenate([best_key, np.column_stack([-rules.score, complexity[S].sum(axis=1)])])
            order = np.lexsort((pool_key[:, 1], pool_key[:, 0]))[:wanted]
            best_key, best_support = pool_key[order], np.concatenate([best_support, S])[order]
            now = time.monotonic()
            if now - last_report > 0.25:
                last_report = now
                progress(evaluated / total, f"ℓ0 (classification, {dimension}D): {evaluated:,}/{total:,} subsets")
            if now > deadline:
                complete = False
                break
    except KeyboardInterrupt:
        interrupted = True
    refined = [_refine(Z[list(s)], positive, scatter[np.ix_(s, s)], delta[list(s)], metric) for s in best_support]
    key = np.array([(-score, c) for (score, _), c in zip(refined, best_key[:, 1])]).reshape(-1, 2)
    order = np.lexsort((key[:, 1], key[:, 0]))[:keep]
    return L0Result([tuple(int(i) for i in best_support[i]) for i in order], [refined[i][0] for i in order],
                    [refined[i][1] for i in order], evaluated, time.monotonic() - started, complete, interrupted)


def _standardized(values: np.ndarray) -> np.ndarray:
    mean = values.mean(axis=1, keepdims=True)
    std = values.std(axis=1, keepdims=True)
    return (values - mean) / np.where(std > 0, std, 1.0)


def _fisher(scatter: np.ndarray, delta: np.ndarray, S: np.ndarray, n: int) -> np.ndarray:
    """Unit Fisher directions ``(batch, d)`` of the subsets ``S``."""
    d = S.shape[1]
    W = scatter[S[:, :, None], S[:, None, :]] + _RIDGE * n * np.eye(d)
    weights = np.linalg.solve(W, delta[S][:, :, None])[:, :, 0]
    return weights / np.linalg.norm(weights, axis=1, keepdims=True)


def _refine(Z: np.ndarray, positive: np.ndarray, scatter: np.ndarray, delta: np.ndarray, metric: str
            ) -> tuple[float, LinearRule]:
    """The most accurate of the Fisher, logistic-regression and (2-D) grid directions, with its rule."""
    d, n = Z.shape
    directions = [np.linalg.solve(scatter + _RIDGE * n * np.eye(d), delta)]
    if d > 1:
        directions.append(_logistic_direction(Z, positive))
    if d == 2:
        angles = np.linspace(0.0, np.pi, _ANGLES, endpoint=False)
        directions.extend(np.column_stack([np.cos(angles), np.sin(angles)]))
    W = np.array([w / np.linalg.norm(w) for w in directions if np.all(np.isfinite(w)) and np.any(w)])
    rules = best_thresholds(W @ Z, positive, metric)
    best = int(np.argmax(rules.score))  # the first (Fisher) on ties
    rule = LinearRule(W[best], float(rules.threshold[best]), bool(rules.positive_above[best]))
    return float(rules.score[best]), rule


def _logistic_direction(Z: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """Weights of an L2-regularized logistic regression on ``Z`` (Newton's method; tiny ``d``)."""
    d, n = Z.shape
    A = np.vstack([np.ones(n), Z])  # intercept first
    target = positive.astype(float)
    w = np.zeros(d + 1)
    ridge = _LOGISTIC_RIDGE * n * np.eye(d + 1)
    ridge[0, 0] = 0.0
    for _ in range(_LOGISTIC_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(w @ A, -30.0, 30.0)))
        gradient = A @ (p - target) + ridge @ w
        hessian = (A * (p * (1.0 - p))) @ A.T + ridge + 1e-12 * np.eye(d + 1)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[1:]
