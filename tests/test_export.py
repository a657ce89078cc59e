"""Exports of a law: Python and SymPy source, JSON, CSV, LaTeX text and tables, numbers with intervals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sympy as sp
from _strategies import expressions
from hypothesis import HealthCheck, given, settings

from lawfind import Law, discover
from lawfind.export import (
    EXPORT_SCHEMA, FORMATS, check_format, constants_table, export_run, format_uncertain, front_table, latex_equation,
    latex_symbol, latex_text, latex_unit, law_document, law_latex, law_text, predictions_frame, prepare_export,
    python_module, read_law_document, render_export, sympy_module,
)
from lawfind.exceptions import ConfigError, ExpressionError
from lawfind.law import Decision
from lawfind.run import Run
from lawfind.uncertainty import CoefficientIntervals, ParametrizedLaw, bootstrap_intervals, open_training_data

from conftest import FixedEngine

ODD = ["T (K)", "σ_y", "lambda"]
MIRROR = Path(os.environ.get("LAWFIND_DATA_DIR") or "/work/shared/data")


def run_module(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<export>", "exec"), namespace)  # our own generated code, under test
    return namespace


@pytest.fixture
def odd_run(tmp_path: Path) -> Path:
    """A saved run over odd column names with a noisy planted law (2 laws on the front: ``x0`` is worse than the mean)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"T (K)": rng.uniform(1, 3, 50), "σ_y": rng.uniform(1, 3, 50)})
    frame["E [GPa]"] = 1.5 + 2.0 * frame["T (K)"] - 0.7 * frame["σ_y"] + rng.normal(0, 0.05, 50)
    path = tmp_path / "odd.csv"
    frame.to_csv(path, index=False)
    engine = FixedEngine(("1.5 + 2.0*x0 - 0.7*x1", "2*x0", "x0", "1.3*exp(0.4*x0)"))
    discover(path, "E [GPa]", engine=engine, time_limit=1, out=tmp_path / "run", snap=None)
    return tmp_path / "run"


