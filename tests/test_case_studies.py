"""Every case study runs in quick mode and writes its files and headline numbers (the CI smoke run).

The studies read the built-in datasets; the tests skip, naming the dataset and
``LAWFIND_DATA_DIR``, when the data are not available.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer

from lawfind import datasets
from lawfind.casestudies import HEADLINE_FILE, SUMMARY_FILE, get_case_study, list_case_studies, run_case_study
from lawfind.cli._case_study import register
from lawfind.cli._errors import run_cli
from lawfind.exceptions import ConfigError, DataError, RunError

NAMES = ["steel_hardness", "steel_composition", "steel_fatigue", "octet_binaries", "perovskite_tolerance",
         "double_perovskite_gap", "glass_forming"]


def _need_data(name: str) -> None:
    for dataset in get_case_study(name).datasets:
        try:
            datasets.path(dataset)
        except DataError as exc:
            pytest.skip(f"dataset {dataset!r} unavailable (set {datasets.DATA_DIR_ENV} to the data mirror): {exc}")


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def root() -> None:
        """Test app."""

    register(app)
    return app


def _check_common(out: Path) -> dict:
    headline = json.loads((out / HEADLINE_FILE).read_text(encoding="utf-8"))
    summary = (out / SUMMARY_FILE).read_text(encoding="utf-8")
    assert summary.startswith("# Case study") and "Quick mode" in summary
    assert list((out / "figures").glob("*.png")) and list(out.glob("*.tex")) and list(out.glob("*_report.html"))
    runs = [p for p in out.iterdir() if p.is_dir() and (p / "run.json").is_file()]
    assert runs and all((p / "laws.json").is_file() for p in runs)
    assert headline["quick"] is True and headline["seconds"] > 0  # times are measured in docs, never asserted
    return headline


def test_registry_order_and_unknown_name():
    assert [s.name for s in list_case_studies()] == NAMES
    with pytest.raises(ConfigError, match="did you mean 'steel_hardness'"):
        get_case_study("steel_hardnes")


def test_steel_hardness_quick_through_the_cli(tmp_path, capsys):
    _need_data("steel_hardness")
    out = tmp_path / "hardness"
    assert run_cli(_app(), ["case-study", "steel_hardness", "--quick", "--out", str(out)]) == 0
    assert "uts_r2: 0.98" in capsys.readouterr().out
    headline = _check_common(out)
    assert headline["uts_r2"] >= 0.98 and headline["uts_n_coefficients"] == 2
    assert headline["uts_law"] == "Tensile Strength = 3.21354*Hardness - 25.821"
    assert 0.5 < headline["fatigue_ratio_low"] < headline["fatigue_ratio"] < headline["fatigue_ratio_high"] < 0.6
    assert headline["pavlina_r2"] < headline["uts_r2"] and headline["half_rule_r2"] < headline["fatigue_ratio_r2"]
    assert (out / "run_tensile" / "baselines.csv").is_file() and (out / "fatigue_ratio.csv").is_file()
    # an existing folder is kept unless --overwrite; a foreign folder is never replaced
    assert run_cli(_app(), ["case-study", "steel_hardness", "--quick", "--out", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(RunError, match="without headline.json"):
        run_case_study("steel_hardness", quick=True, out=foreign, overwrite=True)
    assert (foreign / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("name", ["steel_composition", "steel_fatigue"])
def test_nested_studies_quick(tmp_path, name):
    _need_data(name)
    result = run_case_study(name, quick=True, out=tmp_path / name)
    headline = _check_common(result.out)
    for key in ("law", "nested_mae", "nested_r2", "best_black_box", "best_black_box_nested_mae", "n_terms"):
        assert headline[key] is not None, key
    assert headline["nested_mae"] > 0 and len(headline["nested_constants_per_fold"]) == 5
    if name == "steel_composition":
        assert headline["n_terms"] <= 10 and headline["matbench_rf_magpie_mae"] == 103.5
        assert isinstance(headline["target_met"], bool)
        spread = headline["near_duplicates"]  # scatter between steels of (nearly) the same composition
        assert spread["pairs"] > 100 and 20 < spread["mean_abs_difference"] < 100
        assert spread["noise_mae"] == pytest.approx(spread["mean_abs_difference"] / np.sqrt(2))
        assert "How much composition alone decides" in (result.out / SUMMARY_FILE).read_text(encoding="utf-8")
    else:
        assert headline["agrawal2014_r2"] == 0.98


def test_steel_composition_variants_score_at_percent_inputs_and_omp_on_the_same_folds(tmp_path):
    # the full study's table of search variants, with a small library so that it runs in seconds
    _need_data("steel_composition")
    pytest.importorskip("pymatgen", reason="the at% contents need pymatgen's atomic masses (materials extra)")
    from sklearn.model_selection import KFold

    from lawfind.casestudies import Context
    from lawfind.casestudies._steel_composition import VARIANTS, _variants, atomic_percent_dataset

    weight = datasets.load_dataset("steel_strength")
    atomic = atomic_percent_dataset(weight)
    assert atomic.features == tuple(c.capitalize() for c in weight.features) and atomic.units["Ti"] == "percent"
    # carbon is lighter than iron: a larger atomic than weight share; molybdenum, heavier, a smaller one
    assert (atomic.frame["C"] >= weight.frame["c"]).all() and (atomic.frame["Mo"] < weight.frame["mo"]).all()
    assert (atomic.frame[list(atomic.features)].sum(axis=1) < 100).all()  # the rest is iron
    folds = list(KFold(5, shuffle=True, random_state=0).split(weight.X))
    library = {"max_terms": 2, "criterion": "bic", "powers": (), "include_log": False, "interactions": False}
    own = {"nested_mae": 1.0, "nested_mae_sd": 0.0, "nested_r2": 0.0}
    table = _variants(Context(out=tmp_path), {"at%": atomic, "wt%": weight}, folds, library, own)
    assert list(zip(table["inputs"], table["method"])) == list(VARIANTS)
    assert table["nested MAE (MPa)"].iloc[0] == 1.0  # the study's own row is passed through
    scored = table["nested MAE (MPa)"].iloc[1:]
    assert (scored > 50).all() and (scored < 300).all()


def test_octet_quick(tmp_path):
    _need_data("octet_binaries")
    headline = _check_common(run_case_study("octet_binaries", quick=True, out=tmp_path / "octet").out)
    assert headline["rmse_1d"] >= headline["rmse_2d"] >= headline["rmse_3d"] > 0
    assert headline["ghiringhelli_rmse_1d"] == 0.137 and "best_black_box" in headline
    # the sisso engine's feature space holds better descriptors than the sparse library: 1-D at the published level
    assert headline["sisso_rmse_1d"] < min(headline["rmse_1d"], headline["ghiringhelli_rmse_1d"])
    assert headline["sisso_rmse_1d"] >= headline["sisso_rmse_2d"] >= headline["sisso_rmse_3d"] > 0


def test_perovskite_quick(tmp_path):
    _need_data("perovskite_tolerance")
    out = run_case_study("perovskite_tolerance", quick=True, out=tmp_path / "perovskite").out
    headline = _check_common(out)
    # the published criteria on Table S1 are reproduced exactly from the data
    assert headline["tau_accuracy"] == pytest.approx(528 / 576)
    assert headline["t_accuracy"] == pytest.approx(425 / 576)
    assert headline["complexity"] <= headline["tau_complexity"]
    assert headline["sisso_options"]["max_size"] == headline["tau_complexity"] - 3  # quick: every descriptor ≤ 7 nodes
    # a descriptor found from the radii alone beats Goldschmidt's t and chance, and is checked out of sample
    assert headline["t_accuracy"] < headline["cv_accuracy"] <= 1
    assert set(headline["per_anion"]) == {"O", "F", "Cl", "Br", "I"}
    assert 0.5 < headline["double_tau_accuracy"] < 1 and 0 < headline["double_balanced_accuracy"] <= 1
    assert (out / "perovskite_double.csv").is_file() and (out / "figures" / "perovskite_descriptor.png").is_file()


def test_double_perovskite_gap_quick(tmp_path):
    _need_data("double_perovskite_gap")
    pytest.importorskip("pymatgen", reason="the site electronegativities come from pymatgen (lawfind[materials])")
    headline = _check_common(run_case_study("double_perovskite_gap", quick=True, out=tmp_path / "gap").out)
    # the law explains most of the variance on held-out folds; boosting is scored on the same folds
    assert 0 < headline["law_cv_rmse"] < headline["target_std"]
    assert headline["boosting_model"] == "hist. gradient boosting" and 0 < headline["boosting_cv_rmse"]


def test_glass_forming_quick(tmp_path):
    _need_data("glass_forming")
    pytest.importorskip("pymatgen", reason="composition features need pymatgen (lawfind[materials])")
    out = run_case_study("glass_forming", quick=True, out=tmp_path / "glass").out
    headline = _check_common(out)
    assert headline["n_features"] == 120 and 0 < headline["n_selected"] < 120
    # the law is a real classifier: better than a coin on balanced accuracy, scored next to the black boxes
    assert 0.5 < headline["cv_balanced_accuracy"] <= headline["best_black_box_cv_balanced_accuracy"] + 0.05
    assert (out / "glass_selection.csv").is_file()


def test_missing_dataset_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    assert run_cli(_app(), ["case-study", "octet_binaries", "--quick", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "octet_binaries" in err and datasets.DATA_DIR_ENV in err
    assert not (tmp_path / "o").exists()


def test_script_reports_user_errors_with_exit_code_2(tmp_path, monkeypatch, capsys):
    import runpy

    script = Path(__file__).resolve().parents[1] / "case_studies" / "steel_hardness.py"
    namespace = runpy.run_path(str(script), run_name="case_study_test")
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(tmp_path))
    assert namespace["main"](["--quick", "--out", str(tmp_path / "x")]) == 2
    assert "steel_hardness_nims" in capsys.readouterr().err
