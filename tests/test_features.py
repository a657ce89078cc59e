"""lawfind.features: every step on planted data, the report, bad input, discover and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from typer.testing import CliRunner

from lawfind import Dataset, Run, discover
from lawfind.cli import app
from lawfind.exceptions import ConfigError, DataError
from lawfind.features import (
    STEPS,
    ConstantFilter,
    CorrelationFilter,
    LassoSelector,
    MutualInfoFilter,
    Selection,
    select,
)

INFORMATIVE = ["a", "b"]
NOISE = [f"noise{i}" for i in range(4)]
#: Options that make each step strict enough to drop the noise columns of the small planted tables
#: (the fast ones use their defaults); the slow steps get small forests to stay fast.
STEP_OPTIONS = {"mutual_info": {"threshold": 0.1}, "sis": {"max_features": 2}, "stability": {"n_resamples": 30},
                "rfecv": {"n_estimators": 10}, "permutation": {"n_estimators": 10, "n_repeats": 3}}


def planted(n: int = 100, seed: int = 0) -> pd.DataFrame:
    """y = 2·a + b² + small noise, with four pure-noise columns."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.uniform(1, 3, n), "b": rng.uniform(1, 3, n)})
    for name in NOISE:
        frame[name] = rng.uniform(1, 3, n)
    frame["y"] = 2 * frame["a"] + frame["b"] ** 2 + 0.05 * rng.normal(size=n)
    return frame


