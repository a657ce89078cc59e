"""Composition features (materials extra): known values, bad input, ionic descriptors, discover and CLI."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pymatgen.core", reason="the materials extra (pymatgen) is not installed")
from pymatgen.core import Element  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import lawfind  # noqa: E402
from lawfind.cli import app  # noqa: E402
from lawfind.exceptions import ConfigError, DataError, LawfindWarning, MissingDependencyError  # noqa: E402
from lawfind.materials import (  # noqa: E402
    PROPERTY_SETS,
    CompositionFeaturizer,
    composition_features,
    element_properties,
    ionic_features,
    radius_ratios,
    shannon_radius,
)

X = {s: Element(s).X for s in ("Na", "Cl", "Fe", "Ni", "Mg", "O")}


def features(values, **options) -> pd.DataFrame:
    return composition_features(pd.Series(values, name="formula"), **options)


# ----------------------------------------------------------------- known values
def test_nacl_statistics_are_those_of_na_and_cl():
    row = features(["NaCl"], properties=["electronegativity"], stats=("mean", "min", "max", "range",
                                                                          "avg_dev", "mode", "std")).iloc[0]
    na, cl = X["Na"], X["Cl"]
    assert row["mean_electronegativity"] == pytest.approx((na + cl) / 2)
    assert row["min_electronegativity"] == pytest.approx(na)
    assert row["max_electronegativity"] == pytest.approx(cl)
    assert row["range_electronegativity"] == pytest.approx(cl - na)
    assert row["avg_dev_electronegativity"] == pytest.approx((cl - na) / 2)
    assert row["std_electronegativity"] == pytest.approx((cl - na) / 2)
    assert row["mode_electronegativity"] == pytest.approx(na)  # tie 1:1 -> the smaller value, as matminer


def test_fractions_weight_the_statistics():
    table = features(["Fe0.7Ni0.3", "Fe7Ni3", "Ni3Fe7"], properties=["electronegativity", "atomic_number"])
    mean = 0.7 * X["Fe"] + 0.3 * X["Ni"]
    assert table["mean_electronegativity"].tolist() == pytest.approx([mean] * 3)
    assert table["mean_atomic_number"].iloc[0] == pytest.approx(0.7 * 26 + 0.3 * 28)
    assert table["avg_dev_atomic_number"].iloc[0] == pytest.approx(0.7 * 0.6 + 0.3 * 1.4)
    assert table["mode_electronegativity"].iloc[0] == pytest.approx(X["Fe"])  # Fe is the majority
    assert table["range_atomic_number"].iloc[0] == pytest.approx(2.0)


def test_statistics_match_a_direct_computation_on_random_compositions():
    rng = np.random.default_rng(3)
    symbols = ["H", "Li", "B", "O", "Mg", "Al", "Si", "Ti", "Fe", "Cu", "Zr", "Pd", "La", "Pb"]
    rows = []
    for _ in range(40):
        chosen = rng.choice(symbols, size=rng.integers(1, 6), replace=False)
        rows.append({str(s): float(a) for s, a in zip(chosen, rng.integers(1, 9, len(chosen)))})
    formulas = ["".join(f"{s}{a:g}" for s, a in row.items()) for row in rows]
    table = features(formulas, properties=["electronegativity", "atomic_number"],
                     stats=("mean", "min", "max", "range", "avg_dev", "mode", "std"))
    for row, (_, got) in zip(rows, table.iterrows()):
        f = np.array(list(row.values())) / sum(row.values())
        for prop, value in (("electronegativity", lambda s: Element(s).X), ("atomic_number", lambda s: Element(s).Z)):
            x = np.array([value(s) for s in row])
            mean = f @ x
            top = f == f.max()
            expected = {"mean": mean, "min": x.min(), "max": x.max(), "range": np.ptp(x),
                        "avg_dev": f @ np.abs(x - mean), "mode": x[top].min(), "std": np.sqrt(f @ (x - mean) ** 2)}
            for stat, number in expected.items():
                assert got[f"{stat}_{prop}"] == pytest.approx(number), (row, stat, prop)


def test_valence_counts_follow_magpie_outside_the_noble_gas_core():
    table = features(["Pb", "Fe", "O"], properties="magpie", stats=("mean",))
    pb, fe, o = (table.iloc[i] for i in range(3))
    assert [pb[f"mean_n{k}_valence"] for k in "spdf"] == [2, 2, 10, 14]
    assert pb["mean_np_unfilled"] == 4 and pb["mean_nd_unfilled"] == 0
    assert fe["mean_nd_valence"] == 6 and fe["mean_nd_unfilled"] == 4 and fe["mean_n_valence"] == 8
    assert o["mean_np_unfilled"] == 2 and o["mean_n_unfilled"] == 2


def test_columns_units_and_index():
    frame = pd.DataFrame({"formula": ["MgO", "NaCl"], "T": [1.0, 2.0]}, index=["m", "n"])
    table = composition_features(frame, "formula")
    assert table.shape == (2, len(PROPERTY_SETS["magpie"]) * 6)
    assert list(table.index) == ["m", "n"]
    units = table.attrs["units"]
    assert set(units) == set(table.columns)
    assert units["mean_melting_point"] == "kelvin" and units["range_covalent_radius"] == "angstrom"
    assert units["mode_electronegativity"] == "dimensionless"
    import pint

    registry = pint.UnitRegistry()
    for unit in set(units.values()) | set(element_properties()["unit"]):
        registry.parse_units(unit)


def test_the_featurizer_object_gives_the_same_table():
    frame = pd.DataFrame({"formula": ["MgO", "Fe2O3"]})
    featurizer = CompositionFeaturizer("formula", properties=("row",), stats=("max", "mean"))
    expected = composition_features(frame, "formula", properties=["row"], stats=["max", "mean"])
    pd.testing.assert_frame_equal(featurizer.transform(frame), expected)
    assert featurizer.to_dict() == {"column": "formula", "properties": ["row"], "stats": ["max", "mean"],
                                    "on_missing": "error"}


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize("value, match", [
    ("Fe2O3x", "'Fe2O3x' is not a composition pymatgen can parse"),
    ("Xx2", "'Xx', which is not a chemical element"),
    ("Fe0", "has no atoms"),
    (None, "has no composition"),
    ("  ", "has no composition"),
    (3.5, "is not a composition string"),
])
def test_a_bad_composition_names_the_row_and_the_string(value, match):
    frame = pd.DataFrame({"formula": ["NaCl", value, "MgO"]}, index=["a", "b", "c"])
    with pytest.raises(DataError, match="row 'b' \\(position 1\\) of column 'formula'") as info:
        composition_features(frame, "formula")
    assert match in str(info.value)


def test_an_element_with_no_data_is_named_and_the_property_can_be_dropped():
    values = ["NaCl", "ArF2"]  # pymatgen has no Pauling electronegativity for Ar
    with pytest.raises(DataError, match="no electronegativity for Ar.*'ArF2'.*on_missing='drop_property'"):
        features(values)
    with pytest.warns(LawfindWarning, match="electronegativity \\(no value for Ar\\)"):
        table = features(values, on_missing="drop_property")
    assert table.attrs["dropped_properties"] == {"electronegativity": ["Ar"]}
    assert not any("electronegativity" in c for c in table.columns)
    assert "mean_melting_point" in table.columns and np.isfinite(table.to_numpy()).all()


@pytest.mark.parametrize("options, match", [
    ({"properties": "electronegativty"}, "did you mean 'electronegativity'"),
    ({"properties": []}, "properties is empty"),
    ({"properties": ["row", "row"]}, "more than once"),
    ({"stats": ("mean", "median")}, "unknown statistic"),
    ({"stats": ()}, "stats is empty"),
    ({"on_missing": "ignore"}, "on_missing must be one of"),
])
def test_bad_options_are_refused_before_parsing(options, match):
    with pytest.raises(ConfigError, match=match):
        features(["not a formula"], **options)


def test_missing_column_and_missing_pymatgen(monkeypatch):
    with pytest.raises(DataError, match="composition column 'formula' not found"):
        composition_features(pd.DataFrame({"f": ["NaCl"]}), "formula")
    with pytest.raises(ConfigError, match="name the composition column"):
        composition_features(pd.DataFrame({"f": ["NaCl"]}))
    monkeypatch.setitem(sys.modules, "pymatgen.core", None)
    with pytest.raises(MissingDependencyError, match='pip install "lawfind\\[materials\\]"'):
        features(["NaCl"])
    with pytest.raises(MissingDependencyError, match="Shannon radii need pymatgen"):
        shannon_radius("Ti", 4, 6)


# ----------------------------------------------------------------- ionic descriptors
def test_srtio3_tolerance_factor_from_shannon_radii():
    ra, rb, rx = shannon_radius("Sr", 2, 12), shannon_radius("Ti", 4, "VI"), shannon_radius("O", -2, 6)
    assert (ra, rb, rx) == (1.44, 0.605, 1.40)
    frame = pd.DataFrame({"rA": [ra], "rB": [rb], "rX": [rx], "nA": [2], "nB": [4], "nX": [-2]})
    row = ionic_features(frame, nA="nA", nB="nB", nX="nX").iloc[0]
    assert row["t"] == pytest.approx(1.00, abs=0.005)
    assert row["mu"] == pytest.approx(rb / rx)
    assert row["rA_over_rB"] == pytest.approx(ra / rb) and row["rA_over_rX"] == pytest.approx(ra / rx)
    assert row["tau"] == pytest.approx(rx / rb - 2 * (2 - (ra / rb) / np.log(ra / rb)))
    assert (row["nA_over_nB"], row["nA_over_nX"], row["nB_over_nX"]) == (0.5, 1.0, 2.0)


def test_ionic_features_without_charges_and_bad_rows():
    frame = pd.DataFrame({"a": [1.2, 1.0], "b": [0.6, 1.1], "x": [1.4, 1.4], "n": [2, 3]}, index=["p", "q"])
    assert list(ionic_features(frame, rA="a", rB="b", rX="x").columns) == ["t", "mu", "rA_over_rB", "rA_over_rX"]
    with pytest.raises(DataError, match="row 'q' \\(position 1\\) of column 'a' has rA <= rB"):
        ionic_features(frame, rA="a", rB="b", rX="x", nA="n")
    with pytest.raises(DataError, match="radius column 'rA' not found"):
        ionic_features(frame)
    frame.loc["p", "x"] = -1.0
    with pytest.raises(DataError, match="row 'p' \\(position 0\\) of column 'x' is not a positive radius"):
        ionic_features(frame, rA="a", rB="b", rX="x")



def test_radius_ratios_are_the_ratios_tau_is_written_in():
    frame = pd.DataFrame({"a": [1.44, 1.6], "b": [0.605, 0.8], "x": [1.40, 2.2], "n": [2, 1]}, index=["p", "q"])
    ratios = radius_ratios(frame, rA="a", rB="b", rX="x")
    assert list(ratios.columns) == ["rA_over_rB", "rX_over_rB", "rA_over_rX"]
    assert list(ratios.index) == ["p", "q"] and set(ratios.attrs["units"].values()) == {"dimensionless"}
    np.testing.assert_allclose(ratios["rX_over_rB"], frame["x"] / frame["b"], rtol=0, atol=0)
    # tau rebuilt from the ratios equals ionic_features' tau
    a, x, n = ratios["rA_over_rB"], ratios["rX_over_rB"], frame["n"]
    tau = x - n * (n - a / np.log(a))
    np.testing.assert_allclose(tau, ionic_features(frame, rA="a", rB="b", rX="x", nA="n")["tau"], rtol=1e-14)
    frame.loc["q", "b"] = 0.0
    with pytest.raises(DataError, match="row 'q' \\(position 1\\) of column 'b' is not a positive radius"):
        radius_ratios(frame, rA="a", rB="b", rX="x")

@pytest.mark.parametrize("args, kwargs, match", [
    (("Fe", 9, 6), {}, "oxidation states \\[2, 3, 4, 6\\], not 9"),
    (("Sr", 2, 3), {}, "Sr2\\+ is tabulated for coordination .*'XII'.*not III"),
    (("Fe", 2, 6), {}, "pass spin='High Spin' or spin='Low Spin'"),
    (("Qq", 1, 6), {}, "not an element symbol"),
])
def test_shannon_radius_errors_say_what_is_tabulated(args, kwargs, match):
    with pytest.raises(DataError, match=match):
        shannon_radius(*args, **kwargs)


def test_shannon_radius_spin_and_crystal_radius():
    assert shannon_radius("Fe", 2, 6, spin="High Spin") == 0.78
    assert shannon_radius("Fe", 2, 6, spin="Low Spin") == 0.61
    assert shannon_radius("Ti", 4, 6, kind="crystal") == pytest.approx(0.745)


# ----------------------------------------------------------------- discover and the CLI
def binary_alloys(n: int = 24, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Fe_x Ni_(1-x) with y = 2 + 3x, i.e. y = 44 - 1.5 * mean atomic number."""
    x = np.round(np.random.default_rng(seed).uniform(0.05, 0.95, n), 3)
    return pd.DataFrame({"formula": [f"Fe{a:.3f}Ni{1 - a:.3f}" for a in x], "y": 2 + 3 * x}), x


