"""Coefficient intervals (bootstrap, asymptotic), reopening a run's data, and law stability."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lawfind import ConfigError, DataError, Law, RunError, discover
from lawfind.exceptions import LawfindWarning
from lawfind.law import Decision
from lawfind.run import Run
from lawfind.uncertainty import (
    CoefficientIntervals, ParametrizedLaw, asymptotic_intervals, bootstrap_intervals, coefficient_intervals,
    law_stability, open_training_data,
)

from conftest import FixedEngine


def noisy_frame(n: int = 60, seed: int = 0, sigma: float = 0.1) -> pd.DataFrame:
    """y = 1.5 + 2·a − 0.7·b + N(0, σ²)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.uniform(1, 3, n), "b": rng.uniform(1, 3, n)})
    frame["y"] = 1.5 + 2.0 * frame["a"] - 0.7 * frame["b"] + rng.normal(0, sigma, n)
    return frame


def ols_law(frame: pd.DataFrame) -> tuple[Law, np.ndarray, np.ndarray]:
    """The least-squares linear law of y on a, b, with the textbook standard errors."""
    X = np.column_stack([np.ones(len(frame)), frame["a"], frame["b"]])
    beta, *_ = np.linalg.lstsq(X, frame["y"].to_numpy(), rcond=None)
    residual = frame["y"].to_numpy() - X @ beta
    s2 = residual @ residual / (len(frame) - 3)
    se = np.sqrt(s2 * np.diag(np.linalg.inv(X.T @ X)))
    b0, b1, b2 = (float(v) for v in beta)
    law = Law.from_string(f"{b0!r} + {b1!r}*x0 + {b2!r}*x1", {"x0": "a", "x1": "b"}, target="y")
    return law, beta, se


def _by_value(intervals: CoefficientIntervals, beta: np.ndarray, column: np.ndarray) -> np.ndarray:
    """Reorder ``column`` (given per beta) into the order of the intervals' constants."""
    order = [int(np.argmin(np.abs(beta - v))) for v in intervals.values]
    return column[order]


def test_asymptotic_intervals_match_the_ols_formula():
    frame = noisy_frame()
    law, beta, se = ols_law(frame)
    ci = asymptotic_intervals(law, frame)
    t = stats.t.ppf(0.975, len(frame) - 3)
    np.testing.assert_allclose(ci.std_errors, _by_value(ci, beta, se), rtol=1e-8)
    np.testing.assert_allclose(ci.half_widths, t * _by_value(ci, beta, se), rtol=1e-8)
    assert ci.method == "asymptotic" and ci.level == 0.95 and ci.n_resamples == 0


def test_bootstrap_intervals_agree_with_asymptotic_ones():
    frame = noisy_frame(n=80)
    law, *_ = ols_law(frame)
    boot = bootstrap_intervals(law, frame, n_resamples=200, seed=3)
    asym = asymptotic_intervals(law, frame)
    ratio = boot.half_widths / asym.half_widths
    assert np.all((ratio > 0.6) & (ratio < 1.6)), ratio
    assert np.all((boot.lower < boot.values) & (boot.values < boot.upper))
    assert boot.samples.shape == (200, 3) and boot.n_failed == 0
    again = bootstrap_intervals(law, frame, n_resamples=200, seed=3)
    np.testing.assert_array_equal(again.lower, boot.lower)


def test_intervals_cover_the_planted_constants_about_95_percent_of_the_time():
    covered = {"bootstrap": 0, "asymptotic": 0}
    trials = 20
    for seed in range(trials):
        frame = noisy_frame(n=40, seed=100 + seed)
        law, beta, _ = ols_law(frame)
        truth = None
        for ci in (bootstrap_intervals(law, frame, n_resamples=100, seed=seed), asymptotic_intervals(law, frame)):
            truth = _by_value(ci, beta, np.array([1.5, 2.0, -0.7])) if truth is None else truth
            covered[ci.method] += int(np.sum((ci.lower <= truth) & (truth <= ci.upper)))
    for method, count in covered.items():
        assert count >= 0.8 * 3 * trials, (method, count)


