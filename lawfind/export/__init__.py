"""Exports for papers, all produced from the law's SymPy expression.

One module per target: LaTeX equations (:func:`latex_equation`) and booktabs tables
(:func:`front_table`), standalone NumPy source (:func:`python_module`), SymPy source
(:func:`sympy_module`, ``srepr``), a versioned JSON document (:func:`law_document`),
predictions (:func:`predictions_frame`); constants carry their intervals
(``2.876 ± 0.024``, :func:`format_uncertain`).  :func:`export_run` runs one format on a
:class:`~lawfind.run.Run` (the ``lawfind export`` command); reports and figures live in
:mod:`lawfind.report`.

>>> from lawfind import Law
>>> law = Law.from_string("3.2*x0 - 25.8", {"x0": "HV"}, target="UTS")
>>> print(latex_equation(law, label=None).splitlines()[2])
  \\mathrm{UTS} = 3.2 \\mathrm{HV} - 25.8
"""

from lawfind.export._csv import predictions_frame
from lawfind.export._json import EXPORT_SCHEMA, law_document, read_law_document, run_provenance
from lawfind.export._latex import LATEX_PACKAGES, latex_document, latex_equation
from lawfind.export._names import latex_symbol, latex_symbols, latex_text, latex_unit, unit_text
from lawfind.export._python import python_literal, python_module
from lawfind.export._sympy import sympy_module
from lawfind.export._tables import BASELINES_FILE, booktabs, frame_table, front_table, read_baselines
from lawfind.export._uncertain import constants_table, format_interval, format_uncertain, law_latex, law_text
from lawfind.export._run_export import (
    FORMATS,
    SUFFIXES,
    ExportContext,
    IntervalChoice,
    check_format,
    check_output,
    export_run,
    prepare_export,
    render_export,
)

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "IntervalChoice",
    "ExportContext",
    "prepare_export",
    "render_export",
    "export_run",
    "check_format",
    "check_output",
    "latex_equation",
    "latex_document",
    "LATEX_PACKAGES",
    "latex_symbol",
    "latex_symbols",
    "latex_text",
    "latex_unit",
    "unit_text",
    "front_table",
    "frame_table",
    "booktabs",
    "read_baselines",
    "BASELINES_FILE",
    "python_module",
    "python_literal",
    "sympy_module",
    "law_document",
    "read_law_document",
    "run_provenance",
    "EXPORT_SCHEMA",
    "predictions_frame",
    "format_uncertain",
    "format_interval",
    "law_text",
    "law_latex",
    "constants_table",
]
