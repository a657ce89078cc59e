"""The ``portfolio`` engine and its parts: power laws, target transforms, monomial sums, budget, interrupts.

Everything asserted is deterministic: the structured stages have no randomness given the
seed, operon runs use a generation budget, and the budget tests replace the portfolio's
clock instead of measuring wall time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sympy as sp
from typer.testing import CliRunner

import lawfind.search._portfolio as portfolio_module
import lawfind.search._structured as structured_module
from lawfind import discover
from lawfind.cli import app
from lawfind.exceptions import ConfigError, DataError
from lawfind.law import internal_symbol
from lawfind.search import ENGINES, SearchResult, make_engine
from lawfind.search._monomials import term_library
from lawfind.search._portfolio import OPERATOR_SETS, PortfolioEngine
from lawfind.search._powerlaw import fit_power_laws
from lawfind.search._sums import fit_sparse_sums
from lawfind.search._transforms import TRANSFORMS, make_transform

x0, x1, x2 = (internal_symbol(i) for i in range(3))
QUIET = dict(progress=lambda f, m: None)
#: structured stages only: no operon, sparse or sisso (fast and deterministic)
STRUCTURED = dict(operator_sets=(), use_sparse=False, use_sisso=False)


def uniform(n: int = 200, d: int = 3, low: float = 1.0, high: float = 5.0, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, high, (n, d))


def is_monomial(expr: sp.Expr, coefficient: float, shape: sp.Expr) -> bool:
    """``expr`` is ``coefficient·shape`` (coefficient to 1e-12, shape exactly)."""
    c, rest = expr.as_coeff_Mul()
    return rest == shape and abs(float(c) - coefficient) <= 1e-12 * abs(coefficient)


def evaluates_to(expr: sp.Expr, X: np.ndarray, y: np.ndarray, tol: float = 1e-9) -> bool:
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    f = sp.lambdify(symbols, expr, "numpy")
    value = f(*[X[:, int(s.name[1:])] for s in symbols])
    return bool(np.max(np.abs(value - y) / np.abs(y)) <= tol)


# ---------------------------------------------------------------------------- power laws
def test_power_law_recovers_a_monomial_exactly():
    X = uniform()
    laws = fit_power_laws(X, 3.2 * X[:, 0] * X[:, 1] / X[:, 2] ** 2)
    assert is_monomial(laws[0].expression, 3.2, x0 * x1 / x2**2)
    assert laws[0].nrmse < 1e-12
    assert all(isinstance(a, sp.Rational) for _, a in laws[0].exponents)


def test_power_law_snaps_noisy_exponents_and_keeps_the_unsnapped_fit():
    X = uniform()
    y = 0.5 * X[:, 0] ** 1.5 / X[:, 1]
    noisy = y + np.random.default_rng(1).normal(0, 0.01 * np.sqrt(np.mean(y**2)), len(y))
    laws = fit_power_laws(X, noisy)
    shapes = [law.expression.as_coeff_Mul()[1] for law in laws]
    assert x0 ** sp.Rational(3, 2) / x1 in shapes
    assert any(law.expression.atoms(sp.Float) - {law.expression.as_coeff_Mul()[0]} for law in laws)


def test_power_law_finds_a_trigonometric_factor():
    X = uniform(d=3)
    X[:, 2] = np.random.default_rng(2).uniform(0.1, 3.0, len(X))
    law = fit_power_laws(X, -2 * X[:, 0] * np.sin(X[:, 2]) / X[:, 1])[0]
    assert is_monomial(law.expression, -2.0, x0 * sp.sin(x2) / x1)
    # per column: a dimensional column (here x2, given as one) never becomes sin(x) or cos(x)
    laws = fit_power_laws(X, -2 * X[:, 0] * np.sin(X[:, 2]) / X[:, 1], trig=[True, True, False])
    assert laws and not any(law.expression.has(sp.sin(x2), sp.cos(x2)) for law in laws)


def test_power_law_ignores_a_few_noisy_values_of_the_wrong_sign():
    X = uniform(n=300)
    y = 2.0 * X[:, 0] / X[:, 2] ** 3  # spans 0.016..10: noise of 1 % of RMS(y) crosses 0
    noisy = y + np.random.default_rng(3).normal(0, 0.01 * np.sqrt(np.mean(y**2)), len(y))
    assert 0 < np.sum(noisy <= 0) <= 0.05 * len(y)
    assert x0 / x2**3 in [law.expression.as_coeff_Mul()[1] for law in fit_power_laws(X, noisy)]


@pytest.mark.parametrize("y", [np.array([1.0, -2.0, 3.0]), np.array([0.0, 1.0, 2.0])])
def test_power_law_needs_a_target_of_one_sign(y):
    assert fit_power_laws(uniform(n=3), y) == []


# ---------------------------------------------------------------------------- transforms
@pytest.mark.parametrize("name", TRANSFORMS)
@pytest.mark.parametrize("sign", [1, -1])
def test_transforms_invert_on_arrays_and_expressions(name, sign):
    y = sign * np.linspace(0.2, 1.4, 7)
    transform = make_transform(name, y)
    if transform is None:
        assert name in ("cos", "log", "square", "sqrt", "inverse_square") or sign == -1
        return
    g = transform.apply(y)
    np.testing.assert_allclose(transform.invert(g), y, rtol=1e-12)
    f = sp.Symbol("f")
    back = sp.lambdify(f, transform.invert_expr(f), "numpy")
    np.testing.assert_allclose(back(g), y, rtol=1e-12)


def test_transforms_refuse_targets_they_cannot_invert():
    mixed = np.array([-1.0, 0.5, 2.0])
    assert [n for n in TRANSFORMS if make_transform(n, mixed) is not None] == ["identity", "exp", "reciprocal"]
    assert make_transform("exp", np.array([1.0, 100.0])) is None  # would overflow
    with pytest.raises(ValueError, match="unknown target transform 'cube'"):
        make_transform("cube", mixed)


# ---------------------------------------------------------------------------- monomial sums and ratios
def test_sums_recover_a_relativistic_law_after_the_inverse_square_transform():
    X = uniform(d=3)
    X[:, 2] += 5  # v < c
    y = X[:, 0] / np.sqrt(1 - X[:, 1] ** 2 / X[:, 2] ** 2)
    transform = make_transform("inverse_square", y)
    fit = fit_sparse_sums(X, transform.apply(y), term_library(X))[0]
    assert fit.nrmse < 1e-12 and fit.n_terms == 2
    law = transform.invert_expr(fit.expression)
    assert evaluates_to(law, X, y)


def test_sums_recover_a_ratio():
    X = uniform(d=3)
    y = X[:, 0] * X[:, 2] / (X[:, 2] + X[:, 0] * X[:, 1])  # 1/(1/x0 + x1/x2)
    fit = fit_sparse_sums(X, y, term_library(X), rational=300)[0]
    assert fit.nrmse < 1e-12
    assert evaluates_to(fit.expression, X, y)


# ---------------------------------------------------------------------------- final forms
@pytest.mark.parametrize("raw, tidy", [
    # one radical, as such laws are written (and as a symbolic comparison can match them)
    (2.0 * sp.sqrt(x0) * sp.sqrt(x1) / sp.sqrt(x2), "2.0*sqrt(x0*x1/x2)"),
    # a positive column leaves the radical; the rest stays under one root
    (1 / sp.sqrt(x1 * (2.0 * x2 + 2.0 * x0) / x0**3), "0.707106781186548*x0**(3/2)/sqrt(x1*(x0 + x2))"),
    (1 / sp.sqrt((1 - x1**2 / x2**2) / x0**2), "x0/sqrt(-x1**2/x2**2 + 1)"),
    (x2 * sp.log(x0) - x2 * sp.log(x1), "x2*log(x0/x1)"),
])
def test_tidy_forms(raw, tidy):
    from lawfind.search._pool import CandidatePool

    X = uniform(n=20)
    X[:, 2] += 5  # the relativistic law needs x1 < x2
    tidied = CandidatePool(X, np.ones(20)).tidy(raw)
    assert str(tidied) == tidy
    assert evaluates_to(tidied, X, sp.lambdify([x0, x1, x2], raw, "numpy")(*X.T), tol=1e-12)


def test_function_arguments_keep_exact_rationals():
    from lawfind.law._postprocess import decimalize
    from lawfind.law._refit import float_constants

    assert decimalize(sp.Rational(16, 5) * sp.sin(x0 / 2)) == sp.Float(3.2) * sp.sin(x0 / 2)
    # a shift in a power's base is structure (the sparse library's 1/(x + s)), not a fitted Float constant
    shifted = decimalize(sp.Rational(16, 5) / (x0 + sp.Rational(1, 100)) + 1 / (sp.Rational(1, 2) * x1 + 1))
    assert shifted == sp.Float(3.2) / (x0 + sp.Rational(1, 100)) + 1 / (sp.Float(0.5) * x1 + 1)
    assert sorted(float(c) for c in float_constants(shifted)) == [0.5, 3.2]


# ---------------------------------------------------------------------------- the engine
def test_portfolio_stops_at_an_exact_monomial():
    X = uniform()
    result = PortfolioEngine(**STRUCTURED).search(X, 3.2 * X[:, 0] * X[:, 1] / X[:, 2] ** 2, time_limit=60, seed=0,
                                                  **QUIET)
    assert is_monomial(result.expressions[0], 3.2, x0 * x1 / x2**2)
    assert result.info["stopped"] == "exact law after the quick structured stage"
    assert not result.interrupted


def test_portfolio_maps_a_log_transform_law_back_to_y():
    X = uniform(d=3)
    y = 2.0 * np.exp(-X[:, 0] * X[:, 1] / X[:, 2])
    result = PortfolioEngine(**STRUCTURED).search(X, y, time_limit=60, seed=0, **QUIET)
    assert result.info["straightness"]["log"] < 1e-12
    best = result.expressions[0]
    assert best.has(sp.exp) and evaluates_to(best, X, y)


def test_discover_with_the_portfolio_recovers_the_relativistic_mass_exactly():
    X = uniform(n=150, d=3)
    X[:, 2] += 5
    frame = pd.DataFrame(X, columns=["m0", "v", "c"])
    frame["m"] = frame["m0"] / np.sqrt(1 - frame["v"] ** 2 / frame["c"] ** 2)
    run = discover(frame, "m", engine=PortfolioEngine(**STRUCTURED, max_candidates=3), time_limit=60)
    m0, v, c = sp.symbols("m0 v c")
    found = run.best.sympy().xreplace({s: sp.Symbol(s.name) for s in run.best.sympy().free_symbols})
    assert sp.simplify(found - m0 / sp.sqrt(1 - v**2 / c**2)) == 0, run.best.equation()


def test_noisy_constants_are_snapped_when_no_law_is_exact():
    X = uniform(n=400)
    y = X[:, 0] / (1 + X[:, 1] * X[:, 2])
    noisy = y + np.random.default_rng(4).normal(0, 0.01 * np.sqrt(np.mean(y**2)), len(y))
    result = PortfolioEngine(**STRUCTURED).search(X, noisy, time_limit=60, seed=0, **QUIET)
    assert result.info["stopped"] is None and result.info["stages"][-1]["stage"] == "snap"
    assert any(sp.simplify(e - x0 / (x1 * x2 + 1)) == 0 for e in result.expressions if not e.atoms(sp.Float))


def test_operon_runs_are_deterministic_with_a_generation_budget():
    X = uniform(n=60, d=2)
    y = X[:, 0] * np.tanh(X[:, 1]) + X[:, 1]  # not found by the structured stages
    engine = PortfolioEngine(operator_sets=(OPERATOR_SETS["trig"],), transforms=(), use_sparse=False,
                             use_sisso=False, generations=10, population_size=50, n_threads=1, max_terms=1)
    first = engine.search(X, y, time_limit=600, seed=3, **QUIET)
    second = engine.search(X, y, time_limit=600, seed=3, **QUIET)
    assert [r["generations"] for r in first.info["operon_runs"]] == [10]
    assert first.expressions == second.expressions


class _FakeClock:
    """A clock that moves ``step`` seconds at every reading."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_portfolio_skips_the_remaining_stages_when_its_clock_runs_out(monkeypatch):
    monkeypatch.setattr(portfolio_module, "_clock", _FakeClock(step=5.0))
    X = uniform(n=60, d=2)
    y = X[:, 0] * np.tanh(X[:, 1]) + X[:, 1]

    def no_operon(*args, **kwargs):
        raise AssertionError("operon must not run after the budget is spent")

    monkeypatch.setattr(portfolio_module.OperonEngine, "search", no_operon)
    result = PortfolioEngine(use_sisso=False, use_sparse=False).search(X, y, time_limit=10, seed=0, **QUIET)
    assert result.expressions, "the structured stage's laws are kept"
    assert result.info["operon_runs"][0]["reason"] == "time limit reached"
    assert [s["stage"] for s in result.info["stages"]] == ["quick structured", "prefactor", "structured", "snap"]
    assert result.info["stages"][-1]["added"] == 0