def test_nonlinear_law_intervals_and_multipliers():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"T": rng.uniform(0.5, 2.0, 50)})
    frame["k"] = 3.0 * np.exp(-1.2 * frame["T"]) + rng.normal(0, 0.01, 50)
    law = Law.from_string("3.0*exp(-1.2*x0)", {"x0": "T"}, target="k")
    model = ParametrizedLaw(law)
    fitted = model.fit(frame[["T"]].to_numpy().T, frame["k"].to_numpy())
    assert fitted is not None and np.allclose(sorted(np.abs(fitted)), [1.2, 3.0], rtol=0.05)
    assert model.multipliers() == [None, None]  # neither constant enters linearly
    ci = coefficient_intervals(law, frame, method="asymptotic")
    assert np.all(np.isfinite(ci.half_widths)) and np.all(ci.half_widths > 0)


def test_intervals_round_trip_through_a_dict():
    frame = noisy_frame()
    law, *_ = ols_law(frame)
    ci = bootstrap_intervals(law, frame, n_resamples=20)
    again = CoefficientIntervals.from_dict(ci.to_dict(), law)
    for name in ("values", "lower", "upper", "std_errors"):
        np.testing.assert_array_equal(getattr(again, name), getattr(ci, name))
    assert (again.method, again.level, again.n_resamples, again.seed) == ("bootstrap", 0.95, 20, 0)
    other = Law.from_string("2.0*x0", {"x0": "a"}, target="y")
    with pytest.raises(ValueError, match="constants|another law"):
        CoefficientIntervals.from_dict(ci.to_dict(), other)


@pytest.mark.parametrize(
    ("law", "kwargs", "error", "match"),
    [
        (Law.from_string("2*x0", {"x0": "a"}, target="y"), {}, ConfigError, "no float constant"),
        (Law.from_string("2.0*x0", {"x0": "a"}, target="y", decision=Decision(0.0, 0, 1)), {}, ConfigError,
         "regression laws"),
        (Law.from_string("2.0*x0", {"x0": "a"}, target="y"), {"n_resamples": 3}, ConfigError, "n_resamples"),
        (Law.from_string("2.0*x0", {"x0": "a"}, target="y"), {"level": 95}, ConfigError, "level"),
        (Law.from_string("2.0*x0", {"x0": "zz"}, target="y"), {}, DataError, r"lack the column\(s\) \['zz'\]"),
    ],
)
def test_bad_interval_requests_are_refused(law, kwargs, error, match):
    with pytest.raises(error, match=match):
        bootstrap_intervals(law, noisy_frame(), **kwargs)


def test_unknown_method_and_unidentifiable_constants():
    frame = noisy_frame()
    law = Law.from_string("1.0 + 2.0*x0", {"x0": "a"}, target="y")
    with pytest.raises(ConfigError, match="unknown interval method"):
        coefficient_intervals(law, frame, method="jackknife")
    constant_a = frame.assign(a=2.0)  # intercept and slope cannot be told apart
    with pytest.warns(LawfindWarning, match=r"constant\(s\) \['c0', 'c1'\] .* not identifiable"):
        ci = asymptotic_intervals(law, constant_a)
    assert np.all(np.isinf(ci.half_widths))


# ----------------------------------------------------------------- reopening the data
@pytest.fixture
def noisy_run(tmp_path: Path) -> Path:
    path = tmp_path / "noisy.csv"
    noisy_frame().to_csv(path, index=False)
    discover(path, "y", engine=FixedEngine(("1.5 + 2*x0 - 0.7*x1", "2*x0")), time_limit=1, out=tmp_path / "run")
    return tmp_path / "run"