@pytest.fixture(scope="module")
def nims_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The NIMS hardness run (sparse engine) saved in a folder; skipped without the data mirror."""
    if not MIRROR.is_dir():
        pytest.skip(f"no local dataset mirror at {MIRROR} (set LAWFIND_DATA_DIR to one)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAWFIND_DATA_DIR", str(MIRROR))
        from lawfind.datasets import load_dataset

        out = tmp_path_factory.mktemp("nims") / "run"
        discover(load_dataset("steel_hardness_nims"), engine="sparse", time_limit=5, out=out)
    return out


# ----------------------------------------------------------------- numbers with intervals
@pytest.mark.parametrize(
    ("value", "width", "text"),
    [
        (2.87613, 0.02412, "2.876 ± 0.024"),
        (-99.83, 12.3, "-100 ± 12"),
        (3.734, 0.0996, "3.73 ± 0.10"),
        (1234567.0, 2345.0, "(1.2346 ± 0.0023)e+06"),
        (2.0, 1e-15, "2 ± 1e-15"),
        (5.0, float("inf"), "5 ± inf"),
    ],
)
def test_format_uncertain(value, width, text):
    assert format_uncertain(value, width) == text


def test_format_uncertain_latex():
    assert format_uncertain(3.1e-8, 2.2e-10, latex=True) == r"(3.100 \pm 0.022) \times 10^{-8}"
    assert format_uncertain(2.87613, 0.02412, latex=True) == r"2.876 \pm 0.024"


# ----------------------------------------------------------------- LaTeX names and units
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sigma_y", r"\sigma_{y}"),
        ("σ_y", r"\sigma_{y}"),
        ("T (K)", r"\mathrm{T\ (K)}"),
        ("a&b_%", r"\mathrm{a\&b\_\%}"),
        ("x~y^z", r"\text{x\textasciitilde{}y\textasciicircum{}z}"),
        ("T (°C)", r"\text{T (\ensuremath{{}^{\circ}}C)}"),
        ("Α (K)", r"\text{\ensuremath{\mathrm{A}} (K)}"),  # LaTeX has no \Alpha
    ],
)
def test_latex_symbols_are_escaped_so_that_latex_takes_them(name, expected):
    assert latex_symbol(name) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("kgf/mm**2", r"\frac{\mathrm{kgf}}{\mathrm{mm}^{2}}"), ("um", r"\mathrm{\mu m}"), ("dimensionless", ""),
     ("degC", r"\mathrm{{}^{\circ}C}"), ("percent", r"\mathrm{\%}")],
)
def test_latex_units(unit, expected):
    assert latex_unit(unit) == expected


def test_latex_text_escapes_specials():
    assert latex_text("50% & $5_x ± 1") == r"50\% \& \$5\_x \ensuremath{\pm} 1"


# ----------------------------------------------------------------- Python, SymPy, JSON, CSV
def test_python_export_reproduces_predict_on_the_training_data(odd_run):
    run = Run.load(odd_run)
    data = open_training_data(run)
    for index, law in enumerate(run.front):
        context = prepare_export(run, "python", law=index, n_resamples=20)
        (source,) = render_export(context, "python").values()
        module = run_module(source)
        expected = law.predict(data.frame)
        np.testing.assert_allclose(module["predict"](data.frame), expected, rtol=1e-12, atol=0)
        as_mapping = {k: data.frame[k].to_numpy() for k in data.frame}
        np.testing.assert_allclose(module["predict"](as_mapping), expected, rtol=1e-12, atol=0)
        assert module["TARGET"] == "E [GPa]" and module["PROVENANCE"]["data_hash"] == run.data["hash"]
        if context.intervals:
            assert set(module["CONSTANTS"]) == {f"c{k}" for k in range(len(context.intervals[0].values))}


def test_python_export_of_the_nims_law_reproduces_predict(nims_run, monkeypatch):
    monkeypatch.setenv("LAWFIND_DATA_DIR", str(MIRROR))
    run = Run.load(nims_run)
    data = open_training_data(run)
    (source,) = render_export(prepare_export(run, "python", intervals="asymptotic"), "python").values()
    predict = run_module(source)["predict"]
    np.testing.assert_allclose(predict(data.frame), run.best.predict(data.frame), rtol=1e-12, atol=0)


def test_classification_law_exports_labels():
    law = Law.from_string("2.0*x0 - x1", {"x0": "a", "x1": "b"}, target="phase",
                          decision=Decision(0.5, "ZB", "RS"))
    frame = pd.DataFrame({"a": [0.1, 1.0, 2.0, np.nan], "b": [0.0, 0.2, 5.0, 1.0]})
    module = run_module(python_module(law))
    np.testing.assert_array_equal(module["predict"](frame), law.predict(frame))
    np.testing.assert_allclose(module["decision_function"](frame), law.decision_function(frame))
    assert module["LABELS"] == ("ZB", "RS")
    namespace = run_module(sympy_module(law))
    assert namespace["threshold"] == 0.5 and namespace["labels"] == ("ZB", "RS")
    tex = latex_equation(law)
    assert "classified as RS when $f > 0.5$" in tex


def test_constant_law_exports():
    law = Law.from_string("2.5", {}, target="y")
    module = run_module(python_module(law))
    np.testing.assert_array_equal(module["predict"]({"a": np.ones(3)}), [2.5, 2.5, 2.5])


def test_json_export_round_trips_law_and_intervals(odd_run):
    run = Run.load(odd_run)
    context = prepare_export(run, "json", n_resamples=20)
    (text,) = render_export(context, "json").values()
    document = json.loads(text)
    assert document["schema"] == EXPORT_SCHEMA and document["law"]["schema"] == "lawfind.law/1"
    assert document["data"]["hash"] == run.data["hash"] and "±" in document["text"]
    law, intervals = read_law_document(text)
    assert law == run.best and law.constants == run.best.constants
    assert [ci.method for ci in intervals] == ["bootstrap", "asymptotic"]
    np.testing.assert_array_equal(intervals[0].upper, context.intervals[0].upper)
    with pytest.raises(ExpressionError, match="not a lawfind law document"):
        read_law_document({"schema": "other/1"})


def test_sympy_export_rebuilds_the_exact_expression(odd_run):
    run = Run.load(odd_run)
    context = prepare_export(run, "sympy", n_resamples=20)
    (source,) = render_export(context, "sympy").values()
    namespace = run_module(source)
    assert namespace["expression"] == run.best.sympy()
    assert namespace["equation"].lhs == sp.Symbol("E [GPa]", real=True)
    values = {sp.Symbol(name, real=True): entry["value"] for name, entry in namespace["constants"].items()}
    assert sp.simplify(namespace["template"].xreplace(values) - run.best.sympy()) == 0
    assert "pickle" not in source.replace("no pickle", "")


def test_csv_export_has_predictions_and_residuals(odd_run, tmp_path):
    run = Run.load(odd_run)
    out = tmp_path / "pred.csv"
    export_run(run, "csv", out)
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["T (K)", "σ_y", "E [GPa]", "prediction", "residual"]
    np.testing.assert_allclose(frame["prediction"], run.best.predict(frame), rtol=1e-12)
    np.testing.assert_allclose(frame["residual"], frame["E [GPa]"] - frame["prediction"], rtol=1e-9, atol=1e-12)
    law = Law.from_string("x0", {"x0": "a"}, target="y", decision=Decision(0.0, 0, 1))
    labels = predictions_frame(law, pd.DataFrame({"a": [-1.0, 1.0], "y": [0, 0]}))
    assert labels["correct"].tolist() == [True, False]


# ----------------------------------------------------------------- LaTeX equation and tables
def test_latex_equation_with_intervals_units_and_symbol_names(odd_run):
    run = Run.load(odd_run)
    context = prepare_export(run, "latex", n_resamples=20, symbol_names={"E [GPa]": "E"})
    (tex,) = render_export(context, "latex").values()
    assert r"\begin{equation}" in tex and r"\label{eq:lawfind}" in tex
    assert tex.count(r"\pm") == 3 and r"  E = " in tex
    assert r"\mathrm{T\ (K)}" in tex and r"\sigma_{y}" in tex
    assert "95 \\% percentile bootstrap intervals (20 case resamples, seed 0)" in tex
    (plain,) = render_export(prepare_export(run, "latex", intervals="none"), "latex").values()
    assert r"\pm" not in plain


def test_front_table_marks_the_picked_law_and_shows_intervals(odd_run, tmp_path):
    run = Run.load(odd_run)
    context = prepare_export(run, "table", n_resamples=20)
    (tex,) = render_export(context, "table").values()
    assert tex.count(r"\toprule") == 2 and f"{run.front.best_index}$^{{*}}$" in tex
    assert "Black-box baselines" not in tex
    pd.DataFrame({"model": ["random forest", "GP"], "cv_rmse": [0.071, 0.065], "r2": [0.98, 0.985]}).to_csv(
        odd_run / "baselines.csv", index=False)
    (with_baselines,) = render_export(context, "table").values()
    assert "Black-box baselines" in with_baselines and r"cv\_rmse" in with_baselines
    assert "random forest" in with_baselines


def test_every_format_is_known_and_unknown_ones_are_listed():
    assert check_format("html") == "html"
    with pytest.raises(ConfigError, match=r"unknown export format 'htm' \(did you mean 'html'\?\); valid formats: "
                                          + ", ".join(FORMATS)):
        check_format("htm")


def test_export_refuses_existing_output_and_wrong_interval_requests(odd_run, tmp_path):
    run = Run.load(odd_run)
    out = tmp_path / "law.tex"
    out.write_text("mine")
    with pytest.raises(ConfigError, match="exists; choose another -o or pass --overwrite"):
        export_run(run, "latex", out)
    assert out.read_text() == "mine"
    export_run(run, "latex", out, overwrite=True, intervals="none")
    assert r"\begin{equation}" in out.read_text()
    with pytest.raises(ConfigError, match="law without float constants"):
        prepare_export(run, "latex", law=0, intervals="bootstrap")
    assert prepare_export(run, "latex", law=0).intervals == ()


# ----------------------------------------------------------------- property tests


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_generated_laws_export_exactly_and_round_trip(expr):
    variables = {f"x{i}": name for i, name in enumerate(ODD)}
    law = Law(expr, variables, target="E [GPa]")
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({name: rng.uniform(-2, 2, 25) for name in ODD})
    # Python source
    predict = run_module(python_module(law, units={"T (K)": "K"}))["predict"]
    np.testing.assert_allclose(predict(frame), law.predict(frame), rtol=1e-12, atol=1e-300)
    # SymPy source
    assert run_module(sympy_module(law))["expression"] == law.sympy()
    # JSON with (made-up) intervals on every constant
    model = ParametrizedLaw(law)
    values = model.values
    intervals = (CoefficientIntervals(law, "asymptotic", 0.95, values, values - 0.5, values + 0.5,
                                      np.full(len(values), 0.25)),) if len(values) else ()
    text = json.dumps(law_document(law, intervals=intervals), ensure_ascii=False)
    again, read = read_law_document(text)
    assert again == law
    np.testing.assert_allclose(again.predict(frame), law.predict(frame), rtol=0, atol=0)
    if intervals:
        np.testing.assert_array_equal(read[0].upper, intervals[0].upper)
        assert law_text(law, intervals[0]).count("±") == len(values)
        names = {name: latex_symbol(name) for name in ODD}
        assert law_latex(law, intervals[0], symbol_names=names).count(r"\pm") == len(values)
        assert len(constants_table(law, intervals)) == len(values)


def test_intervals_of_another_law_are_refused(odd_run):
    run = Run.load(odd_run)
    data = open_training_data(run)
    other = Law.from_string("1.0*x0", {"x0": "T (K)"}, target="E [GPa]")
    intervals = bootstrap_intervals(other, data, n_resamples=10)
    with pytest.raises(ValueError, match="belong to"):
        law_text(run.best, intervals)
    with pytest.raises(ValueError, match="belong to"):
        front_table(run.front, intervals={run.front.best_index: intervals})


@pytest.mark.parametrize("name", ["lawfind.export", "lawfind.report", "lawfind.uncertainty"])
def test_public_names_match_dunder_all(name):
    import importlib
    import types

    module = importlib.import_module(name)
    public = {n for n, v in vars(module).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert set(module.__all__) == public
    assert all(hasattr(module, n) for n in module.__all__)
