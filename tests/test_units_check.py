"""The units check of laws: which forms depend on the units of the data, and what discover/CLI do with them."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lawfind import Law, discover
from lawfind.cli import app
from lawfind.exceptions import ConfigError, SearchError
from lawfind.law import Decision, check_units
from lawfind.law._units_filter import filter_by_units
from lawfind.search import ENGINES

from conftest import FixedEngine

VARIABLES = {"x0": "E", "x1": "T", "x2": "d"}
UNITS = {"E": "eV", "T": "K", "d": "m", "y": "K"}


def law(text: str, target: str = "y", **kwargs) -> Law:
    return Law.from_string(text, VARIABLES, target=target, **kwargs)


@pytest.mark.parametrize("text, problem", [
    ("2*cos(x0) + x1", "cos(E) needs a dimensionless argument, but E is in electron_volt"),
    ("1.5*exp(x1/x2)", "exp(T/d) needs a dimensionless argument, but T/d is in kelvin / meter"),
    ("x1 + x2", "adds"),
    ("2.0*atan(x0) + x1", "atan(E) needs a dimensionless argument, but E is in electron_volt"),
    ("x1*sign(x0) + x1*tanh(x2)", "tanh(d) needs a dimensionless argument, but d is in meter"),
    ("x1**x0", "raises T (in kelvin) to a variable power"),
    ("x1*x2", "the law's value is in kelvin * meter, but the target y is in kelvin"),
])
def test_forms_that_depend_on_the_units_are_named(text, problem):
    check = check_units(law(text), UNITS)
    assert check.status == "inconsistent" and not check.ok
    assert any(problem in p for p in check.problems), check.problems
    assert check.summary().startswith("inconsistent: ")


@pytest.mark.parametrize("text, unit", [
    ("2*cos(0.37*x0) + x1", "kelvin"),          # the constant 0.37 carries 1/eV
    ("x1 + 3.1*x2", "kelvin"),                  # 3.1 carries K/m
    ("x1*log(x2) + 4", "kelvin"),               # log: a change of unit only adds a constant
    ("x1 + 1", "kelvin"),                       # the 1 is in kelvin
    ("Abs(x1 - 273)", "kelvin"),
    ("sqrt(x1**2 + (x2*3.0)**2)", "kelvin"),
    ("1.2*x2**2", None),                        # any unit: the constant sets it
])
def test_consistent_forms(text, unit):
    check = law(text).check_units(UNITS)
    assert check.status == "consistent" and check.ok and check.problems == ()
    assert check.unit == unit


def test_numeric_powers_combine_units_and_columns_without_units_are_dimensionless():
    assert check_units(law("sqrt(x2)*x1/x1"), {"d": "m**2", "y": "m"}).status == "consistent"
    assert check_units(law("1.5*exp(x0) + x1"), {"T": "K"}).status == "consistent"  # E has no unit
    assert check_units(law("1.5*exp(x0) + x1"), {"E": "eV"}).status == "inconsistent"
    assert check_units(law("x1**2"), {"T": "K", "y": "K"}).problems == (
        "the law's value is in kelvin ** 2, but the target y is in kelvin",)


def test_no_units_means_unchecked():
    for units in (None, {}, {"other": "m"}):
        check = check_units(law("cos(x0)"), units)
        assert check.status == "unchecked" and check.ok and check.summary() == "unchecked (no units given)"


def test_a_classifier_value_is_not_compared_with_the_label():
    classifier = law("x1/x2", target="phase", decision=Decision(0.5, "a", "b"))
    assert check_units(classifier, {"T": "K", "d": "m", "phase": "dimensionless"}).status == "consistent"


def test_a_unit_pint_cannot_read_is_one_clear_error():
    with pytest.raises(ConfigError, match=r"column 'T' has the unit 'kelvinn'.*pint syntax"):
        check_units(law("x1"), {"T": "kelvinn"})


def test_filter_keeps_consistent_laws_and_refuses_to_drop_them_all():
    laws = [law("2*cos(x0) + x1"), law("x1 + 0.5")]
    kept, record = filter_by_units(laws, UNITS, "filter")
    assert [k.equation() for k in kept] == ["T + 0.5"]
    assert record["inconsistent"] == 1 and record["checked"] == 2 and "cos(E)" in record["examples"][0]
    kept, record = filter_by_units(laws, UNITS, "keep")
    assert len(kept) == 2 and record["inconsistent"] == 1
    with pytest.raises(SearchError, match="every one of the 1 laws found depends on the units.*units_check='keep'"):
        filter_by_units(laws[:1], UNITS, "filter")


# ------------------------------------------------------------------ discover and the CLI
@pytest.fixture
def cos_frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    E, T = rng.uniform(0.5, 3.0, 40), rng.uniform(100.0, 1000.0, 40)
    return pd.DataFrame({"E": E, "T": T, "y": 2 * np.cos(E) + 0.003 * T})


@dataclass
class CosEngine(FixedEngine):
    """The planted law, plus a unit-safe but poorer one (better than the mean of y, so it is on the front)."""

    name = "cos"
    expressions: tuple[str, ...] = ("2*cos(x0) + 0.003*x1", "0.003*x1 - 0.3")


def test_discover_marks_or_filters_laws_that_depend_on_the_units(cos_frame):
    units = {"E": "eV", "T": "K"}
    kept = discover(cos_frame, "y", engine=CosEngine(), time_limit=1, units=units)
    assert kept.best.equation() == "0.003*T + 2*cos(E)"
    assert kept.info["units_check"] == {"mode": "keep", "checked": 2, "inconsistent": 1,
                                        "examples": [kept.info["units_check"]["examples"][0]]}
    filtered = discover(cos_frame, "y", engine=CosEngine(), time_limit=1, units=units, units_check="filter")
    assert len(filtered.front) == 1 and filtered.best.features == ["T"]  # 0.003·T, its constant refit
    assert filtered.info["units_check"]["inconsistent"] == 1
    plain = discover(cos_frame, "y", engine=CosEngine(), time_limit=1)
    assert plain.info["units_check"] == {"mode": "keep", "checked": 0, "inconsistent": 0}
    with pytest.raises(ConfigError, match=r"units_check \(--units-check\) must be one of \['keep', 'filter'\]"):
        discover(cos_frame, "y", engine=CosEngine(), time_limit=1, units=units, units_check="drop")


def test_cli_shows_the_units_column_and_the_picked_laws_problem(cos_frame, tmp_path, monkeypatch):
    monkeypatch.setitem(ENGINES, "cos", CosEngine)
    cos_frame.to_csv(tmp_path / "d.csv", index=False)
    runner = CliRunner()
    args = ["discover", str(tmp_path / "d.csv"), "-t", "y", "--engine", "cos", "--time-limit", "1",
            "--units", "E=eV,T=K"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "r1")], terminal_width=200)
    assert result.exit_code == 0, result.stderr
    assert "units" in result.stdout and "✗" in result.stdout
    assert "units: inconsistent: cos(E) needs a dimensionless argument, but E is in electron_volt" in result.stdout
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "r2"), "--units-check", "filter"],
                           terminal_width=200)
    assert result.exit_code == 0, result.stderr
    assert "1 of 2 laws depend on the units of the data and were kept off the front" in result.stdout
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "r3"), "--json"])
    payload = json.loads(result.stdout)
    assert payload["best"]["units_check"]["status"] == "inconsistent"
    assert [law["units_check"]["status"] for law in payload["front"]] == ["consistent", "inconsistent"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "r4"), "--units-check", "drop"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: units_check (--units-check) must be one of")


def test_the_report_states_the_units_check_of_its_law(cos_frame, tmp_path):
    from lawfind.data import Dataset
    from lawfind.report import build_report

    units = {"E": "eV", "T": "K"}
    run = discover(cos_frame, "y", engine=CosEngine(), time_limit=1, units=units)
    data = Dataset.from_frame(cos_frame, "y", units=units)
    markdown = build_report(run, data).to_markdown()
    assert "Units check: inconsistent: cos(E) needs a dimensionless argument" in markdown
    plain = discover(cos_frame, "y", engine=CosEngine(), time_limit=1)
    assert "Units check" not in build_report(plain, Dataset.from_frame(cos_frame, "y")).to_markdown()


def test_the_json_export_carries_the_units_check():
    from lawfind.export._json import law_document

    document = law_document(law("2*cos(x0) + x1"), units=UNITS)
    assert document["units_check"]["status"] == "inconsistent"
    assert "cos(E)" in document["units_check"]["problems"][0]
    assert "units_check" not in law_document(law("2*cos(x0) + x1"))


@dataclass
class PrefactorEngine(FixedEngine):
    """``c·exp(k·T)`` whose fitted prefactor is 1: snapping it to an exact 1 would tie the law to MPa."""

    name = "prefactor"
    expressions: tuple[str, ...] = ("1.0000001*exp(0.0072*x0)", "exp(0.0072*x0 + 0.0000001)")


def test_snapping_never_makes_a_law_depend_on_the_units():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"T": rng.uniform(100.0, 400.0, 60)})
    frame["strength"] = np.exp(0.0072 * frame["T"])
    units = {"T": "K", "strength": "MPa"}
    for form in PrefactorEngine.expressions:  # c·exp(k·T), and exp(c + k·T) = e^c·exp(k·T)
        engine = PrefactorEngine(expressions=(form,))
        blind = discover(frame, "strength", engine=engine, time_limit=1)
        assert blind.best.equation() == "exp(0.0072*T)"  # without units c snaps to 1 (or 0)
        assert not blind.best.check_units(units).ok
        aware = discover(frame, "strength", engine=engine, time_limit=1, units=units)
        assert aware.best.check_units(units).ok  # c stays a fitted constant, carrying the MPa
        assert len(aware.best.constants) == 2 and np.isclose(aware.best.metrics["r2"], 1.0)
        assert aware.info["units_check"]["inconsistent"] == 0


def test_exp_of_a_sum_with_a_number_adapts_its_unit():
    law = Law.from_string("exp(0.0072*x0 + 1.3)", {"x0": "T"}, target="y")
    assert law.check_units({"T": "K", "y": "MPa"}).summary() == "consistent"
    bare = Law.from_string("exp(0.0072*x0)", {"x0": "T"}, target="y")
    assert "the law's value is in dimensionless, but the target y is in megapascal" in \
        bare.check_units({"T": "K", "y": "MPa"}).summary()
