"""The parts of the sisso engine: units, duplicates, thresholds, ℓ0 and the memory budget."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp

from lawfind.exceptions import ConfigError
from lawfind.law import internal_symbol
from lawfind.search.sisso import SissoEngine, best_thresholds
from lawfind.search.sisso._build import MemoryPlan, add_rung, primary_space
from lawfind.search.sisso._dedup import random_directions, signatures, unique_mask, usable_rows
from lawfind.search.sisso._l0 import regression_l0
from lawfind.search.sisso._l0_classify import classification_l0
from lawfind.search.sisso._operators import resolve_operators
from lawfind.search.sisso._units import UnitAlgebra

NO_PROGRESS = lambda fraction, message: None  # noqa: E731
x0, x1, x2 = (internal_symbol(i) for i in range(3))


def _space(X: np.ndarray, units: tuple[str | None, ...] | None, operators: tuple[str, ...], rungs: int = 1):
    if units is None:
        algebra, ids, factors = UnitAlgebra.unchecked(), [0] * X.shape[1], [1.0] * X.shape[1]
    else:
        algebra, ids, factors = UnitAlgebra.from_strings(units)
    directions = random_directions(len(X), 0)
    info: dict = {}
    space = primary_space(X, resolve_operators(operators), algebra, ids, factors, directions, info)
    memory = MemoryPlan(2**30, len(X))
    for r in range(1, rungs + 1):
        add_rung(space, r, None, memory, directions, deadline=float("inf"), progress=NO_PROGRESS)
    return space, info


def _expressions(space) -> set[sp.Expr]:
    return {space.expression(i) for i in range(space.size)}


# ---------------------------------------------------------------------- units
def test_units_allow_only_dimensionally_valid_features():
    rng = np.random.default_rng(0)
    X = rng.uniform(1.0, 2.0, (20, 3))
    space, _ = _space(X, ("m", "s", "dimensionless"), ("+", "-", "/", "exp", "log"))
    built = _expressions(space)
    assert x0 / x1 in built and x0 / x2 in built  # products and ratios of any units
    assert sp.exp(x2) in built and sp.log(x2) in built  # exp/log of the dimensionless column
    assert not {sp.exp(x0), sp.log(x0), sp.exp(x1), x0 + x1, x0 - x1, x0 + x2} & built
    units = {str(space.expression(i)): space.units.display(int(space.unit[i])) for i in range(space.size)}
    assert units["x0/x1"] == "m/s" and units["exp(x2)"] == "dimensionless"


def test_without_units_every_combination_is_built():
    rng = np.random.default_rng(0)
    X = rng.uniform(1.0, 2.0, (20, 3))
    space, _ = _space(X, None, ("+", "exp"))
    assert {x0 + x1, sp.exp(x0)} <= _expressions(space)
    assert space.units.display(int(space.unit[0])) is None


def test_same_dimension_in_other_units_is_converted_so_sums_stay_meaningful():
    rng = np.random.default_rng(0)
    X = rng.uniform(1.0, 2.0, (20, 2))
    space, _ = _space(X, ("angstrom", "nm"), ("+",))
    sums = [space.expression(i) for i in range(space.size) if space.rung[i] == 1]
    assert len(sums) == 1
    assert sp.simplify(sums[0] - (x0 + 10 * x1)) == 0  # 1 nm = 10 Å
    np.testing.assert_allclose(space.values[-1], X[:, 0] + 10 * X[:, 1])


def test_unknown_units_never_enter_exp_or_sums_with_others():
    rng = np.random.default_rng(0)
    X = rng.uniform(1.0, 2.0, (20, 2))
    space, _ = _space(X, (None, "dimensionless"), ("+", "*", "exp"))
    built = _expressions(space)
    assert x0 * x1 in built and sp.exp(x1) in built
    assert sp.exp(x0) not in built and x0 + x1 not in built
    assert "[unit of x0]" in space.units.display(int(space.unit[0]))


# ---------------------------------------------------------------------- duplicates
def test_duplicates_up_to_scale_and_offset_are_removed_keeping_the_first():
    rng = np.random.default_rng(1)
    f, g = rng.normal(size=30), rng.normal(size=30)
    rows = np.array([f, 2 * f + 1, g, -3 * f, g + 1e-3 * rng.normal(size=30)])
    keep = unique_mask(signatures(rows, random_directions(30, 0)), np.arange(5))
    assert keep.tolist() == [True, False, True, False, True]


def test_duplicate_and_constant_columns_and_features_are_dropped():
    rng = np.random.default_rng(2)
    a, b = rng.uniform(1.0, 2.0, 25), rng.uniform(1.0, 2.0, 25)
    X = np.column_stack([a, b, 3 * a + 1, np.full(25, 4.0)])
    space, info = _space(X, None, ("*", "/", "^2", "^-1"))
    assert info["primary_dropped"] == {"unusable": [3], "duplicate": [2]}
    built = _expressions(space)
    # a/b and a*b^-1 are one feature; b^-1 is kept once (not also as 1/b from another route)
    values = space.values
    corr = np.corrcoef(values)
    off_diagonal = np.abs(corr[~np.eye(len(values), dtype=bool)])
    assert off_diagonal.max() < 1 - 1e-9
    assert x0 / x1 in built or x1 / x0 in built


# ---------------------------------------------------------------------- threshold rules
@pytest.mark.parametrize("metric", ["accuracy", "balanced_accuracy"])
def test_best_threshold_matches_brute_force(metric):
    rng = np.random.default_rng(3)
    values = rng.integers(0, 8, (40, 30)).astype(float)  # many ties
    positive = rng.random(30) < 0.4
    rules = best_thresholds(values, positive, metric)
    for row, score, threshold, above in zip(values, rules.score, rules.threshold, rules.positive_above):
        best = 0.0
        for t in np.concatenate([[-np.inf], np.unique(row)]):
            for orient in (True, False):
                predicted = (row > t) == orient
                if metric == "accuracy":
                    s = np.mean(predicted == positive)
                else:
                    s = 0.5 * (np.mean(predicted[positive]) + np.mean(~predicted[~positive]))
                best = max(best, s)
        assert score == pytest.approx(best)
        predicted = (row > threshold) == above
        achieved = (np.mean(predicted == positive) if metric == "accuracy"
                    else 0.5 * (np.mean(predicted[positive]) + np.mean(~predicted[~positive])))
        assert achieved == pytest.approx(score)


def test_threshold_does_not_split_values_equal_up_to_rounding():
    values = np.array([[0.1 + 0.2, 0.3, 1.0, 2.0]])  # 0.30000000000000004 and 0.3
    rules = best_thresholds(values, np.array([True, False, False, False]))
    assert rules.score[0] == pytest.approx(0.75)


# ---------------------------------------------------------------------- ℓ0
@pytest.mark.parametrize("dimension", [1, 2, 3])
def test_l0_equals_brute_force_least_squares(dimension):
    rng = np.random.default_rng(4)
    values = rng.normal(size=(12, 25))
    y = 2 * values[3] - values[7] + 0.5 * values[10] + 0.3 * rng.normal(size=25)
    result = regression_l0(values, y, dimension, 5, deadline=float("inf"), progress=NO_PROGRESS)
    brute = []
    for support in itertools.combinations(range(12), dimension):
        A = np.column_stack([np.ones(25), values[list(support)].T])
        residual = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
        brute.append((float(residual @ residual), support))
    brute.sort()
    assert result.supports == [s for _, s in brute[:5]]
    np.testing.assert_allclose(result.scores, [r for r, _ in brute[:5]], rtol=1e-9)
    assert result.evaluated == len(brute)


def test_classification_l0_finds_a_planted_linear_separator():
    rng = np.random.default_rng(5)
    values = rng.normal(size=(6, 80))
    positive = values[1] - 0.5 * values[4] > 0.2
    result = classification_l0(values, positive, np.zeros(6, dtype=int), 2, 3, "accuracy",
                               deadline=float("inf"), progress=NO_PROGRESS)
    assert result.supports[0] == (1, 4)
    assert result.scores[0] == 1.0
    assert result.evaluated == 15


# ---------------------------------------------------------------------- memory budget
def test_a_space_that_cannot_fit_the_memory_budget_fails_with_the_need():
    rng = np.random.default_rng(6)
    X = rng.uniform(1.0, 2.0, (50, 8))
    engine = SissoEngine(rung=3, memory_budget=2**20, n_threads=1)
    need = r"rung 2 .*needs about [0-9.]+ (kB|MB|GB).*exceeds memory_budget=1,048,576 bytes"
    with pytest.raises(ConfigError, match=need):
        engine.search(X, X[:, 0] * X[:, 1], time_limit=10, seed=0, progress=NO_PROGRESS)


def test_rank_signatures_treat_rounding_noise_as_ties():
    from lawfind.search.sisso._dedup import random_directions, rank_signatures, unique_mask

    rng = np.random.default_rng(3)
    a, b, c, d = (rng.choice([1.0, 2.0, 3.0], size=60) * s for s in (0.11, 0.37, 1.3, 0.7))
    # one feature built in two orders: equal in exact arithmetic, a few ulps apart in floats, with many ties
    first, second = (a * b) * (c / d), (a * c) * (b / d)
    assert not np.array_equal(first, second)
    other = a + d
    sig = rank_signatures(np.vstack([first, second, other]), random_directions(60, 0))
    assert unique_mask(sig, np.arange(3)).tolist() == [True, False, True]


def test_usable_rows_drops_non_finite_huge_tiny_and_constant_rows():
    values = np.array([[1.0, 2.0, 3.0],          # fine
                       [1.0, np.nan, 3.0],       # non-finite
                       [1e101, 1.0, 2.0],        # squares would overflow
                       [0.0, 1e-182, 3e-150],    # exp(-huge): squares underflow to a zero norm
                       [2.0, 2.0, 2.0 + 1e-12]])  # constant up to rounding
    assert usable_rows(values).tolist() == [True, False, False, False, False]
