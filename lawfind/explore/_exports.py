"""Export files for download buttons: one :class:`Download` per format of :mod:`lawfind.export`."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from lawfind.export import prepare_export, render_export
from lawfind.run import Run

__all__ = ["Download", "FORMAT_LABELS", "format_label", "MIME_TYPES", "NEEDS_DATA", "export_download"]

#: Button labels, in the order of :data:`lawfind.export.FORMATS`.
FORMAT_LABELS = {
    "latex": "LaTeX equation",
    "table": "LaTeX table of the front",
    "python": "Python (NumPy) module",
    "sympy": "SymPy module",
    "json": "JSON document",
    "csv": "Predictions (CSV)",
    "markdown": "Report (Markdown)",
    "html": "Report (HTML)",
    "figures": "Figures (ZIP of PDF/SVG/PNG)",
}
MIME_TYPES = {
    ".tex": "application/x-tex", ".py": "text/x-python", ".json": "application/json", ".csv": "text/csv",
    ".md": "text/markdown", ".html": "text/html", ".zip": "application/zip",
}
#: Formats that need the training data (predictions, reports, figures).
NEEDS_DATA = frozenset({"csv", "markdown", "html", "figures"})


@dataclass(frozen=True)
class Download:
    """One file to download.

    Attributes
    ----------
    file_name : str
    data : bytes
    mime : str
    """

    file_name: str
    data: bytes
    mime: str


def export_download(run: Run, fmt: str, *, law: int | None = None, data: Any = None,
                    intervals: str = "none", n_resamples: int = 200, seed: int = 0) -> Download:
    """Render one export of law ``law`` of ``run`` as a downloadable file.

    Parameters
    ----------
    run : Run
    fmt : str
        One of :data:`lawfind.export.FORMATS`.
    law : int, optional
        Index on the front; the picked law by default.
    data : Dataset, DataFrame, path or ``"datasets:NAME"``, optional
        The training data (needed by :data:`NEEDS_DATA` formats and by intervals).
    intervals : {"auto", "bootstrap", "asymptotic", "none"}, default="none"
    n_resamples : int, default=200
        Bootstrap resamples.
    seed : int, default=0

    Returns
    -------
    Download
        Figures (several files) come as one ZIP archive.

    Raises
    ------
    LawfindError
        From :func:`lawfind.export.prepare_export` (data that cannot be reopened, intervals
        that do not apply...).
    """
    context = prepare_export(run, fmt, law=law, data=data, intervals=intervals, n_resamples=n_resamples, seed=seed)
    files = render_export(context, fmt)
    if len(files) == 1 and fmt != "figures":
        ((name, content),) = files.items()
        payload = content if isinstance(content, bytes) else content.encode("utf-8")
        suffix = name[name.rfind("."):]
        return Download(name, payload, MIME_TYPES.get(suffix, "application/octet-stream"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content if isinstance(content, bytes) else content.encode("utf-8"))
    return Download(f"law{context.index}-figures.zip", buffer.getvalue(), MIME_TYPES[".zip"])


def format_label(fmt: str) -> str:
    """The button label of ``fmt`` (its name for formats added after this module)."""
    return FORMAT_LABELS.get(fmt, fmt)
