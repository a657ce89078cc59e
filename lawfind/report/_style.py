"""One publication style for every figure, applied in an rc context (never as global state)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["PALETTE", "STYLE", "publication_style", "new_axes", "figure_bytes", "save_figure", "axis_label",
           "FIGURE_FORMATS"]

#: Okabe–Ito colours (distinguishable with colour-vision deficiencies).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
FIGURE_FORMATS = ("pdf", "svg", "png")

#: rc parameters of the lawfind figures: single-column size, 8-pt text, thin lines, fonts embedded.
STYLE: dict[str, object] = {
    "figure.figsize": (3.4, 2.6),
    "figure.dpi": 150,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "mathtext.fontset": "dejavusans",
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3,
    "ytick.major.size": 3,
    "lines.linewidth": 1.0,
    "lines.markersize": 3.5,
    "scatter.edgecolors": "none",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": "lawfind",
    "path.simplify": True,
}


@contextmanager
def publication_style() -> Iterator[None]:
    """Apply :data:`STYLE` inside a ``with`` block only (``matplotlib.rc_context``)."""
    with matplotlib.rc_context(STYLE):
        yield


def new_axes(ax: Axes | None = None, *, figsize: tuple[float, float] | None = None) -> Axes:
    """``ax`` itself, or the axes of a new :class:`~matplotlib.figure.Figure` (no pyplot, no GUI)."""
    if ax is not None:
        return ax
    with publication_style():
        figure = Figure(figsize=figsize or STYLE["figure.figsize"], dpi=STYLE["figure.dpi"])
        return figure.add_subplot()


def axis_label(name: str, unit: str | None = None) -> str:
    """``name [unit]`` for an axis, with ``$`` escaped so column names never turn into mathtext."""
    from lawfind.export._names import unit_text

    text = str(name).replace("$", r"\$")
    if unit:
        shown = unit_text(unit)
        if shown:
            text += f" [{shown}]"
    return text


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """The figure rendered as ``fmt`` (pdf, svg or png), in the publication style."""
    if fmt not in FIGURE_FORMATS:
        from lawfind.exceptions import ConfigError

        raise ConfigError(f"unknown figure format {fmt!r}; use one of {list(FIGURE_FORMATS)}")
    buffer = io.BytesIO()
    metadata = {"pdf": {"CreationDate": None}, "svg": {"Date": None}, "png": {"Software": "lawfind"}}[fmt]
    with publication_style():
        figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def save_figure(figure: Figure, stem: str | Path, formats: Sequence[str] = FIGURE_FORMATS) -> list[Path]:
    """Write ``stem.pdf``, ``stem.svg``, ``stem.png`` (or the given formats); returns the paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        path.write_bytes(figure_bytes(figure, fmt))
        written.append(path)
    return written