def test_a_tiny_budget_still_returns_the_quick_stage_laws():
    X = uniform(n=60, d=2)
    result = PortfolioEngine().search(X, X[:, 0] * np.tanh(X[:, 1]) + X[:, 1], time_limit=0.01, seed=0, **QUIET)
    assert result.expressions and not result.info["operon_runs"][1:]


def test_an_interrupted_operon_run_keeps_the_best_so_far(monkeypatch):
    X = uniform(n=60, d=2)
    y = X[:, 0] * np.tanh(X[:, 1]) + X[:, 1]

    def interrupted(self, X, y, *, time_limit, seed, progress):
        return SearchResult([internal_symbol(0) * sp.tanh(internal_symbol(1)) + internal_symbol(1)], interrupted=True)

    monkeypatch.setattr(portfolio_module.OperonEngine, "search", interrupted)
    result = PortfolioEngine(transforms=(), use_sparse=False, use_sisso=False).search(X, y, time_limit=600, seed=0,
                                                                                       **QUIET)
    assert result.interrupted
    assert len(result.info["operon_runs"]) == 1  # no run after the interrupted one
    assert result.expressions[0] == x0 * sp.tanh(x1) + x1


def test_ctrl_c_in_the_structured_stage_keeps_what_was_found(monkeypatch):
    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(structured_module, "fit_sparse_sums", ctrl_c)
    X = uniform()
    result = PortfolioEngine().search(X, 3.0 * X[:, 0] / X[:, 1], time_limit=60, seed=0, **QUIET)
    assert result.interrupted
    assert is_monomial(result.expressions[0], 3.0, x0 / x1)  # from the power law fitted before Ctrl-C