def test_discover_searches_the_composition_features():
    frame, _ = binary_alloys()
    featurizer = CompositionFeaturizer("formula", properties=("atomic_number", "covalent_radius"), stats=("mean",))
    run = lawfind.discover(frame, "y", composition=featurizer, engine="sparse", time_limit=1, max_terms=1)
    assert run.data["features"] == ["mean_atomic_number", "mean_covalent_radius"]
    assert run.best.metrics["r2"] > 0.9999 and run.best.features in (["mean_atomic_number"], ["mean_covalent_radius"])
    assert run.config["composition"]["n_features"] == 2
    assert run.data["units"]["mean_covalent_radius"] == "angstrom"


def test_discover_composition_needs_the_raw_table():
    frame, _ = binary_alloys()
    dataset = lawfind.Dataset.from_frame(frame.assign(z=1.0 + np.arange(len(frame))), "y", ["z"])
    with pytest.raises(ConfigError, match="composition= needs the raw table"):
        lawfind.discover(dataset, composition="formula", engine="sparse")
    with pytest.raises(DataError, match="composition column 'comp' not found"):
        lawfind.discover(frame, "y", composition="comp", engine="sparse")


runner = CliRunner()


def cli(*args) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_featurize_then_discover(tmp_path: Path):
    frame, _ = binary_alloys()
    data, out = tmp_path / "alloys.csv", tmp_path / "features.csv"
    frame.to_csv(data, index=False)
    code, stdout, err = cli("featurize", data, "--composition", "formula", "-o", out,
                            "--properties", "atomic_number", "--stats", "mean,range")
    assert code == 0, err
    assert "2 composition features" in stdout
    written = pd.read_csv(out)
    assert list(written.columns) == ["formula", "y", "mean_atomic_number", "range_atomic_number"]
    code, stdout, err = cli("discover", out, "--target", "y", "--features", "mean_atomic_number",
                            "--engine", "sparse", "--time-limit", "2", "--out", tmp_path / "run", "--json")
    assert code == 0, err
    assert '"features": ["mean_atomic_number"]' in stdout


