"""Figures (ax in, ax out, no global state), reference laws, the methods paragraph and the reports."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lawfind import ConfigError, ExpressionError, Law, RunError, discover
from lawfind.law import regression_metrics
from lawfind.report import (
    FIGURE_FORMATS, ReferenceLaw, ShapArrays, build_report, figure_bytes, methods_paragraph, new_axes,
    plot_front_variation, plot_law_dependence, plot_pareto_front, plot_parity, plot_residuals, plot_shap_summary,
    plot_versus_feature, publication_style, save_figure,
)
from lawfind.run import Run
from lawfind.uncertainty import asymptotic_intervals, bootstrap_intervals, law_stability, open_training_data

from conftest import FixedEngine

MIRROR = Path(os.environ.get("LAWFIND_DATA_DIR") or "/work/shared/data")


@pytest.fixture
def run(tmp_path: Path) -> Run:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"HV": rng.uniform(200, 400, 60), "T (K)": rng.uniform(300, 900, 60)})
    frame["UTS [MPa]"] = -40.0 + 3.2 * frame["HV"] + rng.normal(0, 15, 60)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    discover(path, "UTS [MPa]", engine="sparse", time_limit=5, max_terms=2, out=tmp_path / "run")
    return Run.load(tmp_path / "run")


@pytest.fixture
def shap_arrays() -> ShapArrays:
    rng = np.random.default_rng(2)
    data = rng.uniform(0, 1, (50, 3))
    values = data * [2.0, -1.0, 0.1] + rng.normal(0, 0.05, (50, 3))
    return ShapArrays(values, data, ["HV", "T (K)", "noise"], law_values=data * [2.0, -1.0, 0.0], model="forest")


# ----------------------------------------------------------------- figures
def test_plots_return_axes_draw_on_given_axes_and_leave_global_state_alone(run, shap_arrays):
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    data = open_training_data(run)
    predicted = run.best.predict(data.frame)
    made = [
        plot_pareto_front(run.front),
        plot_parity(data.y, predicted, name="UTS", unit="MPa"),
        plot_residuals(data.y, predicted, name="UTS", unit="MPa"),
        plot_versus_feature(data.frame["HV"], data.y, {"law": predicted}, x_name="HV", y_name="UTS"),
        plot_shap_summary(shap_arrays),
        plot_law_dependence(shap_arrays, "HV"),
    ]
    assert all(isinstance(ax, Axes) and isinstance(ax.figure, Figure) for ax in made)
    ax = new_axes()
    assert plot_parity(data.y, predicted, ax=ax, label="a", color="C0") is ax
    assert plot_parity(data.y, predicted * 1.01, ax=ax, label="b", color="C1") is ax
    assert sum(line.get_gid() == "identity" for line in ax.lines) == 1
    assert plt.get_fignums() == []
    assert dict(matplotlib.rcParams) == before
    with publication_style():
        assert matplotlib.rcParams["font.size"] == 8
    assert matplotlib.rcParams["font.size"] == before["font.size"]


def test_figures_render_in_three_formats(run, tmp_path):
    ax = plot_pareto_front(run.front)
    magic = {"pdf": b"%PDF-", "png": b"\x89PNG", "svg": b"<?xml"}
    for fmt in FIGURE_FORMATS:
        assert figure_bytes(ax.figure, fmt).startswith(magic[fmt])
    assert figure_bytes(ax.figure, "svg") == figure_bytes(ax.figure, "svg")  # reproducible files
    paths = save_figure(ax.figure, tmp_path / "figs" / "front")
    assert sorted(p.name for p in paths) == ["front.pdf", "front.png", "front.svg"]
    with pytest.raises(ConfigError, match="unknown figure format"):
        figure_bytes(ax.figure, "gif")


def test_column_names_with_dollars_are_not_mathtext():
    ax = plot_parity([1.0, 2.0, 3.0], [1.1, 2.0, 2.9], name="cost $ / kg")
    assert ax.get_xlabel() == r"observed cost \$ / kg"
    figure_bytes(ax.figure, "png")


def test_shap_arrays_are_checked():
    with pytest.raises(ValueError, match="must both be"):
        ShapArrays(np.zeros((3, 2)), np.zeros((3, 3)), ["a", "b"])
    arrays = ShapArrays(np.zeros((3, 2)), np.zeros((3, 2)), ["a", "b"])
    with pytest.raises(ValueError, match="no SHAP values for feature 'c'"):
        plot_law_dependence(arrays, "c")


def test_front_variation_plot(run):
    data = open_training_data(run)
    stability = law_stability(run, data, n_resamples=2, time_limit=1)
    ax = plot_front_variation(stability)
    assert any(line.get_label() == "run's front" for line in ax.lines)


# ----------------------------------------------------------------- references and methods
def test_reference_laws_are_parsed_against_column_names():
    columns = ["HV", "T (K)"]
    law = ReferenceLaw("P", "-99.8 + 3.734*HV + 0.1*`T (K)`").to_law(columns, "UTS")
    frame = pd.DataFrame({"HV": [100.0], "T (K)": [10.0]})
    np.testing.assert_allclose(law.predict(frame), [-99.8 + 373.4 + 1.0])
    aliased = ReferenceLaw("P", "2*Hardness", {"Hardness": "HV"}).to_law(columns, "UTS")
    assert aliased.features == ["HV"]
    with pytest.raises(ExpressionError, match=r"reference 'P': .*unknown name 'Vickers'.*features are \['HV'"):
        ReferenceLaw("P", "3*Vickers").to_law(columns, "UTS")
    with pytest.raises(ExpressionError, match="`Q` is not a feature"):
        ReferenceLaw("P", "3*`Q`").to_law(columns, "UTS")
    with pytest.raises(ExpressionError):
        ReferenceLaw("P", "__import__('os').system('true')").to_law(columns, "UTS")
    with pytest.raises(ConfigError, match="alias 'H' names the column 'K'"):
        ReferenceLaw("P", "H", {"H": "K"}).to_law(columns, "UTS")


def test_methods_paragraph_names_data_engine_budget_seed_and_versions(run):
    data = open_training_data(run)
    intervals = [bootstrap_intervals(run.best, data, n_resamples=20), asymptotic_intervals(run.best, data)]
    text = methods_paragraph(run, intervals=intervals)
    for piece in (run.data["hash"].removeprefix("sha256:"), "60 rows", "engine 'sparse'", "time limit of 5 s",
                  "random seed 0", "20 case resamples", "asymptotic intervals", f"lawfind {run.versions['lawfind']}",
                  "UTS [MPa]", "number of terms"):
        assert piece in text, piece


# ----------------------------------------------------------------- reports
def test_report_sections_and_self_contained_renderings(run, shap_arrays):
    data = open_training_data(run)
    intervals = [bootstrap_intervals(run.best, data, n_resamples=20), asymptotic_intervals(run.best, data)]
    report = build_report(run, data, intervals=intervals)
    titles = [s.title for s in report.sections]
    assert titles == ["Law", "Fit on the training data", "Pareto front", "Methods"]
    assert set(report.figures) == {"parity", "residuals", "pareto_front"}
    markdown = report.to_markdown()
    assert markdown.count("](data:image/png;base64,") == 3 and "±" in markdown
    png = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", markdown).group(1)
    assert base64.b64decode(png).startswith(b"\x89PNG")
    page = report.to_html()
    assert page.count('src="data:image/svg+xml;base64,') == 3 and "<script" not in page
    with_shap = build_report(run, data, intervals=intervals, shap=shap_arrays)
    assert with_shap.section("SHAP") and "shap_summary" in with_shap.figures and "dependence_0" in with_shap.figures


def test_report_reads_baselines_when_the_run_has_them(run):
    pd.DataFrame({"model": ["forest"], "cv_rmse": [12.5]}).to_csv(run.path / "baselines.csv", index=False)
    report = build_report(run, open_training_data(run))
    assert "forest" in report.to_markdown() and report.section("Baselines")


def test_report_refuses_other_data_and_foreign_intervals(run):
    data = open_training_data(run)
    other = discover(data.frame.iloc[:30], data.target, engine=FixedEngine(("-40.0 + 3.2*x0",)), time_limit=1)
    with pytest.raises(RunError, match="not the run's training data"):
        build_report(run, open_training_data(other, data.frame.iloc[:30]))
    foreign = asymptotic_intervals(Law.from_string("3.0*x0", {"x0": "HV"}, target="UTS [MPa]"), data)
    with pytest.raises(ConfigError, match="were given for law"):
        build_report(run, data, intervals=[foreign])


@pytest.fixture(scope="module")
def nims(tmp_path_factory: pytest.TempPathFactory):
    if not MIRROR.is_dir():
        pytest.skip(f"no local dataset mirror at {MIRROR} (set LAWFIND_DATA_DIR to one)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAWFIND_DATA_DIR", str(MIRROR))
        from lawfind.datasets import load_dataset

        out = tmp_path_factory.mktemp("nims") / "run"
        discover(load_dataset("steel_hardness_nims"), engine="sparse", time_limit=5, out=out)
        run = Run.load(out)
        yield run, open_training_data(run)


def test_nims_report_shows_the_hardness_law_next_to_pavlina_and_van_tyne(nims):
    run, data = nims
    assert data.features == ("Hardness",) and data.target == "Tensile Strength" and data.n_rows == 360
    intervals = [bootstrap_intervals(run.best, data, n_resamples=100), asymptotic_intervals(run.best, data)]
    pavlina = ("Pavlina & Van Tyne 2008", "-99.8 + 3.734*HV", {"HV": "Hardness"})
    report = build_report(run, data, intervals=intervals, references=[pavlina])
    markdown = report.to_markdown()
    slope = intervals[0].values[[str(m) for m in intervals[0].parametrized().multipliers()].index("x0")]
    assert 2.8 < slope < 3.6  # UTS ≈ 3.2·HV on these steels
    assert re.search(r"Tensile Strength = \(3\.2\d* ± 0\.0\d+\)\\\*Hardness - \(\d+ ± \d+\)", markdown), markdown[:3000]
    expected = regression_metrics(data.y, -99.8 + 3.734 * data.frame["Hardness"].to_numpy())
    table = report.section("Comparison with published laws").blocks[0].frame
    row = table[table["law"] == "Pavlina & Van Tyne 2008"].iloc[0]
    assert row["equation"] == "Tensile Strength = 3.734*Hardness - 99.8"
    np.testing.assert_allclose([row["R²"], row["RMSE"]], [expected["r2"], expected["rmse"]], rtol=1e-12)
    ours = table.iloc[0]
    assert ours["law"] == "this work (lawfind)" and ours["R²"] > row["R²"]
    assert "Pavlina & Van Tyne 2008" in markdown and "references" in report.figures
    assert "kgf/mm²" in markdown and "MPa" in markdown
    assert "datasets:steel" in markdown
