"""Case study ``steel_composition``: alloy composition → yield strength of 312 steels (Matbench ``matbench_steels``).

The law search (sparse engine, at most 10 terms) is compared with black boxes under
nested cross-validation on Matbench's own outer folds (``KFold(5, shuffle=True,
random_state=18012019)`` on the rows in the order given; ``steel_strength`` has the same
rows in the same order as ``matbench_steels``, with the composition as wt% columns).
Matbench v0.1 leaderboard MAE: random forest on Magpie features 103.5 MPa, best 80.0 MPa.
"""

from __future__ import annotations

from typing import Any

from lawfind.casestudies._base import Context, register
from lawfind.casestudies._nested_study import nested_law_study
from lawfind.casestudies._outputs import write_summary

__all__ = ["steel_composition", "MATBENCH_SEED", "MATBENCH_MAE", "TARGET_MAE", "MAX_TERMS", "LIBRARY"]

#: Matbench's fold seed (``matbench.constants``).
MATBENCH_SEED = 18012019
#: Matbench v0.1 ``matbench_steels`` leaderboard, MAE in MPa.
MATBENCH_MAE = {"RF-SCM/Magpie (random forest, Magpie features)": 103.5, "best on the leaderboard": 80.0}
#: The goal of the study: a law with at most MAX_TERMS terms and nested MAE at most TARGET_MAE.
TARGET_MAE = 100.0
MAX_TERMS = 10
#: The law library for wt% columns, most of them zero in some steels (where log x and 1/x are
#: undefined): every element's content x, log(x + s) and 1/(x + s) for s = 0.01, 0.1 and 1 wt%
#: (saturating responses), and the product of every two of these terms — 4,143 terms in all.
LIBRARY = {"powers": (), "include_log": False, "interactions": False, "shifts": (0.01, 0.1, 1.0),
           "term_products": True, "max_library_size": 5000}


@register("steel_composition", "Composition → yield strength of 312 steels (law vs black boxes, nested CV)",
          ("steel_strength",))
def steel_composition(ctx: Context) -> dict[str, Any]:
    """Run the study into ``ctx.out``; returns the headline numbers."""
    import pandas as pd
    from sklearn.model_selection import KFold

    from lawfind.datasets import load_dataset

    data = load_dataset("steel_strength")
    folds = list(KFold(5, shuffle=True, random_state=MATBENCH_SEED).split(data.X))
    options = {"max_terms": 4 if ctx.quick else MAX_TERMS, "method": "omp", "criterion": "bic", **LIBRARY}
    headline, items, figures, _ = nested_law_study(
        ctx, data, prefix="yield", folds=folds, engine="sparse", time_limit=ctx.budget(5, 30),
        fold_time_limit=ctx.budget(3, 30), engine_options=options,
        title="Yield strength from composition (312 steels)",
    )
    reference = pd.DataFrame({"model": list(MATBENCH_MAE), "MAE (MPa)": list(MATBENCH_MAE.values())})
    met = headline["nested_mae"] <= TARGET_MAE and headline["n_terms"] <= MAX_TERMS
    headline.update(matbench_rf_magpie_mae=MATBENCH_MAE["RF-SCM/Magpie (random forest, Magpie features)"],
                    matbench_best_mae=MATBENCH_MAE["best on the leaderboard"], target_mae=TARGET_MAE,
                    target_met=bool(met))
    verdict = (f"Goal (nested MAE ≤ {TARGET_MAE:g} MPa with ≤ {MAX_TERMS} terms): "
               + ("met." if met else f"not met — the law search reaches {headline['nested_mae']:.4g} MPa."))
    write_summary(ctx, "Case study: yield strength from composition (312 steels)", [
        ("Law against black boxes", items + [verdict]),
        ("Literature (Matbench v0.1, same 5 outer folds, Magpie features)", [
            ("table", reference, "matbench_steels leaderboard MAE"),
            "The black boxes here use the 13 wt% columns, not Magpie features.",
        ]),
        ("Files", ["run_yield/ (the run on all rows, with baselines.csv = the nested table), yield_nested_folds.csv, "
                   "yield_report.html, yield.tex, figures/, headline.json"]),
    ], figures=figures)
    return headline
