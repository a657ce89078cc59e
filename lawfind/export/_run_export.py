"""Export a law of a Run in one format: gather what the format needs, render it, write it."""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lawfind.data import Dataset
from lawfind.exceptions import ConfigError
from lawfind.export._csv import predictions_frame
from lawfind.export._json import law_document, run_provenance
from lawfind.export._latex import latex_document, latex_equation
from lawfind.export._python import python_module
from lawfind.export._sympy import sympy_module
from lawfind.export._tables import frame_table, front_table, read_baselines
from lawfind.export._uncertain import constants_table
from lawfind.law import Law
from lawfind.run import Run
from lawfind.run._atomic import write_text_atomic
from lawfind.uncertainty import (
    CoefficientIntervals, ParametrizedLaw, StabilityResult, asymptotic_intervals, bootstrap_intervals,
    open_training_data,
)

__all__ = ["FORMATS", "SUFFIXES", "IntervalChoice", "ExportContext", "prepare_export", "render_export",
           "export_run", "check_format", "check_output"]

#: Every export format; all but "figures" produce one text file.
FORMATS = ("latex", "table", "python", "sympy", "json", "csv", "markdown", "html", "figures")
SUFFIXES = {"latex": ".tex", "table": ".tex", "python": ".py", "sympy": ".py", "json": ".json", "csv": ".csv",
            "markdown": ".md", "html": ".html"}
IntervalChoice = Literal["auto", "bootstrap", "asymptotic", "none"]
_INTERVAL_CHOICES = ("auto", "bootstrap", "asymptotic", "none")
_NEEDS_DATA = {"csv", "markdown", "html", "figures"}
_WITHOUT_INTERVALS = {"csv", "figures"}  # these outputs show no constants


def check_format(fmt: str) -> str:
    """``fmt`` if it is a known format, else a ConfigError listing the formats."""
    if fmt not in FORMATS:
        close = difflib.get_close_matches(str(fmt).lower(), FORMATS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"unknown export format {fmt!r}{hint}; valid formats: {', '.join(FORMATS)}")
    return fmt


def check_output(output: str | os.PathLike[str], fmt: str, overwrite: bool) -> Path:
    """Check before any work that ``output`` may be written (a file, or a folder for figures)."""
    path = Path(output)
    if path.exists():
        if not overwrite:
            raise ConfigError(f"output {str(path)!r} exists; choose another -o or pass --overwrite")
        if fmt == "figures" and not path.is_dir():
            raise ConfigError(f"output {str(path)!r} is a file; figures are written into a folder")
        if fmt != "figures" and path.is_dir():
            raise ConfigError(f"output {str(path)!r} is a folder; the {fmt} export is one file")
    return path


@dataclass(frozen=True)
class ExportContext:
    """Everything an export of one law needs, gathered once.

    Attributes
    ----------
    run : Run
    index : int
        Position of the law on the front.
    law : Law
    data : Dataset or None
        The verified training data, when the format or the intervals need it.
    intervals : tuple of CoefficientIntervals
        Bootstrap and/or asymptotic intervals; the first gives the ``±`` shown.
    symbol_names : dict
        Column name -> LaTeX overrides.
    references : tuple
        Published laws for the report.
    stability : StabilityResult or None
    shap : ShapArrays or None
    """

    run: Run
    index: int
    law: Law
    data: Dataset | None
    intervals: tuple[CoefficientIntervals, ...]
    symbol_names: dict[str, str]
    references: tuple = ()
    stability: StabilityResult | None = None
    shap: Any = None

    @property
    def units(self) -> dict[str, str]:
        """Units of the run's columns."""
        return dict(self.run.data.get("units") or {})

    @property
    def shown(self) -> CoefficientIntervals | None:
        """The intervals written as ``±``."""
        return self.intervals[0] if self.intervals else None


def _intervals_for(law: Law, choice: str, data: Dataset | None, n_resamples: int, level: float,
                   seed: int) -> tuple[CoefficientIntervals, ...]:
    has_constants = law.decision is None and ParametrizedLaw(law).n_parameters > 0
    if choice == "none" or (choice == "auto" and not has_constants):
        return ()
    if not has_constants:
        what = "a classification law" if law.decision is not None else "a law without float constants"
        raise ConfigError(f"no coefficient intervals for {what} ({law.equation(6)}); use --intervals none")
    if data is None:
        raise ConfigError("coefficient intervals need the training data; pass data=")
    asymptotic = asymptotic_intervals(law, data, level=level)
    if choice == "asymptotic":
        return (asymptotic,)
    return bootstrap_intervals(law, data, n_resamples=n_resamples, level=level, seed=seed), asymptotic