def planted_classes(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """label = "high" when a + b + noise > 4 (noise columns as above)."""
    frame = planted(n, seed).drop(columns="y")
    noise = np.random.default_rng(seed + 10).normal(0, 0.2, n)
    frame["label"] = np.where(frame["a"] + frame["b"] + noise > 4, "high", "low")
    return frame


def messy(n: int = 100) -> pd.DataFrame:
    """The planted table plus a scaled copy, a constant, a near-constant, a mostly-missing and a text column."""
    frame = planted(n)
    frame["a_scaled"] = 10 * frame["a"] + 1
    frame["c"] = 7.0
    frame["rare"] = np.where(np.arange(n) < 2, 1.0, 0.0)
    frame["gappy"] = np.where(np.arange(n) % 5 == 0, 1.0 * np.arange(n), np.nan)
    frame["name"] = [f"s{i}" for i in range(n)]
    return frame


def reasons(selection: Selection) -> dict[str, tuple[str, str]]:
    return {r.feature: (r.step, r.reason) for r in selection.report.itertuples()}


# ----------------------------------------------------------------- each step on planted data
@pytest.mark.parametrize("step", [s for s in STEPS if s not in ("constant", "correlation")])
def test_each_supervised_step_keeps_the_informative_columns_and_drops_noise(step):
    options = {step: STEP_OPTIONS[step]} if step in STEP_OPTIONS else None
    selection = select(planted(200), "y", steps=step, options=options)  # k-NN mutual information needs ~200 rows
    assert selection.kept == INFORMATIVE
    dropped = reasons(selection)
    assert all(dropped[n][0] == step for n in NOISE)
    assert len(selection.report) == 6 and selection.steps == [step]
    decisions = selection.decisions
    assert set(decisions.columns) >= {"step", "feature", "kept", "score", "reason"}
    assert decisions["reason"].str.len().min() > 5  # a reason in words for every column


@pytest.mark.parametrize("step", ["mutual_info", "sis", "lasso", "stability", "permutation"])
def test_classification_variants(step):
    options = {step: STEP_OPTIONS[step]} if step in STEP_OPTIONS else None
    selection = select(planted_classes(), "label", steps=step, options=options)
    assert selection.task == "classification"
    assert set(INFORMATIVE) <= set(selection.kept)
    scores = selection.decisions.set_index("feature")["score"]
    assert scores[INFORMATIVE].min() > scores[NOISE].max()  # the informative columns rank first
    if step in ("sis", "stability"):
        assert selection.kept == INFORMATIVE


def test_constant_step_reasons():
    selection = select(messy(), "y", steps="constant")
    why = reasons(selection)
    assert why["c"] == ("constant", "constant (1 distinct value)")
    assert why["gappy"][0] == "constant" and why["gappy"][1].startswith("mostly missing (80% of rows")
    assert why["rare"][0] == "constant" and why["rare"][1].startswith("near-constant (0 in 98.0% of rows")
    assert why["name"] == ("constant", "not numeric (e.g. 's0')")
    assert set(selection.kept) == {"a", "b", "a_scaled", *NOISE}
    row = selection.decisions.set_index("feature").loc["c"]
    assert row["score"] == 0.0 and not row["kept"]


def test_scaled_copy_is_grouped_with_its_representative():
    frame = messy()
    step = CorrelationFilter().fit(frame[["a", "b", "a_scaled", *NOISE]], frame["y"])
    assert step.groups_["a"] == ["a", "a_scaled"]
    row = step.decisions_.set_index("feature").loc["a_scaled"]
    assert not row["kept"] and row["score"] == pytest.approx(1.0)
    assert row["reason"] == "correlated with a (|r|=1.000); a represents the group {a, a_scaled}"
    assert "represents the group {a, a_scaled}" in step.decisions_.set_index("feature").loc["a", "reason"]
    assert list(step.get_feature_names_out()) == ["a", "b", *NOISE]


def test_auto_on_a_messy_table():
    selection = select(messy(), "y", dropna=True)
    assert selection.steps == ["constant", "correlation", "mutual_info", "lasso"]
    assert selection.kept == INFORMATIVE
    why = reasons(selection)
    assert why["a_scaled"][0] == "correlation" and why["c"][0] == "constant" and why["gappy"][0] == "constant"
    assert all(why[n][0] in ("mutual_info", "lasso") for n in NOISE)
    assert selection.report["step"].tolist()[:2] == ["kept", "kept"]  # kept columns come first
    assert selection.dropped_rows == 0 and selection.n_rows == 100
    assert "kept 2 of 11 features (a, b)" in selection.summary()


def test_a_dataset_is_accepted_with_its_task():
    frame = planted_classes()
    frame["label"] = frame["label"].map({"high": 1, "low": 0}) + 5  # integer labels 5/6
    dataset = Dataset.from_frame(frame, "label", task="classification")
    selection = select(dataset, steps="constant,sis", options={"sis": {"max_features": 2}})
    assert selection.task == "classification" and selection.kept == INFORMATIVE


def test_steps_none_keeps_everything():
    selection = select(planted(), "y", steps="none")
    assert selection.kept == INFORMATIVE + NOISE and selection.steps == []
    assert set(selection.report["step"]) == {"kept"}
    with pytest.raises(ConfigError, match="no selection step was run"):
        selection.plot()


def test_step_objects_and_options_are_used():
    selection = select(planted(), "y", steps=[ConstantFilter(), MutualInfoFilter(max_features=1)])
    assert selection.kept == ["b"]  # b² spreads y most
    assert "only the top 1 are kept" in reasons(selection)["a"][1]
    assert selection.params["mutual_info"]["max_features"] == 1


# ----------------------------------------------------------------- the scikit-learn contract
@pytest.mark.parametrize("name", list(STEPS))
def test_clone_and_get_params(name):
    cls = STEPS[name]
    step = cls()
    params = step.get_params()
    copy = clone(step)
    assert copy.get_params() == params and copy is not step
    some = next(k for k in params if k not in ("task", "estimator"))
    assert cls().set_params(**{some: params[some]}).get_params()[some] == params[some]


def test_pipeline_and_arrays():
    frame = planted()
    X, y = frame.drop(columns="y"), frame["y"]
    pipe = Pipeline([("constant", ConstantFilter()), ("lasso", LassoSelector())]).fit(X, y)
    out = pipe.transform(X)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == INFORMATIVE
    assert list(pipe.get_feature_names_out()) == INFORMATIVE
    step = LassoSelector().fit(X.to_numpy(), y.to_numpy())
    assert list(step.get_feature_names_out()) == ["x0", "x1"]
    assert step.transform(X.to_numpy()).shape == (100, 2)
    with pytest.raises(DataError, match="fitted with column"):
        LassoSelector().fit(X, y).transform(X.drop(columns="a"))


@pytest.mark.parametrize(("step", "params", "match"), [
    (ConstantFilter, {"max_missing": 2}, "max_missing of ConstantFilter must be a number in"),
    (CorrelationFilter, {"method": "kendal"}, "method of CorrelationFilter must be"),
    (LassoSelector, {"rule": "best"}, "rule of LassoSelector must be '1se' or 'min'"),
    (LassoSelector, {"l1_ratio": 0}, "l1_ratio of LassoSelector"),
    (MutualInfoFilter, {"max_features": 0}, "max_features of MutualInfoFilter"),
])
def test_bad_options(step, params, match):
    frame = planted()
    with pytest.raises(ConfigError, match=match):
        step(**params).fit(frame.drop(columns="y"), frame["y"])


# ----------------------------------------------------------------- bad input
def test_one_class_target():
    frame = planted()
    frame["label"] = "perovskite"
    with pytest.raises(DataError, match="single class"):
        select(frame.drop(columns="y"), "label", task="classification")
    with pytest.raises(DataError, match="single class"):
        LassoSelector(task="classification").fit(frame[["a", "b"]], frame["label"])


def test_a_step_that_empties_the_feature_set_is_named():
    frame = planted()
    frame["y"] = np.random.default_rng(1).normal(size=len(frame))  # the target is pure noise
    with pytest.raises(DataError, match=r"step 'lasso' dropped every feature .* use rule='min'"):
        select(frame, "y", steps="constant,lasso")
    with pytest.raises(DataError, match=r"step 'sis' dropped every feature .*lower threshold"):
        select(planted(), "y", steps="sis", options={"sis": {"threshold": 0.99}})


def test_too_few_rows_for_the_folds():
    with pytest.raises(DataError, match=r"too few rows for 5-fold cross-validation in step 'lasso': 8 rows, at least 10"):
        select(planted().head(8), "y", steps="constant,lasso")
    classes = planted_classes().iloc[:40]
    classes = pd.concat([classes[classes["label"] == "low"], classes[classes["label"] == "high"].head(3)])
    with pytest.raises(DataError, match=r"class 'high' has 3 row\(s\), at least 5 needed"):
        select(classes, "label", steps="sis,lasso")
    assert select(planted().head(8), "y", steps="lasso", cv=2).kept  # fewer folds work


def test_other_bad_input():
    frame = planted()
    with pytest.raises(ConfigError, match="unknown selection step 'laso'; did you mean 'lasso'"):
        select(frame, "y", steps="constant,laso")
    with pytest.raises(ConfigError, match="listed more than once"):
        select(frame, "y", steps="lasso,lasso")
    with pytest.raises(ConfigError, match="target is required"):
        select(frame)
    with pytest.raises(ConfigError, match=r"options given for step\(s\) \['sis'\] that are not run"):
        select(frame, "y", steps="lasso", options={"sis": {"max_features": 2}})
    with pytest.raises(ConfigError, match=r"unknown option\(s\) \['k'\] for the step 'sis'"):
        select(frame, "y", steps="sis", options={"sis": {"k": 2}})
    with pytest.raises(DataError, match="needs numeric columns"):
        select(messy(), "y", steps="lasso")
    gap = frame.copy()
    gap.loc[3, "noise0"] = np.nan  # 1 % missing: kept by the constant step, refused by lasso
    with pytest.raises(DataError, match=r"step 'lasso' needs complete rows: 1 row\(s\).*dropna=True"):
        select(gap, "y", steps="constant,lasso")


def test_dropna_drops_rows_and_says_how_many():
    frame = planted()
    frame.loc[[3, 7], "noise0"] = np.nan
    selection = select(frame, "y", steps="constant,lasso", dropna=True)
    assert selection.dropped_rows == 2 and selection.n_rows == 98 and selection.kept == INFORMATIVE


# ----------------------------------------------------------------- report, plot, saving
def test_to_dict_round_trip_and_plot():
    selection = select(messy(), "y", dropna=True)
    record = json.loads(json.dumps(selection.to_dict()))
    again = Selection.from_dict(record)
    assert again.kept == selection.kept and again.steps == selection.steps
    pd.testing.assert_frame_equal(again.report, selection.report[again.report.columns], check_dtype=False)
    ax = again.plot()
    seen = int((selection.decisions["step"] == "lasso").sum())
    assert ax.get_title() == f"lasso: 2 of {seen} kept (blue)" and len(ax.patches) == seen
    ax = selection.plot(step="constant")
    assert len(ax.patches) == 11
    with pytest.raises(DataError, match="not a lawfind selection record"):
        Selection.from_dict({"schema": "other"})


# ----------------------------------------------------------------- discover and the CLI
def test_discover_with_select_auto(tmp_path):
    frame = planted(150)
    run = discover(frame, "y", engine="sparse", max_terms=2, time_limit=2, select="auto", out=tmp_path / "run")
    assert run.selection["kept"] == INFORMATIVE and run.data["features"] == INFORMATIVE
    assert run.config["select"] == ["constant", "correlation", "mutual_info", "lasso"]
    assert set(run.best.features) <= set(INFORMATIVE)
    report = pd.read_csv(tmp_path / "run" / "selection.csv")
    assert list(report.columns) == ["feature", "step", "reason", "score", "metric"] and len(report) == 6
    loaded = Run.load(tmp_path / "run")
    assert Selection.from_dict(loaded.selection).kept == INFORMATIVE
    plain = discover(frame, "y", engine="sparse", max_terms=2, time_limit=2, out=tmp_path / "plain")
    assert plain.selection is None and "select" not in plain.config
    assert not (tmp_path / "plain" / "selection.json").exists() and Run.load(tmp_path / "plain").selection is None
    with pytest.raises(ConfigError, match="unknown selection step"):
        discover(frame, "y", engine="sparse", select="magic")


def test_cli_select_flag(tmp_path):
    path = tmp_path / "data.csv"
    planted(150).to_csv(path, index=False)
    runner = CliRunner()
    args = ["discover", str(path), "--target", "y", "--engine", "sparse", "--max-terms", "2", "--time-limit", "2"]
    result = runner.invoke(app, [*args, "--select", "auto", "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.stderr
    assert "Feature selection (constant, correlation, mutual_info, lasso): kept 2 of 6" in result.stdout
    assert "dropped: mutual_info" in result.stdout or "dropped: lasso" in result.stdout
    assert (tmp_path / "run" / "selection.csv").is_file()
    result = runner.invoke(app, [*args, "--select", "constant,sis", "--json", "--out", str(tmp_path / "json")])
    payload = json.loads(result.stdout)
    assert payload["selection"]["steps"] == ["constant", "sis"] and payload["selection"]["kept"] == INFORMATIVE + NOISE
    result = runner.invoke(app, [*args, "--select", "lasso,bogus", "--out", str(tmp_path / "bad")])
    assert result.exit_code == 2 and result.stderr.startswith("error: unknown selection step 'bogus'")
    assert "Traceback" not in result.stderr and not (tmp_path / "bad").exists()
    few = tmp_path / "few.csv"
    planted(8).to_csv(few, index=False)
    result = runner.invoke(app, ["discover", str(few), "--target", "y", "--engine", "sparse", "--select", "auto",
                                 "--out", str(tmp_path / "few")])
    assert result.exit_code == 2 and "too few rows for 5-fold cross-validation" in result.stderr


def test_public_names():
    import lawfind.features as features

    public = {n for n in dir(features) if not n.startswith("_")} - {"annotations"}
    assert set(features.__all__) <= public and all(hasattr(features, n) for n in features.__all__)
    assert set(STEPS) == {"constant", "correlation", "mutual_info", "sis", "lasso", "stability", "rfecv", "permutation"}


def test_sklearn_input_errors_are_clear():
    frame = planted()
    X, y = frame.drop(columns="y"), frame["y"]
    step = ConstantFilter().fit(X.to_numpy(), y)
    with pytest.raises(DataError, match="X has 5 features, but ConstantFilter is expecting 6 features"):
        step.transform(X.to_numpy()[:, :5])
    with pytest.raises(DataError, match="Reshape your data"):
        step.transform(X.to_numpy()[:, 0])
    with pytest.raises(DataError, match="0 feature"):
        ConstantFilter().fit(np.empty((10, 0)))
    with pytest.raises(DataError, match="X has 1 sample"):
        ConstantFilter().fit(X.head(1))


def test_progress_reaches_the_callback():
    seen = []
    select(planted(), "y", steps="constant,stability", options={"stability": {"n_resamples": 4}},
           progress=lambda f, m: seen.append((round(f, 3), m)))
    assert seen[0] == (0.0, "selection: constant")
    assert (0.625, "selection: stability, subsample 2 of 4") in seen and seen[-1] == (1.0, "selection done")
    assert all(0 <= f <= 1 for f, _ in seen)
