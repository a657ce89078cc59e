"""Case study ``perovskite_tolerance``: a τ-like stability criterion for ABX3 solids from radii and oxidation states.

Bartel et al., Sci. Adv. 5, eaav0693 (2019), found with SISSO the tolerance factor
τ = rX/rB − nA(nA − (rA/rB)/ln(rA/rB)) (perovskite when τ < 4.18), 91.7 % accurate on the
576 compounds of their Table S1, against 73.8 % for Goldschmidt's t = (rA + rX)/(√2 (rB + rX))
with the window 0.825 < t < 1.059.  Here the ``sisso`` engine searches a 1-D descriptor
and threshold from rA, rB, rX, nA, nB and nX only (never t, τ or their predictions), the
radii entering as their three dimensionless ratios rA/rB, rX/rB and rA/rX
(:func:`lawfind.materials.radius_ratios`; τ is written in two of them); complexities are
compared with τ written in the same primary features.  Then,
on the same stratified folds, the descriptor (threshold refit per fold), τ and t are
scored per anion, the black boxes next to them, and the whole search is rerun inside each
training fold (nested CV, full mode).  Out of sample, every criterion is applied to
Bartel's 918 ICSD A2BB'X6 double perovskites with rB and nB the means over the two B
sites, as the paper does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.casestudies._base import Context, register
from lawfind.casestudies._outputs import display_table, save_axes, save_run, skipped_note, write_latex
from lawfind.casestudies._outputs import write_report, write_summary

__all__ = ["perovskite_tolerance", "primary_features", "PRIMARIES", "TAU_THRESHOLD", "T_WINDOW", "PUBLISHED_ACCURACY",
           "tau_law", "double_perovskite_frame"]

#: Bartel's threshold: perovskite when τ < 4.18.
TAU_THRESHOLD = 4.18
#: Goldschmidt's window for perovskites: 0.825 < t < 1.059 (as in Table S1's t_pred).
T_WINDOW = (0.825, 1.059)
#: Accuracies on the 576 compounds of Table S1 (the paper: 92 % and 74 %).
PUBLISHED_ACCURACY = {"tau": 0.917, "t": 0.738}
RADII = ("rA (Ang)", "rB (Ang)", "rX (Ang)")
#: What the search sees: the radius ratios of :func:`primary_features` and the oxidation states.
PRIMARIES = ("rA_over_rB", "rX_over_rB", "rA_over_rX", "nA", "nB", "nX")
PEROVSKITE, OTHER = 1, -1


def tau_law(target: str = "exp_label", *, ratios: bool = False) -> Any:
    """Bartel's τ as a lawfind classification law (perovskite below 4.18).

    Over the Table S1 column names, or with ``ratios=True`` over the columns of
    :func:`primary_features` (``rA_over_rB``, ``rX_over_rB``, ``nA``): the same function,
    written in the primary features the search uses, so complexities compare like for like.
    """
    from lawfind import Law
    from lawfind.law import Decision

    decision = Decision(TAU_THRESHOLD, PEROVSKITE, OTHER)
    if ratios:
        return Law.from_string("x1 - x2*(x2 - x0/log(x0))", {"x0": "rA_over_rB", "x1": "rX_over_rB", "x2": "nA"},
                               target=target, decision=decision)
    variables = {"x0": "rA (Ang)", "x1": "rB (Ang)", "x2": "rX (Ang)", "x3": "nA"}
    return Law.from_string("x2/x1 - x3*(x3 - (x0/x1)/log(x0/x1))", variables, target=target, decision=decision)


def primary_features(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (Table S1's columns) with the radius ratios rA/rB, rX/rB and rA/rX added."""
    from lawfind.materials import radius_ratios

    ratios = radius_ratios(frame, rA=RADII[0], rB=RADII[1], rX=RADII[2])
    return pd.concat([frame, ratios], axis=1)


def goldschmidt_prediction(frame: pd.DataFrame) -> np.ndarray:
    """Labels by Goldschmidt's window 0.825 < t < 1.059 (t from the radii columns)."""
    rA, rB, rX = (frame[c].to_numpy(dtype=float) for c in RADII)
    t = (rA + rX) / (np.sqrt(2.0) * (rB + rX))
    return np.where((t > T_WINDOW[0]) & (t < T_WINDOW[1]), PEROVSKITE, OTHER)


