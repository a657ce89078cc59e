"""Terminal and JSON views of runs and laws (no science here)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lawfind.law import Law
from lawfind.run import Run

__all__ = ["law_json", "run_json", "print_run"]


def law_json(law: Law) -> dict[str, Any]:
    """The CLI's JSON view of one law."""
    return {
        "expression": law.equation(),
        "latex": law.latex(),
        "complexity": law.complexity,
        "metrics": {k: float(v) for k, v in law.metrics.items()},
        "features": law.features,
    }


def run_json(run: Run) -> dict[str, Any]:
    """The CLI's JSON view of a run: ``best``, ``front`` and where it is saved."""
    return {
        "target": run.data.get("target"),
        "best": law_json(run.best),
        "best_index": run.front.best_index,
        "front": [law_json(law) for law in run.front],
        "status": run.status,
        "run_dir": str(run.path) if run.path else None,
    }


def print_run(run: Run, console: Console | None = None) -> None:
    """Print the Pareto front as a table and the picked law underneath."""
    console = console or Console()
    target = run.data.get("target", "y")
    table = Table(title=f"Pareto front for {escape(str(target))} ({len(run.front)} laws)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("complexity", justify="right")
    table.add_column("R²", justify="right")
    table.add_column("RMSE", justify="right")
    table.add_column("law", overflow="fold")  # never cut a law short
    for i, law in enumerate(run.front):
        mark = "→ " if i == run.front.best_index else ""
        table.add_row(
            f"{mark}{i}",
            str(law.complexity),
            f"{law.metrics.get('r2', float('nan')):.6f}",
            f"{law.metrics.get('rmse', float('nan')):.4g}",
            escape(law.equation(6)),
            style="bold" if mark else None,
        )
    console.print(table)
    console.print(f"[bold]picked:[/bold] {escape(str(target))} = {escape(run.best.equation(6))}", highlight=False, soft_wrap=True)
    details = f"complexity {run.best.complexity}, R² {run.best.metrics.get('r2', float('nan')):.6f}"
    console.print(f"  {details}; {run.status} in {run.seconds:.1f} s", highlight=False)
    if run.status == "interrupted":
        console.print("  [yellow]the search was interrupted: this is the best-so-far front[/yellow]")
    if run.path:
        console.print(f"  saved to {escape(str(run.path))}", highlight=False, soft_wrap=True)
