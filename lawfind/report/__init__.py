"""Figures and reports: publication-style matplotlib figures (ax in, ax out) and Markdown/HTML reports.

Nothing here fits anything: the functions draw arrays and result objects (a Run, its
training data, :class:`~lawfind.uncertainty.CoefficientIntervals`,
:class:`~lawfind.uncertainty.StabilityResult`, SHAP arrays) computed elsewhere.

>>> from lawfind.report import build_report                        # doctest: +SKIP
>>> report = build_report(run, data, intervals=[ci],  # doctest: +SKIP
...                       references=[("Pavlina & Van Tyne 2008", "-99.8 + 3.734*HV", {"HV": "Hardness"})])
>>> html = report.to_html()                                         # doctest: +SKIP
"""

from lawfind.report._classes import plot_class_separation
from lawfind.report._compare import plot_importance_comparison, plot_shap_dependence
from lawfind.report._document import Code, FigureBlock, Paragraph, Report, Section, Table, markdown_escape
from lawfind.report._figures import (
    plot_front_variation,
    plot_pareto_front,
    plot_parity,
    plot_residuals,
    plot_versus_feature,
)
from lawfind.report._methods import methods_paragraph
from lawfind.report._references import ReferenceLaw, ReferenceLike, as_references, reference_scores
from lawfind.report._report import build_report
from lawfind.report._shap import ShapArrays, plot_law_dependence, plot_shap_summary
from lawfind.report._style import (
    FIGURE_FORMATS,
    PALETTE,
    STYLE,
    axis_label,
    figure_bytes,
    new_axes,
    publication_style,
    save_figure,
)

__all__ = [
    "plot_class_separation",
    "build_report",
    "Report",
    "Section",
    "Paragraph",
    "Table",
    "Code",
    "FigureBlock",
    "markdown_escape",
    "methods_paragraph",
    "ReferenceLaw",
    "ReferenceLike",
    "as_references",
    "reference_scores",
    "ShapArrays",
    "plot_pareto_front",
    "plot_front_variation",
    "plot_parity",
    "plot_residuals",
    "plot_versus_feature",
    "plot_shap_summary",
    "plot_law_dependence",
    "plot_importance_comparison",
    "plot_shap_dependence",
    "publication_style",
    "new_axes",
    "axis_label",
    "figure_bytes",
    "save_figure",
    "STYLE",
    "PALETTE",
    "FIGURE_FORMATS",
]
