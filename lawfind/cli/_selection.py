"""Terminal and JSON views of a feature selection (``lawfind discover --select``); no science here."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

__all__ = ["print_selection", "selection_json", "SELECT_HELP"]

SELECT_HELP = ("Feature selection before the search: none (default), auto (constant, correlation, mutual_info, "
               "lasso) or comma-separated steps from constant, correlation, mutual_info, sis, lasso, stability, "
               "rfecv, permutation.")
#: Rows shown per step before the rest is summarised (the full report is in selection.csv).
MAX_ROWS_PER_STEP = 12


def selection_json(record: dict[str, Any]) -> dict[str, Any]:
    """The CLI's JSON view: kept columns, steps, and each dropped column with its step and reason."""
    return {
        "steps": record.get("steps", []),
        "kept": record.get("kept", []),
        "dropped": [{"feature": r["feature"], "step": r["step"], "reason": r["reason"]}
                    for r in record.get("report", []) if r.get("step") != "kept"],
        "seconds": record.get("seconds"),
    }


def print_selection(record: dict[str, Any], console: Console | None = None, *, where: str | None = None) -> None:
    """A compact table: every kept column, and the dropped ones grouped by the step that dropped them."""
    console = console or Console()
    rows = record.get("report", [])
    kept = [r for r in rows if r.get("step") == "kept"]
    table = Table(title=f"Feature selection ({', '.join(record.get('steps', [])) or 'none'}): kept {len(kept)} of "
                        f"{len(rows)}", title_justify="left")
    table.add_column("feature", overflow="fold")
    table.add_column("kept / dropped by")
    table.add_column("score", justify="right")
    table.add_column("reason", overflow="fold")
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for r in rows:
        step = str(r.get("step"))
        if step != "kept" and shown.get(step, 0) >= MAX_ROWS_PER_STEP:
            hidden[step] = hidden.get(step, 0) + 1
            continue
        shown[step] = shown.get(step, 0) + 1
        score = r.get("score")
        table.add_row(escape(str(r.get("feature"))), step if step == "kept" else f"dropped: {step}",
                      "" if score is None else f"{score:.3g}", escape(str(r.get("reason"))),
                      style="bold" if step == "kept" else "dim")
    console.print(table)
    for step, n in hidden.items():
        console.print(f"  … and {n} more dropped by {step}", highlight=False)
    if where:
        console.print(f"  full report: {escape(where)}", highlight=False, soft_wrap=True)