def test_training_data_are_reopened_and_verified(noisy_run, tmp_path):
    run = Run.load(noisy_run)
    data = open_training_data(run)
    assert data.data_hash() == run.data["hash"] and data.n_rows == 60
    source = Path(run.data["source"])
    moved = tmp_path / "elsewhere.csv"
    shutil.move(source, moved)
    with pytest.raises(RunError, match=r"no longer exists; pass the original table with --data PATH"):
        open_training_data(run)
    assert open_training_data(run, moved).data_hash() == run.data["hash"]
    changed = pd.read_csv(moved)
    changed.loc[0, "y"] += 1.0
    changed.to_csv(source, index=False)
    with pytest.raises(RunError, match=r"differ from the data .* was trained on \(hash sha256:"):
        open_training_data(run)


def test_in_memory_runs_need_their_data(tmp_path):
    frame = noisy_frame()
    run = discover(frame, "y", engine=FixedEngine(), time_limit=1)
    with pytest.raises(RunError, match="in-memory DataFrame"):
        open_training_data(run)
    assert open_training_data(run, frame).n_rows == 60
    with pytest.raises(RunError, match="cannot reopen the training data .* is not numeric|column"):
        open_training_data(run, frame.assign(a="text"))


# ----------------------------------------------------------------- stability
def test_stability_counts_structures_over_resamples(noisy_run):
    run = Run.load(noisy_run)
    data = open_training_data(run)
    with pytest.raises(ConfigError, match="cannot rebuild the run's engine"):
        law_stability(run, data, n_resamples=2, time_limit=1)
    result = law_stability(run, data, n_resamples=3, time_limit=1, engine=FixedEngine(("1.5 + 2*x0 - 0.7*x1",)))
    table = result.structures()
    best = table[table["reference_index"] == run.front.best_index].iloc[0]
    assert (best["found"], best["picked"], best["found_fraction"]) == (3, 3, 1.0)
    assert "found on 3 of 3 bootstrap resamples" in result.summary()
    variation = result.front_variation()
    assert set(variation["resample"]) == {-1, 0, 1, 2}
    assert result.to_dict()["n_succeeded"] == 3
    spread = result.front_spread()
    assert list(spread.columns) == ["complexity", "fronts", "error_min", "error_median", "error_max", "run_error"]
    row = spread[spread["complexity"] == run.best.complexity].iloc[0]
    assert row["fronts"] == 3 and row["error_min"] <= row["error_median"] <= row["error_max"]
    assert np.isfinite(row["run_error"])


def test_stability_with_the_sparse_engine_and_cv_folds(noisy_run):
    run = discover(open_training_data(Run.load(noisy_run)), engine="sparse", time_limit=5, max_terms=2)
    result = law_stability(run, open_training_data(run, Run.load(noisy_run).data["source"]), n_resamples=3,
                           time_limit=2, scheme="cv")
    assert result.scheme == "cv" and result.n_succeeded == 3
    best = result.structures().iloc[run.front.best_index]
    assert best["found"] >= 2


def test_stability_bad_options(noisy_run):
    run = Run.load(noisy_run)
    data = open_training_data(run)
    engine = FixedEngine()
    with pytest.raises(ConfigError, match="unknown resampling scheme"):
        law_stability(run, data, scheme="jackknife", engine=engine)
    with pytest.raises(ConfigError, match="n_resamples"):
        law_stability(run, data, n_resamples=1, engine=engine)
    with pytest.raises(ConfigError, match="time_limit"):
        law_stability(run, data, time_limit=0, engine=engine)


def test_failed_resampled_searches_are_recorded_and_warned(noisy_run):
    from dataclasses import dataclass

    from lawfind.search import Engine, SearchResult

    @dataclass
    class NothingEngine(Engine):
        name = "nothing"

        def search(self, X, y, *, time_limit, seed, progress):
            return SearchResult([])

    run = Run.load(noisy_run)
    with pytest.warns(LawfindWarning, match="2 of 2 resampled searches failed"):
        result = law_stability(run, open_training_data(run), n_resamples=2, time_limit=1, engine=NothingEngine())
    assert result.n_succeeded == 0 and all(result.failures)
