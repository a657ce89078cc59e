"""discover() end to end for a classification engine: decisions, labels as written, saved runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lawfind import discover
from lawfind.exceptions import ConfigError
from lawfind.run import Run


@pytest.fixture
def threshold_frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"r_A": rng.uniform(1, 2, 120), "r_B": rng.uniform(0.5, 1, 120), "noise": rng.normal(size=120)})
    frame["phase"] = np.where(frame["r_A"] / frame["r_B"] > 2.0, "perovskite", "other")
    return frame


def test_sisso_classifies_a_planted_ratio_rule_and_keeps_labels(threshold_frame, tmp_path):
    run = discover(threshold_frame, "phase", task="classification", engine="sisso", time_limit=30,
                   rung=1, max_dimension=1, out=tmp_path / "run")
    law = run.best
    assert law.decision is not None and law.metrics["accuracy"] == 1.0
    assert set(law.features) == {"r_A", "r_B"}
    predicted = law.predict(threshold_frame)
    assert set(predicted) == {"perovskite", "other"}
    assert (predicted == threshold_frame["phase"].to_numpy()).all()
    again = Run.load(tmp_path / "run").best
    assert (again.predict(threshold_frame) == predicted).all()


def test_regression_engines_refuse_classification(threshold_frame):
    with pytest.raises(ConfigError, match="does not support the task 'classification'"):
        discover(threshold_frame, "phase", task="classification", engine="sparse", time_limit=5)


def test_the_default_engine_classifies_with_sisso_and_takes_no_engine_options(threshold_frame):
    run = discover(threshold_frame, "phase", task="classification", time_limit=30)  # engine="auto"
    assert run.config["engine"]["name"] == "sisso"
    assert run.best.decision is not None and run.best.metrics["accuracy"] == 1.0
    with pytest.raises(ConfigError, match="engine options \\(rung\\) need a named engine, not 'auto'"):
        discover(threshold_frame, "phase", task="classification", time_limit=5, rung=1)


def test_the_cli_default_engine_classifies_and_names_the_engine_an_option_needs(threshold_frame, tmp_path):
    from typer.testing import CliRunner

    from lawfind.cli import app

    threshold_frame.to_csv(tmp_path / "d.csv", index=False)
    args = ["discover", str(tmp_path / "d.csv"), "-t", "phase", "--task", "classification", "--time-limit", "30"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    assert Run.load(tmp_path / "r").config["engine"]["name"] == "sisso"
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "r2"), "--rung", "1"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: --rung applies to the sisso engine, not to 'auto' (the default engine, "
                                     "auto); choose the engine with --engine")
