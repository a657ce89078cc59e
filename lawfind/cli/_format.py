"""Terminal and JSON views of runs and laws (no science here)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lawfind.law import Law
from lawfind.run import Run, run_notes

__all__ = ["law_json", "run_json", "print_run", "check_law_option"]


def check_law_option(run: Run, law: int | None) -> None:
    """Refuse a ``--law`` that is not a position on the run's front (0..n-1, the ``#`` column)."""
    from lawfind.exceptions import ConfigError

    if law is not None and not 0 <= law < len(run.front):
        raise ConfigError(f"--law {law} is not on the front: it has {len(run.front)} law(s), numbered "
                          f"0..{len(run.front) - 1} in the '#' column of 'lawfind show {run.path or 'RUN_DIR'}'")


def law_json(law: Law, units: dict[str, str] | None = None) -> dict[str, Any]:
    """The CLI's JSON view of one law (with its units check when ``units`` name a unit of its columns)."""
    check = law.check_units(units)
    return {
        "expression": law.equation(),
        "latex": law.latex(),
        "complexity": law.complexity,
        "metrics": {k: float(v) for k, v in law.metrics.items()},
        "features": law.features,
        **({"decision": law.decision.to_dict()} if law.decision is not None else {}),
        **({"units_check": check.to_dict()} if check.status != "unchecked" else {}),
    }


def _law_text(law: Law) -> str:
    """The law as one line; for a classifier, with its rule ``label if value > threshold``."""
    text = law.equation(6)
    if law.decision is None:
        return text
    d = law.decision
    return f"{d.above!r} if {text} > {d.threshold:.6g} else {d.below!r}"


def _time_split(info: dict) -> str:
    """" (search 21.0 s, polishing 6.9 s)" when the run recorded both times, else ""."""
    search, polish = info.get("search_seconds"), info.get("polish_seconds")
    if not isinstance(search, (int, float)) or not isinstance(polish, (int, float)):
        return ""
    return f" (search {search:.1f} s, polishing {polish:.1f} s)"


def _scores(law: Law) -> tuple[str, str]:
    if law.decision is not None:
        return (f"{law.metrics.get('accuracy', float('nan')):.4f}",
                f"{law.metrics.get('balanced_accuracy', float('nan')):.4f}")
    return f"{law.metrics.get('r2', float('nan')):.6f}", f"{law.metrics.get('rmse', float('nan')):.4g}"


def run_json(run: Run) -> dict[str, Any]:
    """The CLI's JSON view of a run: ``best``, ``front`` and where it is saved."""
    units = _units(run)
    return {
        "target": run.data.get("target"),
        "best": law_json(run.best, units),
        "best_index": run.front.best_index,
        "front": [law_json(law, units) for law in run.front],
        "status": run.status,
        "time_limit_reached": bool(run.info.get("time_limit_reached", False)) if isinstance(run.info, dict) else False,
        "run_dir": str(run.path) if run.path else None,
    }


def _units(run: Run) -> dict[str, str]:
    """The units of the run's columns, as recorded with its data."""
    units = run.data.get("units") or {}
    return {str(k): str(v) for k, v in units.items() if v} if isinstance(units, dict) else {}


def print_run(run: Run, console: Console | None = None) -> None:
    """Print the Pareto front as a table and the picked law underneath.

    When the run's data have units, a ``units`` column marks every law whose form depends
    on them (``✗``; the picked law's problems are printed underneath).
    """
    console = console or Console()
    units = _units(run)
    checks = [law.check_units(units) for law in run.front]
    with_units = any(check.status != "unchecked" for check in checks)
    target = run.data.get("target", "y")
    table = Table(title=f"Pareto front for {escape(str(target))} ({len(run.front)} laws)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("complexity", justify="right")
    classifier = run.best.decision is not None
    table.add_column("accuracy" if classifier else "R²", justify="right")
    table.add_column("bal. acc." if classifier else "RMSE", justify="right")
    if with_units:
        table.add_column("units")
    table.add_column("law", overflow="fold")  # never cut a law short
    for i, (law, check) in enumerate(zip(run.front, checks)):
        mark = "→ " if i == run.front.best_index else ""
        table.add_row(
            f"{mark}{i}",
            str(law.complexity),
            *_scores(law),
            *([{"consistent": "ok", "inconsistent": "✗", "unchecked": "–"}[check.status]] if with_units else []),
            escape(_law_text(law)),
            style="bold" if mark else None,
        )
    console.print(table)
    console.print(f"[bold]picked:[/bold] {escape(str(target))} = {escape(_law_text(run.best))}", highlight=False, soft_wrap=True)
    first, second = _scores(run.best)
    details = (f"complexity {run.best.complexity}, "
               + (f"accuracy {first}, balanced accuracy {second}" if classifier else f"R² {first}"))
    info = run.info if isinstance(run.info, dict) else {}
    console.print(f"  {details}; {run.status} in {run.seconds:.1f} s{_time_split(info)}", highlight=False)
    notes = run_notes(info, run.status)
    for note in (n for n in notes if n.level == "info"):
        console.print(f"  {escape(note.text)}", highlight=False, soft_wrap=True)
    best_check = checks[run.front.best_index]
    if best_check.status == "inconsistent":
        console.print(f"  [yellow]units: {escape(best_check.summary())}: the law's form depends on the units "
                      "of the data[/yellow]", highlight=False, soft_wrap=True)
    for note in (n for n in notes if n.level == "warning"):
        console.print(f"  [yellow]{escape(note.text)}[/yellow]", highlight=False, soft_wrap=True)
    if run.path:
        console.print(f"  saved to {escape(str(run.path))}", highlight=False, soft_wrap=True)
