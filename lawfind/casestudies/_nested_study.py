"""Shared body of the studies that compare a law search with black boxes under nested cross-validation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from lawfind.casestudies._base import Context
from lawfind.casestudies._outputs import QUICK_MODELS, display_table, save_run, skipped_note, write_latex, write_report

__all__ = ["nested_law_study"]


def nested_law_study(ctx: Context, data: Any, *, prefix: str, folds: Any, engine: str, time_limit: float,
                     fold_time_limit: float, engine_options: dict[str, Any], title: str,
                     references: Sequence[Any] = ()) -> tuple[dict[str, Any], list[Any], list[str], pd.DataFrame]:
    """Search the whole data once (the law to print), then rerun the search inside each outer fold.

    Returns
    -------
    headline : dict
        ``law``, ``n_terms`` (float constants), ``r2``/``mae`` on all rows, ``nested_*`` of the
        law search, ``best_black_box`` and its nested MAE/R².
    items : list
        Summary blocks (paragraphs, tables).
    figures : list of str
    table : DataFrame
        The comparison (law search first, then the black boxes).
    """
    import lawfind
    from lawfind.baselines import nested_cross_validate

    ctx.log(f"{prefix}: {engine} search on all {data.n_rows} rows ({time_limit:g} s)")
    run = lawfind.discover(data, engine=engine, time_limit=time_limit, seed=ctx.seed, **engine_options)
    law = run.best
    ctx.log(f"{prefix}: nested cross-validation ({len(folds)} outer folds, law search rerun in each)")
    nested = nested_cross_validate(
        data, cv=folds, engine=engine, time_limit=fold_time_limit, seed=ctx.seed,
        models=list(QUICK_MODELS) if ctx.quick else None,
        progress=lambda done, total: ctx.log(f"{prefix}: outer fold {done}/{total} done"), executor=ctx.executor,
        **engine_options,
    )
    table = nested.table
    save_run(ctx, run, f"run_{prefix}", table)
    nested.folds.to_csv(ctx.out / f"{prefix}_nested_folds.csv", index=False)
    figures = write_report(ctx, run, data, prefix=prefix, references=references, title=title)
    shown = display_table(table)
    write_latex(ctx, run, data, filename=f"{prefix}.tex",
                tables=[(shown, f"Nested cross-validation on {len(folds)} outer folds (mean ± sd)")], title=title)
    row = nested.law_row()
    boxes = table[(table["kind"] == "black box") & (table["status"] == "ok")]
    best = boxes.loc[boxes["mae_mean"].idxmin()] if len(boxes) else None
    headline = {
        "law": f"{data.target} = {law.equation(6)}", "n_terms": len(law.constants) - _has_intercept(law),
        "n_constants": len(law.constants), "complexity": law.complexity,
        "r2": law.metrics["r2"], "rmse": law.metrics["rmse"], "mae": law.metrics["mae"],
        "nested_mae": float(row["mae_mean"]), "nested_mae_sd": float(row["mae_sd"]),
        "nested_r2": float(row["r2_mean"]), "nested_rmse": float(row["rmse_mean"]),
        "nested_constants_per_fold": nested.folds["n_constants"].tolist(),
        "best_black_box": None if best is None else best["model"],
        "best_black_box_nested_mae": None if best is None else float(best["mae_mean"]),
        "best_black_box_nested_r2": None if best is None else float(best["r2_mean"]),
        "engine": engine, "engine_options": dict(engine_options), "fold_time_limit": fold_time_limit,
    }
    items: list[Any] = [
        f"Law found on all {data.n_rows} rows ({engine}, {time_limit:g} s): {headline['n_constants']} constants, "
        f"complexity {law.complexity}, training R² {law.metrics['r2']:.4f}, MAE {law.metrics['mae']:.4g}.",
        ("code", headline["law"]),
        f"Nested cross-validation: the {engine} search ({fold_time_limit:g} s per fold, options {engine_options}) "
        f"was rerun inside each of {len(folds)} outer training folds; its picked law scored MAE "
        f"{row['mae_mean']:.4g} ± {row['mae_sd']:.2g} and R² {row['r2_mean']:.4f} on the held-out folds.",
        ("table", shown, "Nested cross-validation, same outer folds for every row (mean ± sd)"),
        ("table", nested.folds.drop(columns=["n_train"]), "The law picked in each outer fold"),
        skipped_note(table),
    ]
    return headline, items, figures, table


def _has_intercept(law: Any) -> int:
    """1 if the law has an additive constant term (not counted as a term)."""
    expression = law.expression
    return int(expression.is_Add and any(arg.is_Number for arg in expression.args))
