"""Best threshold rules ``label = above if value > threshold else below``, many features at once.

For each row of a ``(features, samples)`` array the samples are sorted once; cumulative
counts of the positive class then give the accuracy (or balanced accuracy) of every split
between two distinct values, in both orientations.  The best split's threshold is the
midpoint of the two values around it.  Values closer than ``1e-9`` of the feature's range
count as equal, so no rule splits values that differ by rounding only (such a rule
would not survive re-evaluation of the expression).

The sort is a plain (SIMD) value sort rather than an argsort: each sample's class is
written into the lowest mantissa bit of its value first (a change of one unit in the last
place, which no threshold can see) and read back from the sorted values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ThresholdRules", "best_thresholds", "CLASSIFICATION_METRICS"]

CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy")
_LOW_BIT = np.int64(1)
#: Values closer than this fraction of a feature's range count as equal (rounding noise).
_TIE = 1e-9


@dataclass(frozen=True)
class ThresholdRules:
    """The best threshold rule of each feature.

    Attributes
    ----------
    score : ndarray
        Training accuracy or balanced accuracy of the rule.
    threshold : ndarray
        Midpoint between the two values around the best split (``-inf``: every sample
        is "above", the rule predicts one class).
    positive_above : ndarray of bool
        True when values above the threshold get the positive class.
    """

    score: np.ndarray
    threshold: np.ndarray
    positive_above: np.ndarray


def best_thresholds(values: np.ndarray, positive: np.ndarray, metric: str = "accuracy") -> ThresholdRules:
    """The best threshold rule of each row of ``values`` for the boolean labels ``positive``.

    Parameters
    ----------
    values : ndarray of shape (features, samples)
        Finite values.
    positive : ndarray of bool, shape (samples,)
        True for the positive class.
    metric : {"accuracy", "balanced_accuracy"}

    Returns
    -------
    ThresholdRules
        Ties between splits go to the lowest split; a rule no better than predicting
        one class for all is replaced by that constant rule.
    """
    if metric not in CLASSIFICATION_METRICS:
        raise ValueError(f"metric must be one of {CLASSIFICATION_METRICS}, got {metric!r}")
    values = np.ascontiguousarray(np.atleast_2d(values), dtype=np.float64)
    f, n = values.shape
    n_pos = int(np.count_nonzero(positive))
    n_neg = n - n_pos
    work = values.view(np.int64) & ~_LOW_BIT
    work |= np.asarray(positive, dtype=np.int64)[None, :]
    work = np.sort(work.view(np.float64), axis=1).view(np.int64)
    # positives among the i+1 lowest values (a bool cumsum is much faster than an integer one)
    pos_below = np.cumsum((work & _LOW_BIT).astype(bool), axis=1, dtype=np.int32)[:, :-1]
    work &= ~_LOW_BIT
    ordered = work.view(np.float64)
    below = np.arange(1, n, dtype=np.int32)[None, :]
    # "positive above" after position i is right for (i+1 - pos_below) negatives and (n_pos - pos_below)
    # positives; the other orientation is right for the rest
    if metric == "accuracy":
        gain = below - 2 * pos_below
        gain += n_pos
        gain *= 2
        gain -= n  # |2·correct - n|: the better orientation's correct count is (n + gain) / 2
        above_wins = gain >= 0
        np.abs(gain, out=gain)
        to_score = 1.0 / (2 * n)
        baseline = max(n_pos, n_neg) / n
    else:
        half = 0.5 * ((below - pos_below) / max(n_neg, 1) + (n_pos - pos_below) / max(n_pos, 1)) - 0.5
        above_wins = half >= 0
        gain = np.abs(half)
        to_score = 1.0
        baseline = 0.5
    # no split between equal values, nor between values that differ by rounding only
    tolerance = _TIE * (ordered[:, -1:] - ordered[:, :1])
    gain[(ordered[:, 1:] - ordered[:, :-1]) <= tolerance] = -1
    split = np.argmax(gain, axis=1)
    rows = np.arange(f)
    score = 0.5 + gain[rows, split] * to_score
    threshold = 0.5 * (ordered[rows, split] + ordered[rows, split + 1])
    positive_above = above_wins[rows, split]
    trivial = score <= baseline
    if trivial.any():
        score = np.where(trivial, baseline, score)
        threshold = np.where(trivial, -np.inf, threshold)
        positive_above = np.where(trivial, n_pos >= n_neg, positive_above)
    return ThresholdRules(score, threshold, positive_above)