# ---------------------------------------------------------------------------- units
def test_term_library_leaves_out_forms_that_depend_on_the_units():
    X = uniform(d=3)
    dimensions = np.array([[1.0], [1.0], [0.0]])  # x0, x1 energies, x2 dimensionless
    plain, aware = term_library(X), term_library(X, dimensions=dimensions)
    names = {str(t.expr()) for t in aware.terms}
    assert aware.units_dropped > 0 and plain.units_dropped == 0
    assert "cos(x2)" in names and "exp(-x0/x1)" in names  # dimensionless arguments stay
    assert not any(f"{f}(x0)" in n or f"{f}(x1)" in n for f in ("sin", "cos", "exp") for n in names)
    assert {"cos(x0)", "exp(x1)"} <= {str(t.expr()) for t in plain.terms}


def test_portfolio_with_units_finds_a_consistent_law_instead_of_a_coincidence_of_the_units():
    # y (eV) = 2·E·cos(θ) + 0.3·cos(E) - the cosine of an energy fits exactly but means nothing
    rng = np.random.default_rng(3)
    E, theta = rng.uniform(0.5, 3.0, 300), rng.uniform(0.0, 1.5, 300)
    X, y = np.column_stack([E, theta]), 2 * E * np.cos(theta) + 0.3 * np.cos(E)
    blind = PortfolioEngine(**STRUCTURED).search(X, y, time_limit=60, seed=0, **QUIET)
    assert blind.expressions[0].has(sp.cos(x0))
    aware = PortfolioEngine(**STRUCTURED, feature_units=("eV", None), target_unit="eV").search(
        X, y, time_limit=60, seed=0, **QUIET)
    assert not any(e.has(sp.cos(x0)) or e.has(sp.sin(x0)) or e.has(sp.exp(x0)) for e in aware.expressions)
    assert any(e.has(sp.cos(x1)) for e in aware.expressions)
    units = aware.info["units"]
    assert units["transforms_left_out"] == ["exp", "sin", "cos"] and units["library_terms_left_out"] > 0
    assert blind.info["units"] is None


