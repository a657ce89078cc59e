"""Writing a case study's artefacts: runs, report and figures, LaTeX, tables and the Markdown summary.

Figures, reports and LaTeX come from :mod:`lawfind.report` and :mod:`lawfind.export`;
nothing here draws or typesets on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lawfind.casestudies._base import SUMMARY_FILE, Context
from lawfind.data import Dataset
from lawfind.run import Run

__all__ = ["save_run", "write_report", "write_latex", "write_summary", "display_table", "save_axes",
           "QUICK_MODELS"]

#: Black boxes of the quick mode (seconds on a few hundred rows); the full mode uses every default model.
QUICK_MODELS = ("ridge", "k-NN", "decision tree", "random forest")


def save_run(ctx: Context, run: Run, folder: str, baselines: pd.DataFrame | None = None) -> Path:
    """Save ``run`` to ``ctx.out/folder``, with ``baselines.csv`` next to it when given."""
    from lawfind.export import BASELINES_FILE

    path = run.save(ctx.out / folder, overwrite=True)
    if baselines is not None:
        baselines.to_csv(path / BASELINES_FILE, index=False)
    return path


def _figure_formats(ctx: Context) -> tuple[str, ...]:
    return ("png",) if ctx.quick else ("png", "pdf")


def save_axes(ctx: Context, ax: Any, name: str) -> str:
    """Save the figure of ``ax`` as ``figures/<name>.png`` (and ``.pdf`` in full mode); returns the PNG path."""
    from lawfind.report import save_figure

    save_figure(ax.figure, ctx.out / "figures" / name, formats=_figure_formats(ctx))
    return f"figures/{name}.png"


def write_report(ctx: Context, run: Run, data: Dataset, *, prefix: str, intervals: Sequence[Any] = (),
                 references: Sequence[Any] = (), title: str | None = None) -> list[str]:
    """The run's report (``<prefix>_report.html``) and its figures (``figures/<prefix>_<name>.png``).

    Returns
    -------
    list of str
        The PNG paths, relative to the output folder.
    """
    from lawfind.report import build_report, save_figure

    report = build_report(run, data, intervals=list(intervals), references=list(references), title=title)
    (ctx.out / f"{prefix}_report.html").write_text(report.to_html(), encoding="utf-8")
    written = []
    for name, figure in report.figures.items():
        save_figure(figure, ctx.out / "figures" / f"{prefix}_{name}", formats=_figure_formats(ctx))
        written.append(f"figures/{prefix}_{name}.png")
    return written


def write_latex(ctx: Context, run: Run, data: Dataset, *, filename: str, intervals: Any = None,
                tables: Sequence[tuple[pd.DataFrame, str]] = (), title: str | None = None) -> str:
    """A standalone LaTeX document: the picked law (with intervals), the front and extra tables."""
    from lawfind.export import frame_table, front_table, latex_document, latex_equation

    bodies = [latex_equation(run.best, intervals, units=data.units, label=f"eq:{Path(filename).stem}"),
              front_table(run.front, label=f"tab:{Path(filename).stem}-front")]
    bodies += [frame_table(frame, caption=caption) for frame, caption in tables]
    (ctx.out / filename).write_text(latex_document(*bodies, title=title), encoding="utf-8")
    return filename


def _pm(mean: float, sd: float, digits: int = 4) -> str:
    if not np.isfinite(mean):
        return "–"
    return f"{mean:.{digits}g} ± {sd:.2g}" if np.isfinite(sd) else f"{mean:.{digits}g}"


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The CV comparison as text columns (``mean ± sd``), completed models only, best first."""
    task_metrics = [m for m in ("r2", "rmse", "mae", "accuracy", "balanced_accuracy") if f"{m}_mean" in table]
    shown = {"r2": "R²", "rmse": "RMSE", "mae": "MAE", "accuracy": "accuracy", "balanced_accuracy": "bal. accuracy"}
    done = table[table["status"] == "ok"]
    key = "mae_mean" if "mae_mean" in table else "balanced_accuracy_mean"
    done = done.sort_values(key, ascending=key == "mae_mean", kind="stable")
    out = pd.DataFrame({"model": done["model"].to_numpy()})
    for metric in task_metrics:
        out[shown[metric]] = [_pm(m, s) for m, s in zip(done[f"{metric}_mean"], done[f"{metric}_sd"])]
    out["fit s"] = [f"{v:.3g}" if np.isfinite(v) else "–" for v in done["fit_seconds"]]
    out["size"] = [f"{v:.0f} {u}" for v, u in zip(done["size"], done["size_unit"])]
    return out


def skipped_note(table: pd.DataFrame) -> str:
    """One sentence naming the models that were skipped or failed, with reasons ('' if none)."""
    rows = table[table["status"] != "ok"]
    if rows.empty:
        return ""
    return "Not in the table: " + "; ".join(f"{m} ({s}: {n})" for m, s, n in
                                            zip(rows["model"], rows["status"], rows["note"])) + "."


def write_summary(ctx: Context, title: str, sections: Sequence[tuple[str, Sequence[Any]]],
                  figures: Sequence[str] = ()) -> str:
    """Write ``summary.md``: sections of paragraphs (str), code (``("code", text)``) and tables (DataFrames).

    Figures are linked (relative paths), not embedded, so the summary stays short.
    """
    from lawfind.report import Code, Paragraph, Report, Section, Table

    built = []
    for heading, items in sections:
        blocks = []
        for item in items:
            if isinstance(item, pd.DataFrame):
                blocks.append(Table(item))
            elif isinstance(item, tuple) and item[0] == "code":
                blocks.append(Code(item[1]))
            elif isinstance(item, tuple) and item[0] == "table":
                blocks.append(Table(item[1], item[2]))
            elif item:
                blocks.append(Paragraph(str(item)))
        built.append(Section(heading, tuple(blocks)))
    text = Report(title, built).to_markdown()
    if figures:
        text += "\n## Figures\n\n" + "\n".join(f"- [{Path(f).stem}]({f})" for f in figures) + "\n"
    if ctx.quick:
        text += "\n*Quick mode (tiny time limits, fewer baselines): numbers are indicative only.*\n"
    (ctx.out / SUMMARY_FILE).write_text(text, encoding="utf-8")
    return SUMMARY_FILE
