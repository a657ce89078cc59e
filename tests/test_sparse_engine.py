"""Tests of the ``sparse`` engine: planted laws, methods, term-count criteria, library rules, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from lawfind.exceptions import ConfigError, DataError
from lawfind.law import finalize_expression, internal_symbol
from lawfind.search._library import build_library, screen_library
from lawfind.search._sparse import SparseEngine

x0, x1, x2 = (internal_symbol(i) for i in range(3))


def quiet(fraction: float, message: str) -> None:
    """A progress callback that checks its arguments and shows nothing."""
    assert 0.0 <= fraction <= 1.0 and isinstance(message, str)


def run(engine: SparseEngine, X: np.ndarray, y: np.ndarray, seed: int = 0):
    return engine.search(X, y, time_limit=60.0, seed=seed, progress=quiet)


def matches(expr: sp.Expr, target: sp.Expr, tol: float = 1e-8) -> bool:
    """True if ``expr`` has the terms of ``target`` with every coefficient within ``tol``."""
    got, want = sp.expand(expr).as_coefficients_dict(), sp.expand(target).as_coefficients_dict()
    return set(got) == set(want) and all(abs(float(got[t]) - float(want[t])) <= tol for t in want)


def n_terms(expr: sp.Expr) -> int:
    """Library terms in ``intercept + Σ coef·term``."""
    return sum(1 for arg in sp.Add.make_args(expr) if arg.free_symbols)


def predict(expr: sp.Expr, X: np.ndarray) -> np.ndarray:
    symbols = [internal_symbol(i) for i in range(X.shape[1])]
    return np.broadcast_to(sp.lambdify(symbols, expr, "numpy")(*X.T), (X.shape[0],))


@pytest.fixture
def linear_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.uniform(0.5, 3.0, size=(60, 3))  # x2 is irrelevant
    return X, 1.5 + 2.0 * X[:, 0] - 0.7 * X[:, 1]


def test_planted_linear_law_recovered_and_extrapolates(linear_data):
    X, y = linear_data
    result = run(SparseEngine(), X, y)
    target = 1.5 + 2 * x0 - 0.7 * x1
    found = [e for e in result.expressions if e.free_symbols == {x0, x1} and n_terms(e) == 2 and matches(e, target)]
    assert found, result.expressions
    assert result.info["k_star"] == 2
    assert all(n_terms(e) <= 2 for e in result.expressions)  # no overfit sizes reach the front
    assert not result.interrupted
    final = finalize_expression(found[0], X, y)
    X_far = np.random.default_rng(1).uniform(50.0, 100.0, size=(20, 3))
    y_far = 1.5 + 2.0 * X_far[:, 0] - 0.7 * X_far[:, 1]
    assert np.max(np.abs(predict(final, X_far) - y_far) / np.abs(y_far)) <= 1e-6


def test_ratio_law_recovered():
    rng = np.random.default_rng(2)
    X = rng.uniform(0.5, 3.0, size=(50, 3))
    y = 3.0 + 2.0 * X[:, 0] / X[:, 1]
    result = run(SparseEngine(), X, y)
    assert result.info["k_star"] == 1
    assert result.info["terms_chosen"] == ["x0/x1"]
    assert matches(result.expressions[0], 3 + 2 * x0 / x1)


@pytest.mark.parametrize("method", ["best_subset", "omp", "forward", "lasso"])
def test_each_method_recovers_a_planted_sparse_law(method):
    rng = np.random.default_rng(3)
    X = rng.uniform(0.5, 3.0, size=(80, 5))
    y = 0.5 + 3.0 * X[:, 0] - 2.0 * X[:, 2]
    engine = SparseEngine(method=method, powers=(2,), include_log=False, interactions=False)
    result = run(engine, X, y)
    assert result.info["method"] == method and result.info["method_reason"] == "requested"
    assert result.info["k_star"] == 2
    assert sorted(result.info["terms_chosen"]) == ["x0", "x2"]
    assert any(matches(e, 0.5 + 3 * x0 - 2 * x2) for e in result.expressions)


def test_forward_stepwise_finds_a_law_of_correlated_terms_where_omp_does_not():
    # y = 0.5 + 2·a + (−a + 0.3·b): after a, the residual 0.3·b correlates more with a noisy copy of b
    # than with the second true input (mostly −a again); OMP takes the copy, forward stepwise the input
    rng = np.random.default_rng(0)
    a, b, noise = rng.normal(size=(3, 200))
    X = np.column_stack([a, -a + 0.3 * b, b + 0.5 * noise])
    y = 0.5 + 2 * X[:, 0] + X[:, 1]
    options = {"max_terms": 2, "powers": (), "include_log": False, "interactions": False, "criterion": "bic"}
    omp = run(SparseEngine(method="omp", **options), X, y)
    forward = run(SparseEngine(method="forward", **options), X, y)
    assert sorted(omp.info["terms_chosen"]) == ["x0", "x2"]
    assert sorted(forward.info["terms_chosen"]) == ["x0", "x1"]
    assert any(matches(e, 0.5 + 2 * x0 + x1) for e in forward.expressions)


def test_beam_search_finds_a_law_whose_terms_only_pay_off_together():
    # y = x0 + x1 with x0 = a + b, x1 = a − b: a noisy copy of 2a (x2) is the best single term, so
    # forward stepwise starts from it and misses the law; a beam of three keeps x0 and x1 alive
    rng = np.random.default_rng(1)
    a, b, noise = rng.normal(size=(3, 300))
    X = np.column_stack([a + b, a - b + 0.1 * noise, 2 * a + 0.4 * rng.normal(size=300)])
    y = 0.5 + X[:, 0] + X[:, 1]
    options = {"max_terms": 2, "powers": (), "include_log": False, "interactions": False, "criterion": "bic"}
    forward = run(SparseEngine(method="forward", **options), X, y)
    beam = run(SparseEngine(method="beam", beam_width=3, **options), X, y)
    assert sorted(forward.info["terms_chosen"]) == ["x0", "x2"]
    assert sorted(beam.info["terms_chosen"]) == ["x0", "x1"] and beam.info["method"] == "beam"
    assert any(matches(e, 0.5 + x0 + x1) for e in beam.expressions)
    # width 1 is forward stepwise, and a beam returns several candidates per size
    narrow = run(SparseEngine(method="beam", beam_width=1, **options), X, y)
    assert narrow.info["terms_chosen"] == forward.info["terms_chosen"]
    wide = run(SparseEngine(method="beam", beam_width=3, candidates_per_size=3, max_terms=2, criterion="bic",
                            powers=(), include_log=False, interactions=False), X, y)
    assert len(wide.expressions) == 6  # all 3 single terms and all 3 pairs


def test_beam_search_recovers_a_planted_law_from_the_full_library():
    rng = np.random.default_rng(7)
    X = rng.uniform(0.5, 3.0, size=(80, 4))
    y = 1.5 + 2.0 * X[:, 0] * X[:, 1] - 0.7 * X[:, 2] ** 2 + 0.3 / X[:, 3]
    result = run(SparseEngine(method="beam", max_terms=3, criterion="bic"), X, y)
    assert any(matches(e, 1.5 + 2 * x0 * x1 - 0.7 * x2**2 + 0.3 / internal_symbol(3)) for e in result.expressions)


@pytest.mark.parametrize("criterion", ["cv", "ebic", "bic"])
def test_criterion_picks_two_terms_with_mild_noise(criterion):
    rng = np.random.default_rng(4)
    X = rng.uniform(0.5, 3.0, size=(60, 3))
    y = 1.0 + 2.0 * X[:, 0] + 0.8 * X[:, 1] + rng.normal(0.0, 0.05, 60)
    result = run(SparseEngine(criterion=criterion), X, y, seed=4)
    assert result.info["k_star"] == 2
    assert sorted(result.info["terms_chosen"]) == ["x0", "x1"]
    scores = result.info["scores"]
    assert set(scores) == {"0", "1", "2", "3"}
    assert scores["2"] == min(v for v in scores.values() if v is not None)
    assert max(n_terms(e) for e in result.expressions) == 2


def test_pure_noise_gives_the_constant():
    rng = np.random.default_rng(5)
    X = rng.uniform(0.5, 3.0, size=(60, 3))
    y = rng.normal(10.0, 1.0, 60)
    result = run(SparseEngine(criterion="ebic"), X, y)
    assert result.info["k_star"] == 0
    assert result.expressions == [sp.Float(float(np.mean(y)))]
    assert result.info["terms_chosen"] is None


def test_info_is_json_ready_and_complete(linear_data):
    X, y = linear_data
    result = run(SparseEngine(candidates_per_size=2), X, y)
    info = json.loads(json.dumps(result.info))
    for key in ("method", "method_reason", "library_size", "library_terms", "library_dropped", "criterion",
                "scores", "k_star", "terms_chosen", "subsets_evaluated", "time_limit_reached", "seconds"):
        assert key in info, key
    assert info["method"] == "best_subset" and info["library_size"] == len(info["library_terms"])
    assert len(result.expressions) == 4  # 2 candidates for each of the sizes 1..k*=2


def test_auto_uses_forward_stepwise_above_max_subsets(linear_data):
    X, y = linear_data
    result = run(SparseEngine(max_subsets=10, criterion="bic"), X, y)
    assert result.info["method"] == "forward" and "> max_subsets = 10" in result.info["method_reason"]


def test_time_limit_stops_best_subset_without_interrupting():
    rng = np.random.default_rng(6)
    X = rng.uniform(0.5, 3.0, size=(40, 8))
    y = 1.0 + X[:, 0] * X[:, 1]
    result = SparseEngine(method="best_subset", criterion="bic").search(X, y, time_limit=1e-9, seed=0, progress=quiet)
    assert result.info["time_limit_reached"] is True
    assert not result.interrupted
    assert result.expressions  # the sizes finished in time are still returned


def test_time_limit_stops_a_wide_beam_and_keeps_the_sizes_found():
    rng = np.random.default_rng(6)
    X = rng.uniform(0.5, 3.0, size=(60, 8))
    y = 1.0 + X[:, 0] * X[:, 1] + X[:, 2] ** 2
    result = SparseEngine(method="beam", beam_width=10**9, max_terms=3, criterion="bic").search(
        X, y, time_limit=1e-9, seed=0, progress=quiet)
    assert result.info["time_limit_reached"] is True and not result.interrupted
    assert result.expressions  # the best supports found before the deadline
    messages = []
    SparseEngine(method="beam", max_terms=2, criterion="bic").search(
        X, y, time_limit=60, seed=0, progress=lambda f, m: messages.append(m))
    assert "beam search: size 1" in messages and "beam search: size 2" in messages


def test_ctrl_c_returns_best_so_far(linear_data):
    X, y = linear_data

    def interrupting(fraction: float, message: str) -> None:
        if message.startswith("cross-validation fold 2"):
            raise KeyboardInterrupt

    result = SparseEngine().search(X, y, time_limit=60.0, seed=0, progress=interrupting)
    assert result.interrupted
    assert result.info["k_star"] is None
    assert {n_terms(e) for e in result.expressions} == {1, 2, 3}  # every size of the full-data search


def test_ctrl_c_inside_best_subset_keeps_the_finished_sizes(linear_data):
    X, y = linear_data

    def interrupting(fraction: float, message: str) -> None:
        if message == "best subset: size 3":
            raise KeyboardInterrupt

    result = SparseEngine(method="best_subset").search(X, y, time_limit=60.0, seed=0, progress=interrupting)
    assert result.interrupted
    assert {n_terms(e) for e in result.expressions} == {1, 2}
    assert any(matches(e, 1.5 + 2 * x0 - 0.7 * x1) for e in result.expressions)


def test_progress_is_monotonic_and_finishes(linear_data):
    X, y = linear_data
    fractions: list[float] = []
    SparseEngine().search(X, y, time_limit=60.0, seed=0, progress=lambda f, m: fractions.append(f))
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(b >= a for a, b in zip(fractions, fractions[1:]))


def test_library_skips_undefined_terms():
    rng = np.random.default_rng(7)
    X = np.column_stack([rng.uniform(-1.0, 1.0, 30), rng.uniform(0.5, 2.0, 30), rng.integers(0, 3, 30)])
    X[0, 2] = 0.0
    names = build_library(X).names()
    for name in ("log(x0)", "sqrt(x0)", "1/sqrt(x0)", "log(x2)", "sqrt(x2)", "1/x2", "x0/x2", "x1/x2"):
        assert name not in names
    for name in ("x0", "x0**2", "1/x0", "log(x1)", "sqrt(x1)", "1/sqrt(x1)", "x1**(-2)", "x0*x2", "x2/x1", "x2**2"):
        assert name in names


def test_shifted_terms_only_for_nonnegative_columns_and_term_products_cover_every_pair():
    rng = np.random.default_rng(9)
    X = np.column_stack([rng.uniform(-1.0, 1.0, 30), rng.uniform(0.0, 2.0, 30)])
    X[:3, 1] = 0.0  # an element absent from some alloys: log x1 and 1/x1 are undefined, log(x1 + s) is not
    names = build_library(X, powers=(), include_log=True, interactions=False, shifts=(0.1, 1.0)).names()
    assert names == ["x0", "x1", "log(x1 + 1/10)", "1/(x1 + 1/10)", "log(x1 + 1)", "1/(x1 + 1)"]
    products = build_library(X, powers=(), include_log=False, interactions=False, shifts=(0.1,), term_products=True)
    singles = ["x0", "x1", "log(x1 + 1/10)", "1/(x1 + 1/10)"]
    pairs = len(singles) * (len(singles) - 1) // 2
    assert {"x0*x1", "x0*log(x1 + 1/10)", "x1*log(x1 + 1/10)", "log(x1 + 1/10)/(x1 + 1/10)"} <= set(products.names())
    # x1 * 1/(x1 + s) = 1 - s/(x1 + s) is a duplicate of 1/(x1 + s) and is dropped as such
    assert "x1/(x1 + 1/10)" not in products.names() and products.dropped["duplicate"] == 1
    assert products.size == len(singles) + pairs - 1


def test_planted_law_in_shifted_terms_of_columns_with_zeros_is_recovered_exactly():
    rng = np.random.default_rng(10)
    X = rng.uniform(0.0, 5.0, size=(80, 3))
    X[rng.random((80, 3)) < 0.3] = 0.0  # wt% of elements absent from ~30 % of the alloys
    target = 1200 + 150 * sp.log(x0 + sp.Rational(1, 10)) * sp.log(x1 + 1) - 40 * x2 / (x0 + 1)
    y = predict(target, X)
    engine = SparseEngine(max_terms=2, method="omp", criterion="bic", powers=(), include_log=False,
                          interactions=False, shifts=(0.1, 1), term_products=True, max_library_size=5000)
    result = run(engine, X, y)
    law = result.expressions[result.info["k_star"] - 1]
    assert result.info["k_star"] == 2 and matches(law, target, tol=1e-6)


def test_library_drops_constant_duplicate_and_nonfinite_terms():
    rng = np.random.default_rng(8)
    a = rng.uniform(1.0, 2.0, 25)
    X = np.column_stack([a, 3.0 * a, np.full(25, 2.0), rng.uniform(800.0, 900.0, 25)])
    library = build_library(X, include_exp=True, interactions=False)
    names = library.names()
    assert "x0" in names and "x1" not in names and "x1**2" not in names  # 3·x0 duplicates x0
    assert not any("x2" in n for n in names)
    assert "exp(x3)" not in names and "exp(x0)" in names
    assert library.dropped["constant"] >= 1 and library.dropped["duplicate"] >= 1 and library.dropped["nonfinite"] == 1
    assert library.values.shape == (25, library.size)


def test_screening_keeps_the_most_correlated_terms(linear_data):
    X, y = linear_data
    library = screen_library(build_library(X), y, 4)
    assert library.size == 4 and library.dropped["screened"] > 0
    result = run(SparseEngine(max_library_size=4, criterion="bic"), X, y)
    assert result.info["library_size"] == 4 and result.info["library_dropped"]["screened"] > 0


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"method": "ridge"}, "method must be one of"),
        ({"criterion": "r2"}, "criterion must be one of"),
        ({"max_terms": 0}, "max_terms must be an integer ≥ 1"),
        ({"max_terms": 2.5}, "max_terms must be an integer"),
        ({"cv_folds": 1}, "cv_folds must be an integer ≥ 2"),
        ({"max_library_size": 0}, "max_library_size"),
        ({"candidates_per_size": True}, "candidates_per_size"),
        ({"powers": (0,)}, "other than 0 and 1"),
        ({"powers": (2, 1)}, "other than 0 and 1"),
        ({"powers": (float("nan"),)}, "finite number"),
        ({"powers": (0.5, 1 / 2)}, "listed twice"),
        ({"powers": "2"}, "powers must be a tuple"),
        ({"include_log": "yes"}, "include_log must be True or False"),
        ({"term_products": 1}, "term_products must be True or False"),
        ({"shifts": (0.1, 0)}, "each shift must be a positive finite number"),
        ({"shifts": (float("inf"),)}, "each shift must be a positive finite number"),
        ({"shifts": (0.1, 1 / 10)}, "listed twice"),
        ({"shifts": 0.1}, "shifts must be a tuple"),
        ({"beam_width": 0, "method": "beam"}, "beam_width must be an integer ≥ 1"),
        ({"beam_width": 5, "method": "forward"}, "beam_width applies to method='beam' only"),
        ({"method": "beams"}, "method must be one of"),
    ],
)
def test_bad_options_raise_config_error(options, match):
    with pytest.raises(ConfigError, match=match):
        SparseEngine(**options).validate()


def test_bad_time_limit_and_data_raise(linear_data):
    X, y = linear_data
    with pytest.raises(ConfigError, match="time_limit must be a positive"):
        SparseEngine().search(X, y, time_limit=0, seed=0, progress=quiet)
    with pytest.raises(DataError, match="target is constant"):
        run(SparseEngine(), X, np.ones(len(y)))
    with pytest.raises(DataError, match="must be finite"):
        run(SparseEngine(), np.where(X > 2.9, np.nan, X), y)
    with pytest.raises(DataError, match=r"lower max_terms \(CLI: --max-terms\), or in Python lower cv_folds"):
        run(SparseEngine(max_terms=3), X[:5], y[:5])