def test_discover_gives_the_portfolio_the_units_of_the_data():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"E": rng.uniform(0.5, 3.0, 200), "theta": rng.uniform(0.0, 1.5, 200)})
    frame["y"] = 2 * frame["E"] * np.cos(frame["theta"]) + 0.3 * np.cos(frame["E"])
    run = discover(frame, "y", engine=PortfolioEngine(**STRUCTURED, max_candidates=5), time_limit=60,
                   units={"E": "eV", "y": "eV"})
    assert all(law.check_units({"E": "eV", "y": "eV"}).ok for law in run.front)
    assert run.info["units_check"]["inconsistent"] == 0
    assert run.config["engine"]["feature_units"] == ["eV", None] and run.config["engine"]["target_unit"] == "eV"
    from rich.console import Console

    from lawfind.cli._format import print_run

    console = Console(record=True, width=200)
    print_run(run, console)
    text = console.export_text()
    assert "units: the search left out" in text and "and the target transforms exp, sin, cos" in text


def test_with_units_only_laws_whose_form_does_not_depend_on_them_enter_the_pool(monkeypatch):
    """Operon does not take units: its laws whose form depends on them (cos of an energy) are left out."""
    from dataclasses import dataclass

    from lawfind.law import parse_expression
    from lawfind.search import Engine

    @dataclass
    class FixedOperon(Engine):
        name = "operon"
        operators: tuple = ()
        max_length: int = 0
        population_size: int = 0
        n_threads: int | None = None
        generations: int | None = None

        def search(self, X, y, *, time_limit, seed, progress):
            return SearchResult([parse_expression(e) for e in ("2*x0 + 0.3*cos(x0)", "2.1*x0", "x0 + x1")],
                                False, {})

    monkeypatch.setattr(portfolio_module, "OperonEngine", FixedOperon)
    rng = np.random.default_rng(3)
    X = np.column_stack([rng.uniform(0.5, 3.0, 80), rng.uniform(300, 900, 80)])
    y = 2 * X[:, 0] + 0.3 * np.cos(X[:, 0])
    engine = dict(STRUCTURED, operator_sets=(OPERATOR_SETS["arithmetic"],), operon_transforms=0, structured_share=0.01,
                  max_candidates=50)
    blind = PortfolioEngine(**engine).search(X, y, time_limit=10, seed=0, **QUIET)
    assert sp.cos(x0) in {a for e in blind.expressions for a in e.atoms(sp.cos)}
    aware = PortfolioEngine(**engine, feature_units=("eV", "K"), target_unit="eV").search(
        X, y, time_limit=10, seed=0, **QUIET)
    assert not any(e.has(sp.cos(x0)) for e in aware.expressions)
    left_out = aware.info["units"]["candidates_left_out"]
    assert left_out["operon"] == 2  # cos(E), and E + T
    # the power-law stage's inverse transforms: exp(k·E) (dimensionless) for a target in eV, sin(E) factors
    assert set(left_out) <= {"operon", "powerlaw"}
    assert any(e.free_symbols == {x0} and not e.has(sp.cos) for e in aware.expressions)


