"""Booktabs LaTeX tables: the Pareto front, the constants, and the baseline comparison."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from lawfind.exceptions import RunError
from lawfind.export._names import latex_symbols, latex_text
from lawfind.export._uncertain import law_latex
from lawfind.law import Law
from lawfind.search import ParetoFront
from lawfind.uncertainty import CoefficientIntervals

__all__ = ["booktabs", "front_table", "frame_table", "read_baselines", "BASELINES_FILE", "metric_columns",
           "format_number"]

#: Optional table of black-box baselines in a run folder (written by the baselines step).
BASELINES_FILE = "baselines.csv"
_METRIC_LABELS = {"r2": "$R^2$", "rmse": "RMSE", "mae": "MAE", "nrmse": "NRMSE", "accuracy": "Accuracy",
                  "balanced_accuracy": "Bal.\\ accuracy"}


def format_number(value: object, digits: int = 4) -> str:
    """A number with ``digits`` significant digits (integers as they are); other values via ``str``."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.{digits}g}"
    return str(value)


def booktabs(header: Sequence[str], rows: Sequence[Sequence[str]], *, align: str | None = None,
             caption: str | None = None, label: str | None = None) -> str:
    """A ``table`` with a booktabs ``tabular``; header and cells are LaTeX, used as given.

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequences of str
    align : str, optional
        Column alignment (``"rrl"``); right-aligned numbers and a left last column by default.
    caption, label : str, optional
        The caption is LaTeX (escape text with :func:`latex_text`).
    """
    align = align or "r" * (len(header) - 1) + "l"
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(r"\caption{" + caption + "}")
    if label:
        lines.append(r"\label{" + label + "}")
    lines += [r"\begin{tabular}{" + align + "}", r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    lines += [" & ".join(row) + r" \\" for row in rows]
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def metric_columns(front: Sequence[Law]) -> list[str]:
    """The metrics to tabulate: R² and RMSE for regression, accuracies for classification."""
    wanted = ("r2", "rmse") if all(law.decision is None for law in front) else ("accuracy", "balanced_accuracy")
    return [m for m in wanted if any(m in law.metrics for law in front)]


def front_table(
    front: ParetoFront,
    *,
    intervals: Mapping[int, CoefficientIntervals] | None = None,
    symbol_names: Mapping[str, str] | None = None,
    caption: str | None = None,
    label: str | None = "tab:lawfind-front",
) -> str:
    """The Pareto front as a booktabs table; the picked law is marked with an asterisk.

    Parameters
    ----------
    front : ParetoFront
    intervals : mapping of law index to CoefficientIntervals, optional
        Laws with intervals show ``\\left(value \\pm width\\right)`` constants.
    symbol_names : mapping of column name to LaTeX, optional
    caption, label : str, optional
        Default caption: "Pareto front for <target> (* picked law)".
    """
    intervals = dict(intervals or {})
    target = front[0].target if len(front) else "y"
    names = latex_symbols(sorted({f for law in front for f in law.features} | {target}), symbol_names)
    metrics = metric_columns(front)
    header = [r"\#", "Complexity", *(_METRIC_LABELS[m] for m in metrics), "Law"]
    rows = []
    for i, law in enumerate(front):
        mark = "$^{*}$" if i == front.best_index else ""
        rhs = law_latex(law, intervals.get(i), symbol_names=names)
        rows.append([f"{i}{mark}", str(law.complexity),
                     *(format_number(float(law.metrics[m]), 4) if m in law.metrics else "–" for m in metrics),
                     f"${names[target]} = {rhs}$"])
    if caption is None:
        caption = f"Pareto front for ${names[target]}$ (* picked law"
        shown = [intervals[i].describe() for i in sorted(intervals)]
        caption += f"; constants with {latex_text(shown[0])})" if shown else ")"
    return booktabs(header, rows, caption=caption, label=label)


def frame_table(frame: pd.DataFrame, *, caption: str | None = None, label: str | None = None,
                digits: int = 4) -> str:
    """Any DataFrame (e.g. the baseline comparison) as a booktabs table.

    Column names, cells and the caption are plain text, escaped for LaTeX; numbers get
    ``digits`` significant digits.
    """
    header = [latex_text(str(c)) for c in frame.columns]
    align = "".join("r" if pd.api.types.is_numeric_dtype(frame[c]) else "l" for c in frame.columns)
    rows = [[latex_text(format_number(v.item() if hasattr(v, "item") else v, digits)) for v in row]
            for row in frame.itertuples(index=False)]
    return booktabs(header, rows, align=align, caption=latex_text(caption) if caption else None, label=label)


def read_baselines(run_dir: str | Path | None) -> pd.DataFrame | None:
    """The run's ``baselines.csv`` as a DataFrame, or None when the run has none."""
    if run_dir is None:
        return None
    path = Path(run_dir) / BASELINES_FILE
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise RunError(f"{str(path)!r} is not a readable CSV table: {str(exc).splitlines()[0]}") from None
    return frame
