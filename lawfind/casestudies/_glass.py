"""Case study ``glass_forming``: can a metallic alloy be made a glass by melt spinning? (Matbench ``matbench_glass``).

5,680 compositions from the Landolt–Börnstein data (Dunn et al. 2020; 4,035 glass
formers).  The compositions are featurized with Magpie-style elemental statistics
(:mod:`lawfind.materials`), narrowed by :func:`lawfind.features.select`, and the ``sisso``
engine searches a classification law (a descriptor or a linear separator of two with a
threshold) that is scored next to black boxes on the same stratified folds, and, in full
mode, with the whole selection + search rerun inside each training fold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.casestudies._base import Context, register
from lawfind.casestudies._outputs import display_table, save_axes, save_run, skipped_note, write_latex, write_report
from lawfind.casestudies._outputs import write_summary

__all__ = ["glass_forming"]


@register("glass_forming", "Metallic-glass formation from composition: a classification law vs black boxes "
          "(matbench_glass)", ("matbench_glass",), parallel=True)
def glass_forming(ctx: Context) -> dict[str, Any]:
    """Run the study into ``ctx.out``; returns the headline numbers."""
    import lawfind
    from lawfind.baselines import cross_validate_baselines, cross_validate_law, make_folds, nested_cross_validate
    from lawfind.data import Dataset
    from lawfind.datasets import load
    from lawfind.features._select import select_dataset
    from lawfind.materials import composition_features
    from lawfind.report import plot_class_separation

    raw = load("matbench_glass").reset_index(drop=True)
    ctx.log(f"glass: Magpie-style features of {len(raw)} compositions")
    features = composition_features(raw, "composition")
    units = {k: v for k, v in features.attrs.get("units", {}).items() if v}
    frame = pd.concat([raw[["composition"]], features, raw[["gfa"]].astype(bool)], axis=1)
    data = Dataset.from_frame(frame, "gfa", list(features.columns), task="classification", units=units,
                              source="datasets:matbench_glass + lawfind.materials.composition_features")
    y = np.asarray(data.y, dtype=bool)
    folds = make_folds(y, task="classification", cv=5, seed=ctx.seed)
    options = {"task": "classification", "rung": 1 if ctx.quick else 2, "max_dimension": 2,
               "metric": "balanced_accuracy", "sis_size": 50 if ctx.quick else 100, "n_models": 5}
    time_limit = ctx.budget(20, 300)
    ctx.log("glass: feature selection ('auto')")
    selected, selection = select_dataset(data, "auto", seed=ctx.seed)
    selection.report.to_csv(ctx.out / "glass_selection.csv", index=False)
    ctx.log(f"glass: sisso on {len(selection.kept)} kept features (rung {options['rung']}, up to 2 descriptors), "
            f"{time_limit:g} s")
    run = lawfind.discover(selected, engine="sisso", time_limit=time_limit, seed=ctx.seed, **options)
    law = max(run.front, key=lambda item: (item.metrics["balanced_accuracy"], -item.complexity))

    ctx.log("glass: the law and black boxes on the same 5 folds")
    rows = [cross_validate_law(law, data.frame, y, folds, name=f"law: {law.equation(3)} (threshold refit)",
                               threshold_metric="balanced_accuracy")]
    nested = None
    if not ctx.quick:
        ctx.log("glass: nested CV (selection and search rerun in each training fold)")
        nested = nested_cross_validate(data, cv=folds, engine="sisso", time_limit=ctx.budget(10, 120),
                                       seed=ctx.seed, baselines=False, select="auto", executor=ctx.executor,
                                       **options)
        rows.append(nested.table.iloc[0].to_dict() | {"model": "law search rerun in each training fold"})
    # quick mode: fast black boxes on the kept features; full mode: every default model on all features
    models = ["logistic", "decision tree", "random forest"] if ctx.quick else None
    inputs = selected.X if ctx.quick else data.X
    boxes = cross_validate_baselines(inputs, y, task="classification", cv=folds, seed=ctx.seed, models=models)
    majority = float(max(y.mean(), 1 - y.mean()))
    table = pd.concat([pd.DataFrame(rows), boxes], ignore_index=True)
    ok = boxes[boxes["status"] == "ok"]
    best = ok.loc[ok["balanced_accuracy_mean"].idxmax()]

    save_run(ctx, run, "run_glass", table)
    figures = write_report(ctx, run, selected, prefix="glass", title="Metallic-glass formation from composition")
    figures.append(save_axes(ctx, plot_class_separation(law.decision_function(data.frame), y,
                                                        law.decision.threshold, name="law value"),
                             "glass_law_values"))
    shown = display_table(table)
    write_latex(ctx, run, selected, filename="glass.tex",
                tables=[(shown, "5-fold stratified CV (mean ± sd), same folds for every row")],
                title="Metallic-glass formation from composition")
    table.to_csv(ctx.out / "glass_cv.csv", index=False)
    headline = {
        "law": law.equation(6), "rule": f"{law.decision.above} if value > {law.decision.threshold:.6g} "
                                        f"else {law.decision.below}",
        "complexity": law.complexity, "n_features": int(features.shape[1]),
        "n_selected": len(selection.kept), "selected": list(selection.kept),
        "training_accuracy": float(law.metrics["accuracy"]),
        "training_balanced_accuracy": float(law.metrics["balanced_accuracy"]),
        "cv_accuracy": float(rows[0]["accuracy_mean"]), "cv_balanced_accuracy": float(rows[0]["balanced_accuracy_mean"]),
        "nested_cv_balanced_accuracy": None if nested is None else float(nested.table.iloc[0]["balanced_accuracy_mean"]),
        "best_black_box": str(best["model"]), "best_black_box_cv_accuracy": float(best["accuracy_mean"]),
        "best_black_box_cv_balanced_accuracy": float(best["balanced_accuracy_mean"]),
        "majority_class_accuracy": majority, "time_limit": time_limit,
    }
    write_summary(ctx, "Case study: metallic-glass formation from composition", [
        ("The law", [
            f"{features.shape[1]} Magpie-style composition features (lawfind.materials), narrowed by "
            f"lawfind.features.select('auto') to {len(selection.kept)}, then the sisso engine (rung {options['rung']}, up to two "
            f"descriptors with a linear separator, balanced accuracy) on {len(raw)} alloys:",
            ("code", f"{headline['rule']}, value = {law.equation(6)}"),
            f"Training accuracy {headline['training_accuracy']:.3f} (balanced {headline['training_balanced_accuracy']:.3f}); "
            f"5-fold CV {headline['cv_accuracy']:.3f} (balanced {headline['cv_balanced_accuracy']:.3f}), threshold "
            f"refit per fold. Predicting the majority class gives accuracy {majority:.3f}.",
        ]),
        ("Same folds: the law and black boxes", [
            ("table", shown, "5-fold stratified CV (mean ± sd)"),
            f"The best black box ({best['model']}) reaches balanced accuracy {best['balanced_accuracy_mean']:.3f}: "
            "composition statistics carry more information than a two-descriptor law uses.",
            skipped_note(boxes),
        ]),
        ("Files", ["run_glass/ (with baselines.csv), glass_selection.csv (every feature, kept or dropped, and why), glass_cv.csv, glass_report.html, "
                   "glass.tex, figures/, headline.json"]),
    ], figures=figures)
    return headline
