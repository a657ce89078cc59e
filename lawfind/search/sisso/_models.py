"""Turn ℓ0 results into what the engine returns: SymPy expressions, decisions and info records."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from lawfind.law import Decision
from lawfind.search._subsets import ols_fit
from lawfind.search.sisso._l0 import L0Result
from lawfind.search.sisso._l0_classify import LinearRule
from lawfind.search.sisso._screen import Candidates
from lawfind.search.sisso._space import FeatureSpace

__all__ = ["descriptor_records", "regression_models", "classification_models"]


def descriptor_records(space: FeatureSpace, union: Candidates, support: tuple[int, ...], target_unit: str | None
                       ) -> tuple[list[sp.Expr], list[dict[str, Any]]]:
    """Expressions of the descriptors ``union[support]`` and their info records (expression, unit, complexity)."""
    expressions, records = [], []
    for row in support:
        op, left, right = int(union.op[row]), int(union.left[row]), int(union.right[row])
        expr = space.candidate_expression(op, left, right)
        unit = int(space.candidate_units(op, np.array([left]), np.array([right]))[0])
        expressions.append(expr)
        records.append({"expression": str(expr), "unit": space.units.display(unit),
                        "coefficient_unit": space.units.ratio(target_unit, unit),
                        "complexity": int(union.complexity[row])})
    return expressions, records


def regression_models(space: FeatureSpace, union: Candidates, result: L0Result, y: np.ndarray, dimension: int,
                      target_unit: str | None) -> tuple[list[sp.Expr], list[dict[str, Any]], list[np.ndarray]]:
    """``c0 + Σ c_j·d_j`` per support (best first), their info records and predictions."""
    expressions, records, predictions = [], [], []
    for rank, support in enumerate(result.supports):
        fit = ols_fit(union.values.T, y, support)
        descriptors, described = descriptor_records(space, union, support, target_unit)
        expressions.append(sp.Add(sp.Float(fit.intercept), *(sp.Float(float(c)) * d
                                                              for c, d in zip(fit.coef, descriptors))))
        prediction = fit.intercept + union.values[list(support)].T @ fit.coef
        predictions.append(prediction)
        for record, coefficient in zip(described, fit.coef):
            record["coefficient"] = float(coefficient)
        records.append({"dimension": dimension, "rank": rank + 1, "intercept": float(fit.intercept),
                        "descriptors": described, "rmse": float(np.sqrt(np.mean((y - prediction) ** 2))),
                        "r2": float(1.0 - fit.rss / np.sum((y - y.mean()) ** 2))})
    return expressions, records, predictions


def _linear_rule_expression(rule: LinearRule, descriptors: list[sp.Expr], mean: np.ndarray, std: np.ndarray
                            ) -> tuple[sp.Expr, np.ndarray, float]:
    """``w0 + Σ w_j·d_j`` (positive class above 0), scaled so the first weight is ±1.

    That ±1 is written as an exact integer: it fixes the scale of a decision that has none,
    so it is not a fitted constant (no interval, not printed as ``1.0*d``).
    """
    sign = 1.0 if rule.positive_above else -1.0
    coef = sign * rule.weights / std
    intercept = -sign * (float(rule.weights @ (mean / std)) + rule.threshold)
    scale = abs(coef[0]) if coef[0] != 0 else float(np.max(np.abs(coef)))
    coef, intercept = coef / scale, intercept / scale
    weights = [sp.Integer(int(np.sign(c))) if abs(c) == 1.0 else sp.Float(float(c)) for c in coef]
    expr = sp.Add(sp.Float(intercept), *(w * d for w, d in zip(weights, descriptors)))
    return expr, coef, intercept


def classification_models(space: FeatureSpace, union: Candidates, result: L0Result, positive: np.ndarray,
                          classes: tuple[Any, Any], dimension: int, target_unit: str | None,
                          metric: str = "balanced_accuracy"
                          ) -> tuple[list[sp.Expr], list[Decision], list[dict[str, Any]], list[np.ndarray]]:
    """Score functions and decisions per support (best first), info records, and margins (> 0: predicted positive).

    1-D: the descriptor itself with its threshold; ``d``-D: ``w0 + Σ w_j·d_j`` with threshold 0.
    Constant rules (no better than predicting one class) are left out.
    """
    negative_label, positive_label = classes
    expressions, decisions, records, margins = [], [], [], []
    for rank, (support, score, rule) in enumerate(zip(result.supports, result.scores, result.rules or [])):
        if not np.isfinite(rule.threshold):
            continue
        descriptors, described = descriptor_records(space, union, support, None)
        rows = union.values[list(support)]
        mean, std = rows.mean(axis=1), rows.std(axis=1)
        if dimension == 1:
            # a 1-D rule on the standardized descriptor maps back to a threshold on the descriptor
            direction = float(np.sign(rule.weights[0]))
            threshold = float(mean[0] + direction * std[0] * rule.threshold)
            above_positive = rule.positive_above == (direction > 0)
            expr, values = descriptors[0], rows[0]
            decision = Decision(threshold, negative_label if above_positive else positive_label,
                                positive_label if above_positive else negative_label, metric)
            weights = None
        else:
            expr, coef, intercept = _linear_rule_expression(rule, descriptors, mean, std)
            values = intercept + coef @ rows
            decision = Decision(0.0, negative_label, positive_label, metric)
            weights = {"intercept": float(intercept), "coefficients": [float(c) for c in coef]}
        predicted_positive = (values > decision.threshold) == (decision.above == positive_label)
        margins.append(values - decision.threshold if decision.above == positive_label
                       else decision.threshold - values)
        expressions.append(expr)
        decisions.append(decision)
        records.append({"dimension": dimension, "rank": len(records) + 1, "descriptors": described,
                        "score": float(score), "threshold": decision.threshold,
                        "below": _plain(decision.below), "above": _plain(decision.above),
                        "training_accuracy": float(np.mean(predicted_positive == positive)),
                        **({"separator": weights} if weights else {})})
    return expressions, decisions, records, margins


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
