"""Case study ``double_perovskite_gap``: a band-gap law for 1,306 A1B1A2B2O6 double perovskites.

Pilania et al., Sci. Rep. 6, 19375 (2016), learned GLLB-SC band gaps from elemental
properties of the four sites with kernel ridge regression and found the atomic LUMO
energies and electronegativities of the sites the most informative; Gao et al. (2021)
used gradient boosting (XGBoost) on similar site features.  Here every site gets its
LUMO energy (the matminer companion table), Pauling electronegativity and group
(pymatgen), plus the B-site extremes; a closed-form law is searched and compared with
gradient boosting and other black boxes on the same 5 folds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.casestudies._base import Context, register
from lawfind.casestudies._outputs import display_table, save_run, skipped_note, write_latex, write_report
from lawfind.casestudies._outputs import write_summary
from lawfind.exceptions import DataError, MissingDependencyError

__all__ = ["double_perovskite_gap", "site_features", "SITES"]

SITES = ("a_1", "b_1", "a_2", "b_2")


def site_features(frame: pd.DataFrame, lumo: pd.DataFrame) -> pd.DataFrame:
    """Elemental features of each site: LUMO energy (eV), Pauling electronegativity and group.

    Parameters
    ----------
    frame : DataFrame
        The double-perovskite table (columns ``a_1``, ``b_1``, ``a_2``, ``b_2``: element symbols).
    lumo : DataFrame
        Columns ``atom`` and ``lumo`` (dataset ``double_perovskite_lumo``).

    Returns
    -------
    DataFrame
        ``LUMO_<site>``, ``chi_<site>``, ``group_<site>`` for each site, and ``LUMO_B_min``,
        ``LUMO_B_max``, ``chi_B_max`` (extremes over the two B sites), on ``frame``'s index.
    """
    try:
        from pymatgen.core import Element
    except ImportError as exc:  # pragma: no cover - pymatgen is in the test extra
        raise MissingDependencyError("the double_perovskite_gap study needs pymatgen for electronegativities: "
                                     "pip install 'lawfind[materials]'") from exc
    table = dict(zip(lumo["atom"].astype(str), lumo["lumo"].astype(float)))
    out = pd.DataFrame(index=frame.index)
    for site in SITES:
        symbols = frame[site].astype(str)
        missing = sorted(set(symbols) - set(table))
        if missing:
            raise DataError(f"no LUMO energy for element(s) {missing} on site {site!r}: the LUMO table must list "
                            "every element of the gap table")
        out[f"LUMO_{site}"] = symbols.map(table)
        out[f"chi_{site}"] = symbols.map(lambda symbol: float(Element(symbol).X))
        out[f"group_{site}"] = symbols.map(lambda symbol: float(Element(symbol).group))
    out["LUMO_B_min"] = out[["LUMO_b_1", "LUMO_b_2"]].min(axis=1)
    out["LUMO_B_max"] = out[["LUMO_b_1", "LUMO_b_2"]].max(axis=1)
    out["chi_B_max"] = out[["chi_b_1", "chi_b_2"]].max(axis=1)
    return out


@register("double_perovskite_gap", "Band-gap law for 1,306 double perovskites vs gradient boosting (Pilania 2016)",
          ("double_perovskite_gaps", "double_perovskite_lumo"))
def double_perovskite_gap(ctx: Context) -> dict[str, Any]:
    """Run the study into ``ctx.out``; returns the headline numbers."""
    import lawfind
    from lawfind.baselines import cross_validate_baselines, cross_validate_law, make_folds
    from lawfind.data import Dataset
    from lawfind.datasets import info, load

    entry = info("double_perovskite_gaps")
    gaps = load("double_perovskite_gaps").reset_index(drop=True)
    features = site_features(gaps, load("double_perovskite_lumo"))
    frame = pd.concat([gaps[["formula", entry.target]], features], axis=1)
    units = {entry.target: "eV", **{c: "eV" for c in features if c.startswith("LUMO")}}
    data = Dataset.from_frame(frame, entry.target, list(features.columns), units=units,
                              source="datasets:double_perovskite_gaps + site LUMO, electronegativity, group")
    folds = make_folds(data.y, cv=5, seed=ctx.seed)
    time_limit = ctx.budget(10, 120)
    ctx.log(f"double perovskites: law search ({time_limit:g} s) on {len(features.columns)} site features")
    run = lawfind.discover(data, time_limit=time_limit, seed=ctx.seed, units_check="filter")
    law = run.best
    engine_name = str(run.config["engine"]["name"])
    max_terms = 3 if ctx.quick else 5
    sparse = lawfind.discover(data, engine="sparse", time_limit=ctx.budget(5, 30), seed=ctx.seed,
                              max_terms=max_terms)
    sparse_law = sparse.best

    ctx.log("double perovskites: the laws and black boxes on the same 5 folds")
    rows = [cross_validate_law(law, data.frame, data.y, folds, name=f"law ({engine_name}): {law.equation(3)}"),
            cross_validate_law(sparse_law, data.frame, data.y, folds, name=f"sparse law: {sparse_law.equation(3)}")]
    models = (["ridge", "hist. gradient boosting"] if ctx.quick else None)
    boxes = cross_validate_baselines(data.X, data.y, cv=folds, seed=ctx.seed, models=models)
    table = pd.concat([pd.DataFrame(rows), boxes], ignore_index=True)
    ok = boxes[boxes["status"] == "ok"]
    boosting = ok[ok["model"].isin(["hist. gradient boosting", "XGBoost", "LightGBM"])]
    best_boost = boosting.loc[boosting["rmse_mean"].idxmin()] if not boosting.empty else None

    save_run(ctx, run, "run_gap", table)
    figures = write_report(ctx, run, data, prefix="gap", title="Band gaps of double-perovskite oxides")
    shown = display_table(table)
    write_latex(ctx, run, data, filename="gap.tex",
                tables=[(shown, "5-fold CV on the same folds (mean ± sd)")],
                title="Band gaps of 1,306 double-perovskite oxides")
    table.to_csv(ctx.out / "gap_cv.csv", index=False)
    headline = {
        "law": f"{data.target} = {law.equation(6)}", "law_cv_rmse": float(rows[0]["rmse_mean"]),
        "law_cv_r2": float(rows[0]["r2_mean"]), "law_complexity": law.complexity,
        "law_constants": len(law.constants), "engine": engine_name,
        "sparse_law": f"{data.target} = {sparse_law.equation(6)}", "sparse_cv_rmse": float(rows[1]["rmse_mean"]),
        "boosting_model": None if best_boost is None else str(best_boost["model"]),
        "boosting_cv_rmse": None if best_boost is None else float(best_boost["rmse_mean"]),
        "boosting_cv_r2": None if best_boost is None else float(best_boost["r2_mean"]),
        "target_std": float(np.std(data.y)), "time_limit": time_limit,
        "laws_unit_dependent": int(run.info["units_check"]["inconsistent"]),
        "library_terms_left_out_for_units": (run.info.get("units") or {}).get("library_terms_left_out"),
    }
    write_summary(ctx, "Case study: band gaps of double-perovskite oxides", [
        ("The law", [
            f"Search ({engine_name}, {time_limit:g} s) over {len(features.columns)} site features (LUMO energy, "
            f"electronegativity and group of A1, B1, A2, B2; B-site extremes) of {data.n_rows} compounds:",
            ("code", headline["law"]),
            f"5-fold CV RMSE {headline['law_cv_rmse']:.3f} eV (R² {headline['law_cv_r2']:.3f}), complexity "
            f"{law.complexity}, {len(law.constants)} constants; the gaps' standard deviation is "
            f"{headline['target_std']:.2f} eV. The best sparse linear law (≤ {max_terms} terms): "
            f"CV RMSE {headline['sparse_cv_rmse']:.3f} eV.",
            _units_sentence(run),
        ]),
        ("Same folds: laws and black boxes", [
            ("table", shown, "5-fold CV (mean ± sd)"),
            "" if best_boost is None else
            f"Gradient boosting ({best_boost['model']}, the model family of Gao et al. 2021) reaches CV RMSE "
            f"{best_boost['rmse_mean']:.3f} eV: the gap between it and the law is the price of a closed form.",
            skipped_note(boxes),
        ]),
        ("Files", ["run_gap/ (with baselines.csv), gap_cv.csv, gap_report.html, gap.tex, figures/, headline.json"]),
    ], figures=figures)
    return headline


def _units_sentence(run: Any) -> str:
    """How the LUMO energies' unit (eV) shaped the search: left-out forms and filtered laws."""
    checked = run.info["units_check"]
    engine_units = run.info.get("units")
    left_out = "" if not isinstance(engine_units, dict) or "library_terms_left_out" not in engine_units else (
        f"the portfolio searched with that unit, leaving out {engine_units['library_terms_left_out']} library terms "
        f"(exp, sin or cos of an energy) and the target transforms {', '.join(engine_units['transforms_left_out'])}; ")
    return (f"The LUMO energies and the gap are in eV: {left_out}{checked['inconsistent']} of the {checked['checked']} "
            "laws found still depend on the unit (from the operon runs, which search without units) and were kept "
            "off the front (units_check=filter).")
