"""``lawfind compare`` / ``lawfind.compare`` end to end on tiny saved runs, and its bad-input contract."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import lawfind
from lawfind.cli import app
from lawfind.explain import read_comparison
from lawfind.run import Run

runner = CliRunner()
FAST = ["--cv", "3", "--background", "20", "--max-rows", "40"]


def cli(*args) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def bad(*args, match: str) -> str:
    code, out, err = cli(*args)
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert "Traceback" not in out + err and len(lines) == 1 and lines[0].startswith("error: "), err
    assert match in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def regression_run(tmp_path_factory) -> Path:
    """A sparse-engine run on y = 1.5 + 2a − 0.7b + 0.8c² (noise-free), 60 rows, with a distractor d."""
    folder = tmp_path_factory.mktemp("regression")
    rng = np.random.default_rng(0)
    data = pd.DataFrame({k: rng.uniform(1.0, 3.0, 60) for k in "abcd"})
    data["y"] = 1.5 + 2 * data["a"] - 0.7 * data["b"] + 0.8 * data["c"] ** 2
    data.to_csv(folder / "data.csv", index=False)
    lawfind.discover(folder / "data.csv", "y", engine="sparse", max_terms=1, time_limit=5, out=folder / "run")
    return folder / "run"


@pytest.fixture(scope="module")
def classification_run(tmp_path_factory) -> Path:
    """A sisso classification run on phase = 'perovskite' if r_A/r_B > 2, 90 rows, with a noise column."""
    folder = tmp_path_factory.mktemp("classification")
    rng = np.random.default_rng(1)
    data = pd.DataFrame({"r_A": rng.uniform(1, 2, 90), "r_B": rng.uniform(0.5, 1, 90), "noise": rng.normal(size=90)})
    data["phase"] = np.where(data["r_A"] / data["r_B"] > 2.0, "perovskite", "other")
    data.to_csv(folder / "data.csv", index=False)
    lawfind.discover(folder / "data.csv", "phase", task="classification", engine="sisso", rung=1, max_dimension=1,
                     time_limit=20, out=folder / "run")
    return folder / "run"


def shap_adds_up(folder: Path) -> pd.DataFrame:
    table = pd.read_csv(folder / "shap_values.csv")
    shap = table[[c for c in table.columns if c.startswith("shap: ")]].to_numpy()
    np.testing.assert_allclose(shap.sum(axis=1) + table["base_value"], table["output"], rtol=1e-7, atol=1e-7)
    return table


def test_compare_cli_writes_baselines_shap_and_comparison(regression_run):
    code, out, err = cli("compare", regression_run, "--models", "linear,decision tree", *FAST)
    assert code == 0, err
    assert "Same 3 folds" in out and "Spearman" in out and "saved to" in out
    folder = regression_run / "compare"
    for name in ("baselines.csv", "importance.csv", "disagreements.csv", "shap_values.csv", "comparison.json",
                 "summary.md", "importance.png", "shap_summary_black_box.png", "dependence_0.png"):
        assert (folder / name).is_file(), name
    assert not [p for p in regression_run.iterdir() if p.name.startswith(".compare")]  # no staging left
    baselines = pd.read_csv(folder / "baselines.csv")
    assert list(baselines["model"]) == ["law", "linear", "decision tree"]
    assert set(baselines["n_folds"]) == {3}
    info = json.loads((folder / "comparison.json").read_text())
    assert info["config"]["explained_model"] == "linear"  # the best black box on these data
    assert info["comparison"]["law"]["perturbation"] == "interventional"
    assert info["comparison"]["black_box"]["method"] == "linear"  # closed form, checked by shap_adds_up below
    assert info["config"]["explained_rows"] == 40 and info["config"]["background_rows"] == 20
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert "--models 'linear,decision tree' --explain 'linear'" in summary and "--max-rows 40" in summary
    table = shap_adds_up(folder)
    law = Run.load(regression_run).best
    rows = table[table["model"] == "law"]
    values = rows[[f"value: {f}" for f in "abcd"]].set_axis(list("abcd"), axis=1)
    np.testing.assert_allclose(rows["output"], law.predict(values), rtol=1e-12)
    importance = pd.read_csv(folder / "importance.csv").set_index("feature")
    assert not importance.loc["d", "used_by_law"]  # the distractor
    assert importance.loc["d", "law"] == 0.0


def test_saved_comparison_reads_back_and_enters_the_report(regression_run):
    from lawfind.report import build_report
    from lawfind.uncertainty import open_training_data

    if not (regression_run / "compare").exists():
        cli("compare", regression_run, "--models", "linear", *FAST)
    stored = read_comparison(regression_run)
    assert stored is not None and stored.model in ("linear", "decision tree")
    assert stored.law_values.shape == stored.model_values.shape == stored.data.shape
    assert set(stored.figures()) >= {"importance", "shap_summary_law", "dependence_0"}
    run = Run.load(regression_run)
    report = build_report(run, open_training_data(run))
    section = report.section("Law versus black box")
    assert any(getattr(b, "name", "") == "compare_importance" for b in section.blocks)
    assert read_comparison(regression_run.parent) is None  # a folder without a comparison


def test_damaged_comparison_is_a_run_error(tmp_path):
    from lawfind.exceptions import RunError

    (tmp_path / "compare").mkdir()
    (tmp_path / "compare" / "comparison.json").write_text("{")
    with pytest.raises(RunError, match="is damaged"):
        read_comparison(tmp_path)


def test_compare_api_on_a_classification_run(classification_run):
    result = lawfind.compare(classification_run, models=["logistic", "decision tree"], cv=3, background=20,
                             max_rows=40, save=False)
    law = result.law
    assert result.task == "classification" and law.decision is not None and result.path is None
    assert result.baselines.loc[0, "model"] == "law" and result.baselines.loc[0, "accuracy_mean"] > 0.9
    assert "threshold refit" in result.baselines.loc[0, "note"]
    for e in (result.law_explanation, result.model_explanation):
        np.testing.assert_allclose(e.values.sum(axis=1) + e.base_values, e.output, atol=1e-7)
        assert e.additive
    assert result.law_explanation.explained.startswith("law value")
    assert repr(law.decision.above) in result.model_explanation.explained  # the same class on both sides
    assert not result.comparison.same_scale
    assert set(result.comparison.importance["feature"]) == {"r_A", "r_B", "noise"}
    assert "noise" not in law.features
    assert result.figures()["dependence_0"] is not None


def test_compare_bad_input_exits_2(regression_run, classification_run, tmp_path):
    bad("compare", regression_run, "--cv", "99", "--models", "linear", match="too few rows for 99-fold cross-validation: the data have 60 row(s), at least 198 needed (R² needs two held-out rows per fold); use at most 30 folds")
    bad("compare", classification_run, "--cv", "60", "--models", "logistic", match="stratified cross-validation: class")
    one_class = pd.read_csv(classification_run.parent / "data.csv").assign(phase="other")
    one_class.to_csv(tmp_path / "one.csv", index=False)
    bad("compare", classification_run, "--data", tmp_path / "one.csv", "--models", "logistic", match="single class")
    bad("compare", regression_run, "--models", "linear,forest", match="unknown regression baseline(s) ['forest']")
    bad("compare", regression_run, "--models", "linear", "--explain", "ridge", match="not one of the compared models")
    bad("compare", regression_run, "--models", "linear", "--cv", "1", match="at least 2")
    bad("compare", regression_run, "--models", "linear", "--max-rows", "0", match="max_rows must be a positive")
    bad("compare", tmp_path / "nowhere", match="does not exist")