def test_units_on_the_engine_and_in_the_data_are_merged_and_conflicts_refused():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"E": rng.uniform(0.5, 3.0, 60), "T": rng.uniform(300, 900, 60)})
    frame["y"] = 2 * frame["E"] + 0.01 * frame["T"]
    engine = PortfolioEngine(**STRUCTURED, feature_units=("eV", "K"), target_unit="eV")
    run = discover(frame, "y", engine=engine, time_limit=10, units={"E": "eV"})
    assert run.config["engine"]["feature_units"] == ["eV", "K"] and run.config["engine"]["target_unit"] == "eV"
    with pytest.raises(ConfigError, match="column 'E' has the unit 'meV' in the data .* but 'eV' in the portfolio"):
        discover(frame, "y", engine=engine, time_limit=10, units={"E": "meV"})
    with pytest.raises(ConfigError, match="target 'y' has the unit 'K'"):
        discover(frame, "y", engine=engine, time_limit=10, units={"y": "K"})


@pytest.mark.parametrize("options, match", [
    ({"feature_units": "eV"}, "feature_units must be None or a tuple"),
    ({"feature_units": ("eV", "bananas")}, r"feature_units\[1\] has the unit"),
    ({"target_unit": "bananas"}, "target_unit has the unit 'bananas'"),
    ({"target_unit": 3}, "target_unit must be None or a pint unit string"),
    ({"feature_units": ("eV", 2)}, r"feature_units\[1\] must be a pint unit string or None"),
])
def test_bad_units_are_refused(options, match):
    with pytest.raises(ConfigError, match=match):
        make_engine("portfolio", **options)
    if "feature_units" in options and not isinstance(options["feature_units"], str):
        return
    with pytest.raises(ConfigError, match="feature_units has 1 entries but the data have 3"):
        PortfolioEngine(**STRUCTURED, feature_units=("eV",)).search(uniform(), uniform()[:, 0], time_limit=5,
                                                                    seed=0, **QUIET)