def prepare_export(
    run: Run,
    fmt: str,
    *,
    law: int | None = None,
    data: Any = None,
    intervals: IntervalChoice = "auto",
    n_resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    symbol_names: Mapping[str, str] | None = None,
    references: Sequence[Any] = (),
    stability: StabilityResult | None = None,
    shap: Any = None,
) -> ExportContext:
    """Pick the law, reopen and verify the data if needed, and compute the intervals.

    Parameters
    ----------
    run : Run
    fmt : str
        One of :data:`FORMATS`.
    law : int, optional
        Index on the front (the picked law by default).
    data : Dataset, DataFrame, path or ``"datasets:<name>"``, optional
        Where the training data are now, if not at ``run.data["source"]``.
    intervals : {"auto", "bootstrap", "asymptotic", "none"}, default="auto"
        ``"bootstrap"`` computes bootstrap (shown) and asymptotic intervals;
        ``"auto"`` is ``"bootstrap"`` for regression laws with float constants and
        ``"none"`` otherwise.  The csv and figures exports show no constants and
        compute no intervals.
    n_resamples, level, seed
        Bootstrap settings.
    symbol_names : mapping of column name to LaTeX, optional
    references : sequence, default=()
        Published laws for the report (see :class:`lawfind.report.ReferenceLaw`).
    stability : StabilityResult, optional
    shap : ShapArrays, optional
    """
    check_format(fmt)
    if intervals not in _INTERVAL_CHOICES:
        raise ConfigError(f"intervals must be one of {list(_INTERVAL_CHOICES)}, got {intervals!r}")
    index = run.front.best_index if law is None else law
    chosen = run.front.law(index)
    index %= len(run.front)
    if fmt in _WITHOUT_INTERVALS:
        intervals = "none"
    wants = intervals != "none" and not (intervals == "auto" and (
        chosen.decision is not None or ParametrizedLaw(chosen).n_parameters == 0))
    dataset = open_training_data(run, data) if (fmt in _NEEDS_DATA or wants) else None
    found = _intervals_for(chosen, intervals, dataset, n_resamples, level, seed)
    return ExportContext(run, index, chosen, dataset, found, dict(symbol_names or {}), tuple(references),
                         stability, shap)


def _report(context: ExportContext):
    from lawfind.report import build_report

    return build_report(context.run, context.data, law=context.index, intervals=context.intervals,
                        stability=context.stability, references=context.references, shap=context.shap,
                        symbol_names=context.symbol_names)


def render_export(context: ExportContext, fmt: str, *, standalone: bool = False) -> dict[str, str | bytes]:
    """The file(s) of one export: file name -> text (or bytes for figures).

    Parameters
    ----------
    context : ExportContext
        From :func:`prepare_export`.
    fmt : str
        One of :data:`FORMATS`.
    standalone : bool, default=False
        For ``latex`` and ``table``: a complete document that compiles with pdflatex.
    """
    check_format(fmt)
    law, run, shown = context.law, context.run, context.shown
    stem = f"law{context.index}"
    if fmt == "figures":
        from lawfind.report import FIGURE_FORMATS, figure_bytes

        return {f"{name}.{ext}": figure_bytes(figure, ext)
                for name, figure in _report(context).figures.items() for ext in FIGURE_FORMATS}
    if fmt == "latex":
        text = latex_equation(law, shown, units=context.units, symbol_names=context.symbol_names)
    elif fmt == "table":
        parts = [front_table(run.front, intervals={context.index: shown} if shown else None,
                             symbol_names=context.symbol_names)]
        if context.intervals:
            parts.append(frame_table(constants_table(law, context.intervals),
                                     caption=f"Constants of law {context.index}", label="tab:lawfind-constants"))
        baselines = read_baselines(run.path)
        if baselines is not None:
            parts.append(frame_table(baselines, caption="Black-box baselines", label="tab:lawfind-baselines"))
        text = "\n".join(parts)
    elif fmt == "python":
        text = python_module(law, shown, units=context.units, provenance=run_provenance(run, context.index))
    elif fmt == "sympy":
        text = sympy_module(law, shown, units=context.units, provenance=run_provenance(run, context.index))
    elif fmt == "json":
        document = law_document(law, intervals=context.intervals, units=context.units,
                                symbol_names=context.symbol_names, run=run, law_index=context.index)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = predictions_frame(law, context.data).to_csv(index=False)
    elif fmt == "markdown":
        text = _report(context).to_markdown()
    else:
        text = _report(context).to_html()
    if standalone and fmt in ("latex", "table"):
        text = latex_document(text)
    return {stem + SUFFIXES[fmt]: text}


def export_run(
    run: Run,
    fmt: str,
    output: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    standalone: bool = False,
    **options: Any,
) -> list[Path]:
    """Export a law of ``run`` as ``fmt`` to ``output`` (a file; a folder for ``figures``).

    Parameters
    ----------
    run : Run
    fmt : str
        One of :data:`FORMATS`.
    output : path
    overwrite : bool, default=False
        Replace an existing output (figures: write into an existing folder).
    standalone : bool, default=False
        See :func:`render_export`.
    **options
        Passed to :func:`prepare_export` (``law``, ``data``, ``intervals``, ``references``...).

    Returns
    -------
    list of Path
        The files written.
    """
    check_format(fmt)
    path = check_output(output, fmt, overwrite)
    files = render_export(prepare_export(run, fmt, **options), fmt, standalone=standalone)
    if fmt != "figures":
        (content,) = files.values()
        write_text_atomic(path, str(content))
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        target = path / name
        _write_bytes_atomic(target, content if isinstance(content, bytes) else content.encode())
        written.append(target)
    return written


def _write_bytes_atomic(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
