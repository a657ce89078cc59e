"""Black-box baselines on shared folds, a law's row on the same folds, and nested cross-validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold

from lawfind import Law
from lawfind.baselines import (
    GP_MAX_ROWS, BaselineModel, cross_validate_baselines, cross_validate_law, default_models, make_folds, model_size,
    nested_cross_validate, refit_law, table_columns,
)
from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, DataError
from conftest import FixedEngine, linear_frame

FAST = ["linear", "ridge", "decision tree"]


@pytest.fixture
def noisy() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"HV": rng.uniform(150, 450, 60), "T (K)": rng.uniform(300, 900, 60)})
    y = 3.2 * frame["HV"].to_numpy() - 25 + rng.normal(0, 5, 60)
    return frame, y


def test_make_folds_accepts_int_splitter_and_list(noisy):
    _, y = noisy
    folds = make_folds(y, cv=4, seed=3)
    assert len(folds) == 4 and sorted(np.concatenate([t for _, t in folds]).tolist()) == list(range(len(y)))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, make_folds(y, cv=4, seed=3)))
    splitter = KFold(3, shuffle=True, random_state=0)
    assert [t.tolist() for _, t in make_folds(y, cv=splitter)] == [t.tolist() for _, t in splitter.split(y)]
    assert make_folds(y, cv=folds) == folds


@pytest.mark.parametrize("cv, match", [(1, "at least 2"), ([], "no folds"),
                                       ([(np.array([0]), np.array([999]))], "out-of-range"),
                                       ([("a",)], "not a")])
def test_make_folds_rejects_bad_folds(noisy, cv, match):
    with pytest.raises(ConfigError, match=match):
        make_folds(noisy[1], cv=cv)


def test_make_folds_refuses_folds_too_small_to_score(noisy):
    _, y = noisy  # 60 rows: 31 folds would hold out single rows, where R² is undefined
    with pytest.raises(DataError, match=r"at least 62 needed .* use at most 30 folds \(CLI: --cv"):
        make_folds(y, cv=31)
    with pytest.raises(DataError, match="use at most 30 folds"):
        make_folds(y, cv=1000)
    assert len(make_folds(y, cv=30)) == 30
    labels = np.array(["glass"] * 57 + ["crystal"] * 3)
    with pytest.raises(DataError, match="class 'crystal' has only 3 row"):
        make_folds(labels, task="classification", cv=5)
    with pytest.raises(DataError, match="drop or merge that class"):
        make_folds(np.array(["a"] * 9 + ["b"]), task="classification", cv=2)


def test_table_has_one_row_per_model_and_the_documented_columns(noisy):
    frame, y = noisy
    table = cross_validate_baselines(frame, y, cv=3, models=FAST)
    assert list(table.columns) == table_columns("regression")
    assert table["model"].tolist() == FAST and set(table["status"]) == {"ok"}
    assert (table["r2_mean"] > 0.9).all() and (table["size"] > 0).all()
    assert table.loc[0, "size"] == 3 and table.loc[0, "size_unit"] == "parameters"


def test_law_row_on_the_same_folds_matches_least_squares(noisy):
    frame, y = noisy
    folds = make_folds(y, cv=5, seed=0)
    law = Law.from_string("3.0*x1 + 1.0", {"x1": "HV"}, target="UTS")  # x1: index need not be 0
    row = cross_validate_law(law, frame, y, folds)
    linear = cross_validate_baselines(frame[["HV"]], y, cv=folds, models=["linear"]).iloc[0]
    assert row["kind"] == "law" and row["size"] == 2 and row["n_folds"] == 5
    assert row["mae_mean"] == pytest.approx(linear["mae_mean"], rel=1e-6)
    fixed = cross_validate_law(law, frame, y, folds, refit=False)
    assert fixed["mae_mean"] > row["mae_mean"] and np.isnan(fixed["fit_seconds"])


def test_refit_keeps_the_structure(noisy):
    frame, y = noisy
    law = Law.from_string("3.0*x0 + 1.0", {"x0": "HV"}, target="UTS")
    fitted = refit_law(law, frame, y)
    assert fitted.same_structure(law) and fitted.constants != law.constants


def test_missing_law_column_and_classification_law_on_numbers_are_refused(noisy):
    frame, y = noisy
    with pytest.raises(DataError, match="Vickers"):
        cross_validate_law(Law.from_string("2.0*x0", {"x0": "Vickers"}), frame, y, 3)
    from lawfind.law import Decision

    labelled = Law.from_string("x0", {"x0": "HV"}, decision=Decision(300.0, "soft", "hard"))
    with pytest.raises(DataError, match="classes"):
        cross_validate_law(labelled, frame, y, 3)


def test_classification_scores_accuracies():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    labels = np.where(X[:, 0] + 0.3 * X[:, 1] > 0, "ZB", "RS")
    table = cross_validate_baselines(X, labels, task="classification", cv=3, models=["decision tree", "k-NN"])
    assert {"accuracy_mean", "balanced_accuracy_sd"} <= set(table.columns)
    assert (table["accuracy_mean"] > 0.7).all()


def test_custom_models_unknown_names_and_bad_task(noisy):
    frame, y = noisy
    table = cross_validate_baselines(frame, y, cv=3, models={"mine": LinearRegression()})
    assert table["model"].tolist() == ["mine"] and table.loc[0, "status"] == "ok"
    with pytest.raises(ConfigError, match="unknown regression baseline"):
        cross_validate_baselines(frame, y, models=["random forrest"])
    with pytest.raises(ConfigError, match="task"):
        default_models("ranking")  # type: ignore[arg-type]


def test_bad_data_is_refused(noisy):
    frame, y = noisy
    with pytest.raises(DataError, match="one row per target"):
        cross_validate_baselines(frame, y[:-1], models=FAST)
    bad = y.copy()
    bad[0] = np.nan
    with pytest.raises(DataError, match="finite"):
        cross_validate_baselines(frame, bad, models=FAST)


def test_skipped_models_keep_a_row_with_the_reason(noisy):
    frame, y = noisy
    assert BaselineModel("gp", lambda s: LinearRegression(), max_rows=GP_MAX_ROWS).skip_reason(GP_MAX_ROWS + 1)
    missing = BaselineModel("ghost", lambda s: LinearRegression(), requires="no_such_package_xyz")
    assert "not installed" in missing.skip_reason(10)
    gp = [m for m in default_models() if m.name == "Gaussian process"][0]
    assert gp.max_rows == GP_MAX_ROWS and gp.skip_reason(GP_MAX_ROWS) is None


def test_model_size_counts_parameters_and_nodes(noisy):
    frame, y = noisy
    X = frame.to_numpy()
    for model in default_models(models=["ridge", "decision tree", "k-NN", "MLP"]):
        size, unit = model_size(model.build(0).fit(X, y))
        assert size > 0 and unit in {"parameters", "nodes", "stored numbers"}


def test_nested_cross_validation_reruns_the_search_in_each_fold():
    data = Dataset.from_frame(linear_frame(n=40), "y")
    result = nested_cross_validate(data, cv=4, engine=FixedEngine(), time_limit=1, models=["linear"])
    assert result.table["kind"].tolist() == ["law search", "black box"]
    assert len(result.folds) == 4 and len(result.laws) == 4 and len(result.indices) == 4
    assert result.law_row()["r2_mean"] == pytest.approx(1.0)
    assert result.folds["n_constants"].tolist() == [len(law.constants) for law in result.laws]
    with pytest.raises(ConfigError, match="Dataset"):
        nested_cross_validate(linear_frame(), engine=FixedEngine())  # type: ignore[arg-type]


def test_classification_law_threshold_refit_per_fold():
    import numpy as np
    import pandas as pd

    from lawfind import Law
    from lawfind.baselines import cross_validate_law
    from lawfind.baselines._cv import refit_threshold
    from lawfind.law import Decision

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.uniform(0, 1, 200)})
    labels = np.where(frame["a"] > 0.4, "glass", "crystal")
    # a law whose descriptor is right but whose threshold (0.7) is wrong
    law = Law.from_string("x0", {"x0": "a"}, target="phase", decision=Decision(0.7, "crystal", "glass"))
    assert cross_validate_law(law, frame, labels, 5, refit=False)["accuracy_mean"] == pytest.approx(
        np.mean(law.predict(frame) == labels), abs=0.03)
    refit = cross_validate_law(law, frame, labels, 5)
    assert refit["accuracy_mean"] == 1.0 and refit["size_unit"] == "threshold"
    fitted = refit_threshold(law, frame, labels, "balanced_accuracy")
    assert 0.38 < fitted.decision.threshold < 0.42 and fitted.decision.above == "glass"
    # the sides are chosen again: the reversed law keeps its labels the right way round
    flipped = Law.from_string("-x0", {"x0": "a"}, target="phase", decision=Decision(0.0, "glass", "crystal"))
    assert np.mean(refit_threshold(flipped, frame, labels).predict(frame) == labels) == 1.0


def test_nested_cross_validation_of_a_classification_search():
    from lawfind.baselines import nested_cross_validate
    from lawfind.data import Dataset

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.uniform(1, 2, 120), "b": rng.uniform(1, 2, 120)})
    frame["label"] = np.where(frame["a"] / frame["b"] > 1.0, 1, -1)  # integer labels, read back as objects
    data = Dataset.from_frame(frame, "label", ["a", "b"], task="classification")
    result = nested_cross_validate(data, cv=3, engine="sisso", time_limit=20, baselines=False, rung=1,
                                   max_dimension=1, task="classification")
    assert result.table.iloc[0]["accuracy_mean"] > 0.95 and len(result.folds) == 3


def test_a_law_undefined_at_held_out_rows_says_where_its_nan_scores_come_from():
    frame = linear_frame(n=40)
    frame.loc[0, "a"] = -1.0  # sqrt(a) is undefined at row 0, which no training part holds
    y = frame["y"].to_numpy()
    everything = np.arange(40)
    folds = [(everything[10:], everything[:10]), (everything[np.r_[1:10, 20:40]], everything[10:20])]
    law = Law.from_string("2*sqrt(x0) + 1", {"x0": "a"}, target="y")
    row = cross_validate_law(law, frame, y, folds)
    assert np.isnan(row["mae_mean"])
    assert "no finite value at 1 of 10 held-out rows in fold 0" in row["note"] and "fold 1" not in row["note"]
    data = Dataset.from_frame(frame, "y")
    nested = nested_cross_validate(data, cv=folds, engine=FixedEngine(expressions=("2.0*sqrt(x0) - 0.7*x1 + 1.5",)),
                                   time_limit=1, baselines=False)
    assert nested.folds["n_undefined"].tolist() == [1, 0]
    assert np.isnan(nested.folds["mae"][0]) and np.isfinite(nested.folds["mae"][1])
    assert "1 of 10 held-out rows in fold 0" in nested.law_row()["note"]
    defined = nested_cross_validate(Dataset.from_frame(linear_frame(n=40), "y"), cv=folds, engine=FixedEngine(),
                                    time_limit=1, baselines=False)
    assert "NaN" not in defined.law_row()["note"] and defined.folds["n_undefined"].tolist() == [0, 0]