# ---------------------------------------------------------------------------- options, errors, registry, CLI
@pytest.mark.parametrize("options, match", [
    ({"operator_sets": (("add", "frobnicate"),)}, "unknown operon operator"),
    ({"operator_sets": ("add",)}, "each operator set must be a non-empty tuple"),
    ({"transforms": ("log", "cube")}, r"unknown target transform\(s\) \['cube'\]"),
    ({"structured_share": 0.5, "sisso_share": 0.6}, "add up to less than 1"),
    ({"max_terms": 0}, "max_terms must be an integer ≥ 1"),
    ({"generations": 0}, "generations must be a positive integer or None"),
    ({"use_sisso": "yes"}, "use_sisso must be True or False"),
])
def test_bad_options_are_refused_before_any_work(options, match):
    with pytest.raises(ConfigError, match=match):
        make_engine("portfolio", **options)


def test_bad_data_and_time_limit_are_refused():
    engine = PortfolioEngine(**STRUCTURED)
    X = uniform(n=10)
    with pytest.raises(DataError, match="must be finite"):
        engine.search(X, np.full(10, np.nan), time_limit=1, seed=0, **QUIET)
    with pytest.raises(ConfigError, match="time_limit must be a positive number"):
        engine.search(X, X[:, 0], time_limit=0, seed=0, **QUIET)


def test_registry_and_config():
    assert ENGINES["portfolio"] is PortfolioEngine
    config = make_engine("portfolio", max_terms=2).get_config()
    assert config["name"] == "portfolio" and config["max_terms"] == 2
    assert config["operator_sets"][0] == list(OPERATOR_SETS["arithmetic"]) or \
        tuple(config["operator_sets"][0]) == OPERATOR_SETS["arithmetic"]


def test_cli_discover_with_the_portfolio_engine(tmp_path):
    X = uniform(n=80, d=2)
    data = tmp_path / "data.csv"
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": 1.5 * X[:, 0] ** 2 / X[:, 1]}).to_csv(data, index=False)
    result = CliRunner().invoke(app, ["discover", str(data), "--target", "y", "--engine", "portfolio",
                                      "--time-limit", "30", "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "1.5*a**2/b" in result.output