def test_cli_discover_composition_and_errors(tmp_path: Path, monkeypatch):
    from conftest import FixedEngine
    from lawfind.search import ENGINES

    monkeypatch.setitem(ENGINES, "fixed", FixedEngine)  # instant: this tests the wiring, not a search
    frame, _ = binary_alloys()
    data = tmp_path / "alloys.csv"
    frame.to_csv(data, index=False)
    code, _, err = cli("discover", data, "--target", "y", "--composition", "formula", "--engine", "fixed",
                       "--time-limit", "1", "--out", tmp_path / "run")
    assert code == 0, err
    run = lawfind.Run.load(tmp_path / "run")
    assert "formula" not in run.data["features"] and len(run.data["features"]) == 120
    frame.loc[3, "formula"] = "Fe0.5Nx0.5"
    frame.to_csv(data, index=False)
    for args in (["discover", data, "--target", "y", "--composition", "formula", "--engine", "fixed",
                  "--out", tmp_path / "run2"],
                 ["featurize", data, "--composition", "formula", "-o", tmp_path / "f.csv"]):
        code, _, err = cli(*args)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1, err
        assert "row 3 (position 3) of column 'formula': 'Fe0.5Nx0.5'" in lines[0]


def test_cli_featurize_drop_property_reports_it(tmp_path: Path):
    data, out = tmp_path / "gases.csv", tmp_path / "out.csv"
    pd.DataFrame({"formula": ["NaCl", "ArF2"], "y": [1.0, 2.0]}).to_csv(data, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, _, err = cli("featurize", data, "-c", "formula", "-o", out, "--properties", "electronegativity,row",
                           "--on-missing", "drop_property", "--drop-composition")
    assert code == 0, err
    assert "warning: dropped property electronegativity: pymatgen has no value for Ar" in err
    assert list(pd.read_csv(out).columns)[:2] == ["y", "mean_row"]
