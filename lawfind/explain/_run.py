"""``lawfind.compare``: baselines on the law's folds, SHAP of the law and the best black box, the comparison."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lawfind._checks import check_seed
from lawfind._progress import ProgressCallback, no_progress
from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, DataError
from lawfind.explain._compare import Comparison, compare_explanations
from lawfind.explain._folds import check_folds_possible
from lawfind.explain._law import explain_law, law_partial_dependence
from lawfind.explain._model import explain_model
from lawfind.explain._result import Explanation
from lawfind.explain._shap import sample_rows
from lawfind.law import Law
from lawfind.run import Run

__all__ = ["compare", "CompareResult", "COMPARE_FOLDER"]

#: Sub-folder of a run folder where :func:`compare` writes its results.
COMPARE_FOLDER = "compare"


@dataclass
class CompareResult:
    """Everything :func:`compare` computed (and, when saved, where it is).

    Attributes
    ----------
    law : Law
    law_index : int
        Index of the law on the run's front.
    baselines : DataFrame
        The law (first row) and the black boxes, scored on the same folds.
    model : str
        The black box that was fitted on all rows and explained.
    law_explanation, model_explanation : Explanation
        On the same rows, against the same background, interventional.
    comparison : Comparison
    partial_dependence : dict of str to (grid, pd)
        The law's centred partial dependence on the features shown in dependence plots.
    dependence_features : list of str
        The features drawn in dependence plots (the law's, then ignored ones).
    task : str
    config : dict
        cv, seed, models, background and row counts: how to reproduce the comparison.
    seconds : dict of str to float
        Time of each step.
    path : Path or None
        The ``compare/`` folder, once written.
    """

    law: Law
    law_index: int
    baselines: pd.DataFrame
    model: str
    law_explanation: Explanation
    model_explanation: Explanation
    comparison: Comparison
    partial_dependence: dict[str, tuple[np.ndarray, np.ndarray]]
    dependence_features: list[str]
    task: str
    config: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def figures(self) -> dict[str, Any]:
        """The figures by file stem: importance, SHAP summaries, one dependence plot per shown feature."""
        from lawfind.explain._store import comparison_figures

        return comparison_figures(self)

    def summary(self) -> str:
        """A short text: the baselines' best rows, the explained model and the comparison."""
        metric = "r2_mean" if self.task == "regression" else "balanced_accuracy_mean"
        law_score = float(self.baselines.loc[0, metric])
        model_score = float(self.baselines.loc[self.baselines["model"] == self.model, metric].iloc[0])
        shown = "R²" if self.task == "regression" else "balanced accuracy"
        return (f"Law {self.law_index}: {self.law.equation(4)} — cross-validated {shown} {law_score:.3f}; best "
                f"black box {self.model}: {model_score:.3f} ({self.config['cv']} folds, seed {self.config['seed']}). "
                + self.comparison.summary())


def _span(progress: ProgressCallback, start: float, end: float) -> ProgressCallback:
    return lambda fraction, message: progress(start + (end - start) * fraction, message)


def _open(run: Run | str | os.PathLike[str], data: Any) -> tuple[Run, Dataset]:
    from lawfind.uncertainty import open_training_data

    if not isinstance(run, Run):
        run = Run.load(run)
    return run, open_training_data(run, data)


def _check_count(value: Any, name: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1):
        raise ConfigError(f"{name} must be a positive integer (or None for all rows), got {value!r}")


def _baselines(models: list[tuple[str, Any]], law: Law, frame: pd.DataFrame, X: np.ndarray, y: np.ndarray, task: str,
               folds: list, seed: int, progress: ProgressCallback) -> pd.DataFrame:
    from lawfind.baselines import cross_validate_baselines, cross_validate_law

    rows = [cross_validate_law(law, frame, y, folds, name="law")]  # a classification law: threshold refit
    for k, (name, spec) in enumerate(models):
        progress(k / len(models), f"cross-validating {name}")
        rows.append(cross_validate_baselines(X, y, task=task, cv=folds, models=spec, seed=seed).iloc[0].to_dict())
    progress(1.0, "baselines done")
    table = pd.DataFrame(rows)
    table.insert(1, "equation", [law.equation(6)] + [""] * (len(table) - 1))
    return table


def _best_model(table: pd.DataFrame, task: str, explain: str | None) -> str:
    metric = "r2_mean" if task == "regression" else "balanced_accuracy_mean"
    boxes = table[(table["kind"] == "black box") & (table["status"] == "ok") & table[metric].notna()]
    if explain is not None:
        if explain not in set(boxes["model"]):
            row = table[table["model"] == explain]
            reason = f": {row['note'].iloc[0]}" if len(row) and str(row["note"].iloc[0]) else ""
            raise DataError(f"the black box {explain!r} has no cross-validated score (status "
                            f"{row['status'].iloc[0] if len(row) else 'missing'}{reason}); choose another --explain")
        return explain
    if boxes.empty:
        raise DataError("no black-box model could be cross-validated on these data (see the notes in the table)")
    return str(boxes.loc[boxes[metric].idxmax(), "model"])


def _dependence_features(law: Law, comparison: Comparison, limit: int = 6) -> list[str]:
    law_features = [f for f in comparison.importance["feature"] if f in law.features]
    return (law_features + [f for f in comparison.ignored if f not in law_features])[:limit]


def compare(
    run: Run | str | os.PathLike[str],
    *,
    data: Dataset | pd.DataFrame | str | os.PathLike[str] | None = None,
    law: int | None = None,
    models: Sequence[str] | Mapping[str, Any] | None = None,
    cv: int = 5,
    seed: int = 0,
    explain: str | None = None,
    background: int = 100,
    max_rows: int | None = 500,
    top: int = 10,
    min_share: float = 0.05,
    save: bool = True,
    progress: ProgressCallback | None = None,
) -> CompareResult:
    """Put a run's law next to black boxes: same folds, same SHAP background, one comparison.

    1. The law (constants refit on each training fold; a classification law's threshold)
       and the black boxes are scored on the same cross-validation folds.
    2. The best black box (or ``explain``) is fitted on all rows.
    3. Both are explained with interventional SHAP on the same rows (a sample of
       ``max_rows``) against the same background (a sample of ``background`` rows):
       ``shap.TreeExplainer(feature_perturbation="interventional")`` for tree models,
       shap's Exact/Permutation explainers otherwise; exact per-term values for an
       additive law.  A classification law's decision score is explained, and the black
       box's output for the law's "above" class.
    4. :func:`compare_explanations`: importance and rank agreement, descriptors the black
       box uses that the law ignores, the rows where they disagree most.

    Parameters
    ----------
    run : Run or path of a run folder
    data : Dataset, DataFrame, path or ``"datasets:<name>"``, optional
        The training data if they moved (checked against the run's hash).
    law : int, optional
        Index of the law on the front (the picked law by default).
    models : sequence of str or mapping of str to estimator, optional
        Black boxes (see :func:`lawfind.baselines.default_models`); all defaults if None.
    cv : int, default=5
        Number of folds (stratified for classification), shuffled with ``seed``.
    seed : int, default=0
        Seed of the folds, the models and the row samples.
    explain : str, optional
        The black box to explain (the best cross-validated one by default).
    background : int, default=100
        Background rows.
    max_rows : int or None, default=500
        Rows to explain (None: all).
    top : int, default=10
        Disagreeing rows to keep.
    min_share : float, default=0.05
        Share of the black box's importance from which an ignored descriptor is reported.
    save : bool, default=True
        Write the results to ``<run>/compare/`` (atomically).
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    CompareResult

    Raises
    ------
    DataError
        Too few rows for ``cv`` folds, a classification target with one class (or a
        class smaller than ``cv``), a law that is not finite on the data.
    ConfigError
        Unknown model names, bad counts or shares.
    RunError
        When the run or its training data cannot be reopened.
    """
    check_seed(seed)
    progress = progress or no_progress
    run, dataset = _open(run, data)
    task = dataset.task
    index = run.front.best_index if law is None else law
    chosen = run.front.law(index)
    index = index % len(run.front)
    check_folds_possible(dataset.y, task, cv)
    for value, name in ((background, "background"), (max_rows, "max_rows"), (top, "top")):
        _check_count(value, name)
    if background is None:
        raise ConfigError("background must be a positive integer")
    if not 0 <= min_share < 1:
        raise ConfigError(f"min_share must be in [0, 1), got {min_share!r}")
    if task == "classification" and len(pd.unique(pd.Series(dataset.y))) > 2:
        raise DataError(f"lawfind compare explains binary classifications; the target has "
                        f"{len(pd.unique(pd.Series(dataset.y)))} classes")
    if (chosen.decision is None) != (task == "regression"):
        raise DataError(f"the law {chosen.equation(6)!r} is a {chosen.task} law but the run's data are a {task} task")
    from lawfind.baselines import default_models, make_folds

    zoo = default_models(task, models)
    if explain is not None and explain not in [m.name for m in zoo]:
        raise ConfigError(f"--explain {explain!r} is not one of the compared models {[m.name for m in zoo]}")
    frame = dataset.frame.reset_index(drop=True)
    features = list(dataset.features)
    X = frame[features].to_numpy(dtype=float)
    y = np.asarray(dataset.y) if task == "classification" else np.asarray(dataset.y, dtype=float)
    folds = make_folds(y, task=task, cv=cv, seed=seed, X=X)
    seconds: dict[str, float] = {}

    started = time.perf_counter()
    specs = [(m.name, {m.name: models[m.name]} if isinstance(models, Mapping) else [m.name]) for m in zoo]
    table = _baselines(specs, chosen, frame[features], X, y, task, folds, seed, _span(progress, 0.0, 0.55))
    seconds["baselines"] = time.perf_counter() - started
    name = _best_model(table, task, explain)

    started = time.perf_counter()
    progress(0.56, f"fitting {name} on all rows")
    import warnings

    estimator = next(m for m in zoo if m.name == name).build(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(X, y)
    seconds["fit"] = time.perf_counter() - started

    rows = sample_rows(len(frame), max_rows, seed)
    bg = frame.loc[sample_rows(len(frame), background, seed + 1), features]
    explained = frame.loc[rows, features]
    positive = None if chosen.decision is None else chosen.decision.above
    model_expl = explain_model(estimator, explained, bg, name=name, positive=positive, seed=seed,
                               progress=_span(progress, 0.6, 0.9))
    seconds["shap_black_box"] = model_expl.seconds
    law_expl = explain_law(chosen, explained, bg, seed=seed, progress=_span(progress, 0.9, 0.95))
    seconds["shap_law"] = law_expl.seconds

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bb_pred = estimator.predict(explained.to_numpy(dtype=float))
    comparison = compare_explanations(law_expl, model_expl, chosen.predict(explained), bb_pred,
                                      y=y[rows], top=top, min_share=min_share)
    shown = _dependence_features(chosen, comparison)
    curves = {f: law_partial_dependence(chosen, bg, f, np.linspace(explained[f].min(), explained[f].max(), 60))
              for f in shown}
    config = {"cv": int(cv), "seed": int(seed), "models": [m.name for m in zoo], "explained_model": name,
              "background_rows": int(len(bg)), "explained_rows": int(len(rows)), "total_rows": int(len(frame)),
              "law_index": int(index), "law": chosen.equation(), "top": int(top), "min_share": float(min_share),
              "perturbation": "interventional",
              "black_box_fit": "on all rows (SHAP explains the model the table scores by cross-validation, refit "
                               "on every row)"}
    result = CompareResult(chosen, index, table, name, law_expl, model_expl, comparison, curves, shown, task,
                           config, seconds, units=dict(dataset.units))
    if save:
        if run.path is None:
            raise ConfigError("the run has no folder to write to: save it first (Run.save) or pass save=False")
        from lawfind.explain._store import write_comparison

        progress(0.96, "writing the results")
        result.path = write_comparison(result, run.path)
    progress(1.0, "done")
    return result
