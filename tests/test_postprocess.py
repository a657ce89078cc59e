"""Shared post-processing: simplify, constant snapping (only when the fit allows), refit."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from lawfind.law import (
    Law,
    SnapTolerance,
    finalize_expression,
    internal_symbol,
    parse_expression,
    refit_constants,
    regression_metrics,
)
from lawfind.search import ParetoFront, PickRule

x0, x1, x2 = (internal_symbol(i) for i in range(3))


@pytest.fixture
def X():
    return np.random.default_rng(0).uniform(1, 5, (200, 3))


def test_operon_leaf_scales_fold_and_snap_to_the_planted_law(X):
    y = 3.2 * X[:, 0] * X[:, 1] / X[:, 2] ** 2
    raw = parse_expression("(0.000001 + ((-0.353542) * ((((-0.645060) * x1) * (0.521229 * x0)) / (((-0.192735) * x2) ^ 2))))")
    assert finalize_expression(raw, X, y) == sp.Float("3.2") * x0 * x1 / x2**2


def test_refit_recovers_constants_from_a_rough_start(X):
    y = 1.5 + 2 * X[:, 0] - 0.7 * X[:, 1]
    fitted = refit_constants(sp.Float(1.0) + sp.Float(1.0) * x0 + sp.Float(0.1) * x1, X, y)
    values = sorted(float(c) for c in fitted.atoms(sp.Float))
    np.testing.assert_allclose(values, [-0.7, 1.5, 2.0], atol=1e-10)


def test_snapping_to_pi_and_rationals_when_exact(X):
    y = np.pi * X[:, 0] ** 2 + X[:, 1] / 3
    raw = sp.Float(3.1415926) * x0 ** sp.Float(2.0000001) + sp.Float(0.33333) * x1
    assert finalize_expression(raw, X, y) == sp.pi * x0**2 + x1 / 3


def test_noisy_constant_is_not_snapped(X):
    rng = np.random.default_rng(1)
    y = 3.214 * X[:, 0] - 25.8 + rng.normal(0, 0.5, len(X))
    result = finalize_expression(sp.Float(3.0) * x0 + sp.Float(-20.0), X, y)
    slope = float(result.coeff(x0))
    assert slope != pytest.approx(3.2, abs=1e-9)
    assert slope == pytest.approx(3.214, abs=0.02)


def test_a_useless_term_is_dropped(X):
    y = 2 * X[:, 0]
    result = finalize_expression(sp.Float(2.0) * x0 + sp.Float(1e-12) * sp.exp(x1), X, y)
    assert result == 2 * x0


def test_snapping_can_be_tightened():
    tol = SnapTolerance(window=0.0)
    X = np.random.default_rng(0).uniform(1, 5, (50, 1))
    y = 0.5 * X[:, 0]
    # with no window only "drop the term" is tried, which makes the fit worse: nothing snaps
    assert finalize_expression(sp.Float(0.5) * x0, X, y, tol).atoms(sp.Float)


def _law(text: str, nrmse: float) -> Law:
    return Law.from_string(text, {"x0": "a", "x1": "b"}).with_metrics({"nrmse": nrmse})


def test_front_drops_dominated_laws_and_picks_simplest_within_tolerance():
    laws = [
        _law("x0", 0.5),
        _law("x0 + x1", 0.10),
        _law("x0 + x1 + 1", 0.20),  # dominated: more complex, worse
        _law("x0*x1 + x1", 0.0990),
        _law("x0*x1 + x1 + exp(x0)", 0.0980),
    ]
    front = ParetoFront(laws)
    assert [law.equation() for law in front] == ["a", "a + b", "a*b + b", "a*b + b + exp(a)"]
    # 0.10 is within 5 % of the best 0.098: the simpler law wins
    assert front.best.equation() == "a + b"
    strict = ParetoFront(laws, PickRule(rel_tol=0.0, abs_tol=0.0))
    assert strict.best.equation() == "a*b + b + exp(a)"


def test_front_on_clean_data_picks_the_exact_law_not_a_near_miss():
    laws = [_law("x0", 1e-3), _law("x0 + x1", 1e-14), _law("x0 + x1 + x0*x1", 1e-15)]
    assert ParetoFront(laws).best.equation() == "a + b"


def test_front_round_trips_through_dict():
    front = ParetoFront([_law("x0", 0.5), _law("x0 + x1", 0.1)])
    again = ParetoFront.from_dict(front.to_dict())
    assert list(again) == list(front) and again.best_index == front.best_index


def test_pick_rule_rejects_bad_tolerances():
    with pytest.raises(ValueError, match="rel_tol"):
        PickRule(rel_tol=-1)


def test_metrics_are_never_nan_for_broken_predictions():
    metrics = regression_metrics(np.array([1.0, 2.0]), np.array([np.nan, 1.0]))
    assert metrics["nrmse"] == float("inf") and metrics["r2"] == float("-inf")
