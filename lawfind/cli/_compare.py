"""``lawfind compare RUN_DIR``: baselines on the same folds, SHAP of the law and the best black box, comparison."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lawfind.cli._errors import user_errors
from lawfind.cli._format import check_law_option
from lawfind.exceptions import ConfigError

__all__ = ["register", "compare_command", "print_comparison"]


def _number(value: Any, digits: int = 4) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "–"
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def print_comparison(result: Any, console: Console | None = None) -> None:
    """The baselines table, the importance table and the summary, compactly."""
    console = console or Console()
    metrics = ("r2", "rmse") if result.task == "regression" else ("accuracy", "balanced_accuracy")
    table = Table(title=f"Same {result.config['cv']} folds (seed {result.config['seed']})", title_justify="left")
    for column in ("model", *[f"{m} (sd)" for m in metrics], "status"):
        table.add_column(column, justify="left" if column in ("model", "status") else "right")
    for row in result.baselines.to_dict("records"):
        name = row["model"] + (" ← explained" if row["model"] == result.model else "")
        cells = [f"{_number(row[f'{m}_mean'])} ({_number(row[f'{m}_sd'], 2)})" for m in metrics]
        table.add_row(escape(name), *cells, escape(str(row["status"])), style="bold" if row["kind"] == "law" else None)
    console.print(table)
    for row in result.baselines.to_dict("records"):  # say why a row has no scores
        if isinstance(row[f"{metrics[0]}_mean"], float) and math.isnan(row[f"{metrics[0]}_mean"]) and row.get("note"):
            console.print(f"{escape(row['model'])}: {escape(str(row['note']))}", highlight=False, soft_wrap=True)
    importance = Table(title=f"Mean |SHAP| share: law vs {escape(result.model)}", title_justify="left")
    for column in ("feature", "law", result.model, "law uses it"):
        importance.add_column(escape(column), justify="left" if column == "feature" else "right")
    for row in result.comparison.importance.head(12).to_dict("records"):
        importance.add_row(escape(str(row["feature"])), f"{100 * row['law_share']:.1f} %",
                           f"{100 * row['black_box_share']:.1f} %", "yes" if row["used_by_law"] else "no")
    console.print(importance)
    console.print(escape(result.comparison.summary()), highlight=False, soft_wrap=True)
    law, model = result.law_explanation, result.model_explanation
    console.print(f"SHAP (interventional, {law.background_size} background rows, {law.n_rows} rows): law "
                  f"{_METHODS.get(law.method, law.method)} in {law.seconds:.3g} s (max additivity error "
                  f"{law.max_additivity_error:.2g}); {escape(result.model)} {_METHODS.get(model.method, model.method)} "
                  f"in {model.seconds:.3g} s (max additivity error {model.max_additivity_error:.2g})", highlight=False,
                  soft_wrap=True)
    if result.path is not None:
        console.print(f"saved to {escape(str(result.path))}", highlight=False, soft_wrap=True)


#: How each SHAP method is named in the summary line.
_METHODS = {"additive": "closed form per term", "linear": "closed form (linear model)", "tree": "TreeExplainer",
            "exact": "Exact explainer", "permutation": "Permutation explainer"}


@user_errors
def compare_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by 'lawfind discover'.")],
    models: Annotated[Optional[str], typer.Option(help="Comma-separated black boxes (default: all), e.g. "
                                                  "'ridge,random forest'.")] = None,
    cv: Annotated[int, typer.Option(help="Number of cross-validation folds (stratified for classification).")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the folds, the models and the row samples.")] = 0,
    law: Annotated[Optional[int], typer.Option("--law", help="Index of the law on the front (default: the picked "
                                               "one).")] = None,
    explain: Annotated[Optional[str], typer.Option(help="Black box to explain (default: the best cross-validated "
                                                   "one).")] = None,
    background: Annotated[int, typer.Option(help="Background rows for SHAP (the same for the law and the black "
                                            "box).")] = 100,
    max_rows: Annotated[int, typer.Option(help="Rows to explain (a seeded sample when the data have more).")] = 500,
    top: Annotated[int, typer.Option(help="Rows where the law and the black box disagree most, to list.")] = 10,
    data: Annotated[Optional[str], typer.Option("--data", help="The training data, if they moved: a CSV path or "
                                                "datasets:<name> (checked against the run's hash).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print comparison.json instead of tables.")] = False,
) -> None:
    """Add black-box baselines (same folds), SHAP of the law and the best black box, and their comparison to
    RUN_DIR (written to RUN_DIR/compare/)."""
    from lawfind._progress import rich_progress
    from lawfind.explain import compare
    from lawfind.run import Run

    names = None
    if models is not None:
        names = [m.strip() for m in models.split(",")]
        if not all(names):
            raise ConfigError(f"--models {models!r} has an empty name; give comma-separated model names")
    if law is not None:
        check_law_option(Run.load(run_dir), law)
    with rich_progress("compare", enabled=not as_json) as progress:
        result = compare(run_dir, data=data, law=law, models=names, cv=cv, seed=seed, explain=explain,
                         background=background, max_rows=max_rows, top=top, progress=progress)
    if as_json:
        print((result.path / "comparison.json").read_text(encoding="utf-8").strip() if result.path else
              json.dumps(result.comparison.to_dict()))
    else:
        print_comparison(result)


def register(app: typer.Typer) -> None:
    """Add the ``compare`` command to ``app``."""
    app.command("compare")(compare_command)
