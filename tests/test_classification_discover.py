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
