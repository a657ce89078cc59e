"""Turn a classification engine's candidates (score expressions plus decisions) into scored laws.

Unlike regression candidates they are neither simplified nor snapped nor refitted: the
threshold belongs to the expression exactly as the engine found it, and changing one
would silently change the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from lawfind.exceptions import ConfigError, DataError
from lawfind.law import Decision, Law

__all__ = ["classification_laws", "classification_metrics", "grouped_accuracy"]


def _labels(values: Any) -> list[Any]:
    return [v.item() if isinstance(v, np.generic) else v for v in np.asarray(values, dtype=object).tolist()]


def classification_metrics(y_true: Sequence[Any], y_pred: Sequence[Any]) -> dict[str, float]:
    """Accuracy, balanced accuracy (mean recall over the true classes) and the number of errors.

    Labels are compared with ``==`` as they are (``1`` and ``"1"`` differ).

    Examples
    --------
    >>> classification_metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    {'accuracy': 0.75, 'balanced_accuracy': 0.75, 'n_errors': 1.0}
    """
    true, pred = _labels(y_true), _labels(y_pred)
    if len(true) != len(pred):
        raise DataError(f"y_true has {len(true)} labels but y_pred has {len(pred)}")
    if not true:
        raise DataError("cannot score an empty set of labels")
    correct = np.array([a == b for a, b in zip(true, pred)], dtype=bool)
    recalls = []
    for label in dict.fromkeys(true):
        members = np.array([a == label for a in true], dtype=bool)
        recalls.append(float(correct[members].mean()))
    return {"accuracy": float(correct.mean()), "balanced_accuracy": float(np.mean(recalls)),
            "n_errors": float(np.count_nonzero(~correct))}


def grouped_accuracy(y_true: Sequence[Any], y_pred: Sequence[Any], groups: Sequence[Any]) -> dict[str, float]:
    """Accuracy within each group (e.g. per anion), keyed by ``str(group)`` in sorted order.

    Examples
    --------
    >>> grouped_accuracy([1, 1, -1, -1], [1, -1, -1, -1], ["O", "O", "F", "F"])
    {'F': 1.0, 'O': 0.5}
    """
    true, pred, keys = _labels(y_true), _labels(y_pred), [str(g) for g in _labels(groups)]
    if not len(true) == len(pred) == len(keys):
        raise DataError(f"y_true, y_pred and groups must have the same length, got {len(true)}, {len(pred)} "
                        f"and {len(keys)}")
    out: dict[str, float] = {}
    for key in sorted(set(keys)):
        hits = [a == b for a, b, g in zip(true, pred, keys) if g == key]
        out[key] = float(np.mean(hits))
    return out


def classification_laws(
    expressions: Sequence[sp.Expr],
    decisions: Sequence[Decision],
    X: np.ndarray,
    y: np.ndarray,
    variables: Mapping[str, str],
    *,
    target: str,
    origin: str,
) -> list[Law]:
    """Laws with a :class:`~lawfind.law.Decision` from an engine's classification candidates, scored on ``(X, y)``.

    Candidates whose score is not finite on every row, or that refer to columns outside
    ``variables``, are skipped; identical (expression, decision) pairs are merged.

    Parameters
    ----------
    expressions : sequence of sympy.Expr
        Score functions over ``x0``, ``x1``... (a descriptor, or ``w0 + Σ w_j·d_j``).
    decisions : sequence of Decision
        One per expression: ``label = above if score > threshold else below``.
    X : ndarray of shape (n_samples, n_features)
        Training data (column ``i`` is ``x{i}``).
    y : ndarray of shape (n_samples,)
        True class labels.
    variables : mapping of str to str
        Internal name -> column name for every column of ``X``.
    target, origin : str
        Recorded on each law.

    Returns
    -------
    list of Law
        With metrics ``accuracy``, ``balanced_accuracy`` and ``n_errors``.

    Raises
    ------
    ConfigError
        If ``expressions`` and ``decisions`` differ in length.
    """
    if len(expressions) != len(decisions):
        raise ConfigError(f"got {len(expressions)} expressions but {len(decisions)} decisions; a classification "
                          f"engine must return one Decision per expression")
    allowed = {sp.Symbol(name, real=True) for name in variables}
    laws: list[Law] = []
    seen: set[tuple[sp.Expr, Decision]] = set()
    for expr, decision in zip(expressions, decisions):
        if not expr.free_symbols <= allowed or (expr, decision) in seen:
            continue
        seen.add((expr, decision))
        used = {s.name: variables[s.name] for s in expr.free_symbols}
        law = Law(expr, used, target=target, origin=origin, decision=decision)
        with np.errstate(all="ignore"):
            values = law.decision_function(X)
        if not np.all(np.isfinite(values)):
            continue
        laws.append(law.with_metrics(classification_metrics(y, decision.apply(values))))
    return laws