def double_perovskite_frame(icsd: pd.DataFrame) -> pd.DataFrame:
    """The ICSD A2BB'X6 table in Table S1's columns: rB and nB are the means over the two B sites."""
    return pd.DataFrame({
        "rA (Ang)": icsd["rA"].to_numpy(dtype=float),
        "rB (Ang)": (icsd["rB1"].to_numpy(dtype=float) + icsd["rB2"].to_numpy(dtype=float)) / 2,
        "rX (Ang)": icsd["rX"].to_numpy(dtype=float),
        "nA": icsd["nA"].to_numpy(dtype=float),
        "nB": (icsd["nB1"].to_numpy(dtype=float) + icsd["nB2"].to_numpy(dtype=float)) / 2,
        "nX": icsd["nX"].to_numpy(dtype=float),
    })


def _scores(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from lawfind.search._classify import classification_metrics

    metrics = classification_metrics(y, predicted)
    return {"accuracy": metrics["accuracy"], "balanced_accuracy": metrics["balanced_accuracy"],
            "perovskite_recall": float(np.mean(predicted[y == PEROVSKITE] == PEROVSKITE)),
            "non_perovskite_recall": float(np.mean(predicted[y == OTHER] == OTHER))}


def _pooled_cv_predictions(law: Any, frame: pd.DataFrame, y: np.ndarray, folds: list) -> np.ndarray:
    """Held-out predictions of ``law`` with its threshold refit on each training fold."""
    from lawfind.baselines._cv import refit_threshold

    out = np.zeros(len(y), dtype=int)
    for train, test in folds:
        out[test] = refit_threshold(law, frame.iloc[train], y[train]).predict(frame.iloc[test])
    return out


def _fixed_row(name: str, predicted: np.ndarray, y: np.ndarray, folds: list, note: str) -> dict[str, Any]:
    from lawfind.baselines import fold_scores, summarize

    scores = [fold_scores(y[test], predicted[test], "classification") for _, test in folds]
    return summarize(name, "published law", "classification", scores, size=1.0, size_unit="threshold", note=note)


@register("perovskite_tolerance", "A τ-like perovskite stability criterion from radii and oxidation states "
          "(Bartel 2019)", ("bartel_perovskites", "bartel_double_perovskites_icsd"), parallel=True)
def perovskite_tolerance(ctx: Context) -> dict[str, Any]:
    """Run the study into ``ctx.out``; returns the headline numbers."""
    import lawfind
    from lawfind.baselines import cross_validate_baselines, cross_validate_law, make_folds, nested_cross_validate
    from lawfind.datasets import load, load_dataset
    from lawfind.report import plot_class_separation
    from lawfind.data import Dataset
    from lawfind.search._classify import grouped_accuracy

    data = load_dataset("bartel_perovskites")
    table_s1 = load("bartel_perovskites").reset_index(drop=True)
    frame = primary_features(data.frame.reset_index(drop=True))
    y = np.asarray(data.y, dtype=int)
    search_data = Dataset.from_frame(frame, data.target, PRIMARIES, task="classification",
                                     source=f"{data.source} (radii as ratios)")
    folds = make_folds(y, task="classification", cv=5, seed=ctx.seed)
    tau = tau_law(data.target)
    tau_complexity = tau_law(data.target, ratios=True).complexity
    # every descriptor up to τ's size (quick: 3 nodes fewer), not only those of a rung
    options = {"task": "classification", "max_size": tau_complexity - 3 if ctx.quick else tau_complexity,
               "max_dimension": 1, "metric": "accuracy", "operators": ("+", "-", "*", "/", "log"),
               "sis_size": 100, "n_models": 10}
    time_limit = ctx.budget(30, 600)
    ctx.log(f"perovskite: sisso search, every descriptor of up to {options['max_size']} nodes, up to {time_limit:g} s")
    run = lawfind.discover(search_data, engine="sisso", time_limit=time_limit, seed=ctx.seed, **options)
    candidates = [law for law in run.front if law.complexity <= tau_complexity] or list(run.front)
    law = max(candidates, key=lambda item: (item.metrics["accuracy"], -item.complexity))
    most_accurate = max(run.front, key=lambda item: (item.metrics["accuracy"], -item.complexity))

    ctx.log("perovskite: descriptor, tau, t and black boxes on the same 5 folds")
    law_row = cross_validate_law(law, frame, y, folds, name=f"found: {law.equation(4)} (threshold refit)")
    accurate_row = None
    if most_accurate is not law:
        accurate_row = cross_validate_law(most_accurate, frame, y, folds, name=f"most accurate found, complexity "
                                          f"{most_accurate.complexity}: {most_accurate.equation(4)}")
    tau_row = cross_validate_law(tau, frame, y, folds, name="τ, threshold refit per fold")
    # τ's published predictions (tau_pred: τ < 4.18 with τ from unrounded radii)
    tau_published = table_s1["tau_pred"].to_numpy(dtype=int)
    t_prediction = goldschmidt_prediction(frame)
    rows = [law_row, _fixed_row("τ < 4.18 (published tau_pred)", tau_published, y, folds, "Bartel et al. 2019"),
            tau_row, _fixed_row("0.825 < t < 1.059 (Goldschmidt)", t_prediction, y, folds, "Goldschmidt 1926")]
    if accurate_row is not None:
        rows.insert(1, accurate_row)
    nested = None
    if not ctx.quick:
        ctx.log("perovskite: nested CV (the search rerun in each training fold)")
        nested = nested_cross_validate(search_data, cv=folds, engine="sisso", time_limit=ctx.budget(20, 300), seed=ctx.seed,
                                       baselines=False, executor=ctx.executor, **options)
        rows.insert(1, nested.table.iloc[0].to_dict() | {"model": "found: search rerun in each training fold"})
    boxes = cross_validate_baselines(data.X, y, task="classification", cv=folds, seed=ctx.seed,
                                     models=["logistic", "k-NN", "decision tree", "random forest"] if ctx.quick else None)
    table = pd.concat([pd.DataFrame(rows), boxes], ignore_index=True)

    anion = table_s1["X"].astype(str).to_numpy()
    per_anion = pd.DataFrame({
        "found (CV, threshold refit)": grouped_accuracy(y, _pooled_cv_predictions(law, frame, y, folds), anion),
        "τ < 4.18": grouped_accuracy(y, tau_published, anion),
        "Goldschmidt t": grouped_accuracy(y, t_prediction, anion),
    })
    per_anion.insert(0, "compounds", pd.Series(anion).value_counts())
    per_anion = per_anion.rename_axis("anion").reset_index()

    ctx.log("perovskite: out of sample on 918 ICSD double perovskites")
    icsd = load("bartel_double_perovskites_icsd").reset_index(drop=True)
    y_double = icsd["icsd_label"].to_numpy(dtype=int)
    double = primary_features(double_perovskite_frame(icsd))
    out_of_sample = pd.DataFrame([
        {"criterion": f"found: {law.equation(4)}", **_scores(y_double, np.asarray(law.predict(double), dtype=int))},
        {"criterion": "τ < 4.18 (published tau_pred)", **_scores(y_double, icsd["tau_pred"].to_numpy(dtype=int))},
        {"criterion": "0.825 < t < 1.059", **_scores(y_double, goldschmidt_prediction(double))},
        {"criterion": "always 'perovskite'", **_scores(y_double, np.full(len(y_double), PEROVSKITE))},
    ])

    save_run(ctx, run, "run_perovskite", table)
    figures = write_report(ctx, run, search_data, prefix="perovskite", title="A perovskite tolerance criterion")
    figures.append(save_axes(ctx, plot_class_separation(law.decision_function(frame), y, law.decision.threshold,
                                                        name=law.equation(4)), "perovskite_descriptor"))
    figures.append(save_axes(ctx, plot_class_separation(table_s1["tau"].to_numpy(dtype=float), y, TAU_THRESHOLD,
                                                        name="τ (Bartel 2019)"), "perovskite_tau"))
    shown = display_table(table)
    write_latex(ctx, run, search_data, filename="perovskite.tex",
                tables=[(shown, "5-fold stratified CV accuracy (mean ± sd), same folds for every row"),
                        (per_anion, "Accuracy per anion"), (out_of_sample, "918 ICSD double perovskites")],
                title="A perovskite tolerance criterion from radii and oxidation states")
    table.to_csv(ctx.out / "perovskite_cv.csv", index=False)
    per_anion.to_csv(ctx.out / "perovskite_per_anion.csv", index=False)
    out_of_sample.to_csv(ctx.out / "perovskite_double.csv", index=False)

    found_cv = float(law_row["accuracy_mean"])
    headline = {
        "law": f"{law.equation(6)}", "threshold": float(law.decision.threshold),
        "rule": f"{law.decision.above} if descriptor > {law.decision.threshold:.6g} else {law.decision.below}",
        "complexity": law.complexity, "tau_complexity": tau_complexity,
        "most_accurate": {"law": most_accurate.equation(6), "complexity": most_accurate.complexity,
                          "training_accuracy": float(most_accurate.metrics["accuracy"]),
                          "cv_accuracy": float((accurate_row or law_row)["accuracy_mean"])},
        "training_accuracy": float(law.metrics["accuracy"]), "cv_accuracy": found_cv,
        "nested_cv_accuracy": None if nested is None else float(nested.table.iloc[0]["accuracy_mean"]),
        "tau_cv_accuracy_refit": float(tau_row["accuracy_mean"]), "tau_accuracy": float(np.mean(tau_published == y)),
        "t_accuracy": float(np.mean(t_prediction == y)),
        "double_accuracy": float(out_of_sample.loc[0, "accuracy"]),
        "double_balanced_accuracy": float(out_of_sample.loc[0, "balanced_accuracy"]),
        "double_tau_accuracy": float(out_of_sample.loc[1, "accuracy"]),
        "double_tau_balanced_accuracy": float(out_of_sample.loc[1, "balanced_accuracy"]),
        "per_anion": {row["anion"]: float(row["found (CV, threshold refit)"]) for _, row in per_anion.iterrows()},
        "target_cv_accuracy": PUBLISHED_ACCURACY["tau"], "sisso_options": {k: list(v) if isinstance(v, tuple) else v
                                                                            for k, v in options.items()},
        "time_limit": time_limit,
    }
    verdict = ("reaches" if found_cv >= PUBLISHED_ACCURACY["tau"] else "falls short of")
    write_summary(ctx, "Case study: a perovskite tolerance criterion from radii and oxidation states", [
        ("The criterion found", [
            f"sisso engine (every expression of up to {options['max_size']} nodes over operators + − × ÷ log, "
            f"1-D descriptor with a threshold), on the "
            f"576 ABX3 solids of Bartel et al. (2019) with rA, rB, rX, nA, nB, nX only (the radii as the ratios "
            f"rA/rB, rX/rB, rA/rX); the most accurate descriptor no more complex than τ:",
            ("code", f"{headline['rule']}, descriptor = {law.equation(6)}"),
            f"Complexity {law.complexity} (τ in the same features: {tau_complexity}); training accuracy "
            f"{law.metrics['accuracy']:.4f}; "
            f"5-fold CV accuracy with the threshold refit per fold {found_cv:.4f}, which {verdict} τ's "
            f"{PUBLISHED_ACCURACY['tau']:.3f}.",
            f"The most accurate descriptor of any complexity: {most_accurate.equation(6)} (complexity "
            f"{most_accurate.complexity}, training accuracy {most_accurate.metrics['accuracy']:.4f}, CV accuracy "
            f"{headline['most_accurate']['cv_accuracy']:.4f}).",
        ]),
        ("Same folds: the descriptor, τ, t and black boxes", [
            ("table", shown, "5-fold stratified CV (mean ± sd); 'search rerun' is the honest, nested estimate"),
            skipped_note(boxes),
        ]),
        ("Per anion", [("table", per_anion, "Accuracy per anion (found: pooled CV predictions; τ and t: as "
                                            "published)")]),
        ("Out of sample: 918 ICSD double perovskites", [
            "rB and nB are the means over the two B sites. The set is 94.6 % perovskites, so balanced accuracy and "
            "the recall of non-perovskites say more than accuracy.",
            ("table", out_of_sample, "A2BB'X6 compounds (icsd_A2BBX6.csv)"),
        ]),
        ("Files", ["run_perovskite/ (with baselines.csv), perovskite_cv.csv, perovskite_per_anion.csv, "
                   "perovskite_double.csv, perovskite_report.html, perovskite.tex, figures/, headline.json"]),
    ], figures=figures)
    return headline
