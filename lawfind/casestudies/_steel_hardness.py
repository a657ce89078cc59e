"""Case study ``steel_hardness``: tensile and fatigue strength against hardness (NIMS, 360 steels).

1. Rediscover a linear strength–hardness law and score it next to Pavlina & Van Tyne
   (2008), ``UTS = −99.8 + 3.734·HV`` (their R² 0.935 on their own data), on the same
   rows and on the same cross-validation folds as black-box models.
2. Test the rule of thumb *fatigue strength ≈ 0.5 × tensile strength*: fit the ratio
   (a law through the origin), give its interval and R², and compare with the fixed 0.5.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.casestudies._base import Context, register
from lawfind.casestudies._outputs import (
    QUICK_MODELS, display_table, save_axes, save_run, skipped_note, write_latex, write_report, write_summary,
)

__all__ = ["steel_hardness", "PAVLINA", "FATIGUE", "TENSILE"]

TENSILE = "Tensile Strength"
FATIGUE = "Fatigue Strength (10E7 Cycles)"
#: Pavlina & Van Tyne, J. Mater. Eng. Perform. 17, 888 (2008), DOI 10.1007/s11665-008-9225-5.
PAVLINA = ("Pavlina & Van Tyne 2008", "-99.8 + 3.734*HV", {"HV": "Hardness"})


def _intervals(ctx: Context, law: Any, data: Any, y: Any = None) -> Any:
    from lawfind.uncertainty import asymptotic_intervals, bootstrap_intervals

    if ctx.quick:
        return asymptotic_intervals(law, data, y)
    return bootstrap_intervals(law, data, y, n_resamples=1000, seed=ctx.seed)


def _tensile(ctx: Context) -> tuple[dict[str, Any], list[Any], list[str]]:
    import lawfind
    from lawfind.baselines import cross_validate_baselines, cross_validate_law, make_folds
    from lawfind.datasets import load_dataset
    from lawfind.report import ReferenceLaw, reference_scores

    data = load_dataset("steel_hardness_nims")
    ctx.log(f"tensile strength: sparse search on {data.n_rows} rows")
    run = lawfind.discover(data, engine="sparse", time_limit=ctx.budget(5, 20), seed=ctx.seed)
    law = run.best
    reference = ReferenceLaw(*PAVLINA)
    reference_law = reference.to_law(list(data.features), data.target)
    scores = reference_scores({"this work (lawfind, sparse)": law, reference.label: reference_law},
                              data.frame, data.target)
    ctx.log("tensile strength: black boxes on the same 5 folds")
    folds = make_folds(data.y, cv=5, seed=ctx.seed)
    table = pd.concat([
        pd.DataFrame([cross_validate_law(law, data.frame, data.y, folds),
                      cross_validate_law(reference_law, data.frame, data.y, folds, refit=False,
                                         name=f"{reference.label} (as published)")]),
        cross_validate_baselines(data.X, data.y, cv=folds, seed=ctx.seed,
                                 models=list(QUICK_MODELS) if ctx.quick else None),
    ], ignore_index=True)
    intervals = _intervals(ctx, law, data)
    save_run(ctx, run, "run_tensile", table)
    figures = write_report(ctx, run, data, prefix="tensile", intervals=[intervals], references=[reference],
                           title="Tensile strength against hardness (NIMS)")
    shown = display_table(table)
    write_latex(ctx, run, data, filename="tensile.tex", intervals=intervals,
                tables=[(scores, "The law and Pavlina & Van Tyne (2008) on the same 360 steels"),
                        (shown, "Cross-validation on the same 5 folds (mean ± sd)")],
                title="Tensile strength against hardness")
    headline = {
        "uts_law": f"{data.target} = {law.equation(6)}",
        "uts_n_coefficients": len(law.constants),
        "uts_r2": law.metrics["r2"], "uts_rmse": law.metrics["rmse"], "uts_mae": law.metrics["mae"],
        "uts_coefficients_ci": intervals.to_frame()[["constant", "value", "lower", "upper"]].to_dict("records"),
        "uts_cv_r2": float(table.loc[0, "r2_mean"]), "uts_cv_mae": float(table.loc[0, "mae_mean"]),
        "pavlina_r2": float(scores.loc[1, "r2"]), "pavlina_rmse": float(scores.loc[1, "rmse"]),
        "pavlina_mae": float(scores.loc[1, "mae"]),
    }
    boxes = table[(table["kind"] == "black box") & (table["status"] == "ok")]
    best = boxes.loc[boxes["mae_mean"].idxmin()]
    headline.update(best_black_box=best["model"], best_black_box_cv_mae=float(best["mae_mean"]),
                    best_black_box_cv_r2=float(best["r2_mean"]))
    if not ctx.quick:
        ctx.log("tensile strength: operon search (30 s) as a cross-check")
        operon = lawfind.discover(data, engine="operon", time_limit=30, seed=ctx.seed)
        save_run(ctx, operon, "run_tensile_operon")
        headline.update(operon_law=f"{data.target} = {operon.best.equation(6)}", operon_r2=operon.best.metrics["r2"],
                        operon_same_structure=bool(operon.best.same_structure(law)))
    items: list[Any] = [
        f"The sparse engine picks a law with {len(law.constants)} coefficients: "
        f"R² {law.metrics['r2']:.4f}, RMSE {law.metrics['rmse']:.3g} MPa on {data.n_rows} steels; "
        f"cross-validated (structure fixed, constants refit per fold) R² {headline['uts_cv_r2']:.4f}.",
        ("code", headline["uts_law"]),
        ("table", intervals.to_frame(), "Constants with " + intervals.describe()),
        ("table", scores, "The law and Pavlina & Van Tyne (2008) on the same rows (they report R² 0.935 "
                          "on their data)"),
        ("table", shown, "Same 5 cross-validation folds for the law, the published law (not refit) and black boxes"),
        skipped_note(table),
    ]
    if "operon_law" in headline:
        items.append(f"Cross-check with the operon engine (30 s): {headline['operon_law']} "
                     f"(R² {headline['operon_r2']:.4f}; same structure: {headline['operon_same_structure']}).")
    return headline, items, figures


def _fatigue(ctx: Context) -> tuple[dict[str, Any], list[Any], list[str]]:
    from lawfind import Law
    from lawfind.baselines import cross_validate_law, make_folds, refit_law
    from lawfind.datasets import load
    from lawfind.law import regression_metrics
    from lawfind.report import plot_versus_feature

    frame = load("steel_hardness_nims")
    y = frame[FATIGUE].to_numpy(dtype=float)
    laws = {
        "fitted ratio r·UTS": refit_law(Law.from_string("0.5*x0", {"x0": TENSILE}, target=FATIGUE), frame, y),
        "rule 0.5·UTS": Law.from_string("x0/2", {"x0": TENSILE}, target=FATIGUE),
        "line a·UTS + b": refit_law(Law.from_string("0.5*x0 + 1.0", {"x0": TENSILE}, target=FATIGUE), frame, y),
        "fitted ratio r·HV": refit_law(Law.from_string("1.5*x0", {"x0": "Hardness"}, target=FATIGUE), frame, y),
    }
    folds = make_folds(y, cv=5, seed=ctx.seed)
    rows = []
    for label, law in laws.items():
        metrics = regression_metrics(y, law.predict(frame))
        cv = cross_validate_law(law, frame, y, folds, refit=bool(law.constants))
        rows.append({"law": label, "equation": f"Fatigue = {law.equation(5)}", "R²": metrics["r2"],
                     "RMSE": metrics["rmse"], "MAE": metrics["mae"], "CV R²": cv["r2_mean"], "CV MAE": cv["mae_mean"]})
    table = pd.DataFrame(rows)
    ratio_law = laws["fitted ratio r·UTS"]
    intervals = _intervals(ctx, ratio_law, frame, y)
    ratio, low, high = float(intervals.values[0]), float(intervals.lower[0]), float(intervals.upper[0])
    ax = plot_versus_feature(frame[TENSILE], y, {f"fitted ratio {ratio:.3f}": ratio_law.predict(frame),
                                                 "rule 0.5": 0.5 * frame[TENSILE].to_numpy(dtype=float)},
                             x_name=TENSILE, x_unit="MPa", y_name="fatigue strength", y_unit="MPa")
    figure = save_axes(ctx, ax, "fatigue_ratio")
    table.to_csv(ctx.out / "fatigue_ratio.csv", index=False)
    per_row = y / frame[TENSILE].to_numpy(dtype=float)
    headline = {
        "fatigue_ratio": ratio, "fatigue_ratio_low": low, "fatigue_ratio_high": high,
        "fatigue_ratio_interval": intervals.describe(),
        "fatigue_ratio_r2": float(table.loc[0, "R²"]), "fatigue_ratio_rmse": float(table.loc[0, "RMSE"]),
        "half_rule_r2": float(table.loc[1, "R²"]), "half_rule_rmse": float(table.loc[1, "RMSE"]),
        "fatigue_per_row_ratio_median": float(np.median(per_row)),
        "fatigue_per_row_ratio_range": [float(per_row.min()), float(per_row.max())],
    }
    items: list[Any] = [
        f"Fatigue strength (10⁷ cycles) = r × tensile strength with r = {ratio:.4f} "
        f"[{low:.4f}, {high:.4f}] ({intervals.describe()}); R² {headline['fatigue_ratio_r2']:.4f}. "
        f"The fixed rule r = 0.5 gives R² {headline['half_rule_r2']:.4f}. Per steel the ratio runs from "
        f"{per_row.min():.3f} to {per_row.max():.3f} (median {np.median(per_row):.3f}).",
        ("table", table, "Fatigue-strength rules on the same 360 steels; CV: 5 folds, constants refit per fold"),
    ]
    return headline, items, [figure]


@register("steel_hardness", "Tensile and fatigue strength against hardness (NIMS, 360 steels)",
          ("steel_hardness_nims",))
def steel_hardness(ctx: Context) -> dict[str, Any]:
    """Run the study into ``ctx.out``; returns the headline numbers."""
    tensile, tensile_items, tensile_figures = _tensile(ctx)
    fatigue, fatigue_items, fatigue_figure = _fatigue(ctx)
    write_summary(ctx, "Case study: strength against hardness (NIMS steels)", [
        ("Tensile strength ≈ linear in hardness", tensile_items),
        ("Fatigue strength ≈ 0.5 × tensile strength?", fatigue_items),
        ("Files", ["run_tensile/ (the run, with baselines.csv), tensile_report.html, tensile.tex, "
                   "fatigue_ratio.csv, figures/, headline.json"]),
    ], figures=tensile_figures + fatigue_figure)
    return {**tensile, **fatigue}
