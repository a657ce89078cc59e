"""A law as a LaTeX equation (with intervals and units), and a standalone document to compile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lawfind.export._names import latex_symbols, latex_text, latex_unit
from lawfind.export._uncertain import law_latex
from lawfind.law import Law
from lawfind.uncertainty import CoefficientIntervals

__all__ = ["latex_equation", "latex_document", "LATEX_PACKAGES"]

#: Packages the exported snippets use (amsmath for ``\text``, booktabs for tables).
LATEX_PACKAGES = ("amsmath", "booktabs", "textcomp")


def _units_sentence(names: Mapping[str, str], units: Mapping[str, str], columns: Sequence[str]) -> str:
    parts = []
    for column in columns:
        unit = units.get(column)
        tex = latex_unit(unit) if unit else ""
        if tex:
            parts.append(f"${names[column]}$ in ${tex}$")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"with {listed}"


def latex_equation(
    law: Law,
    intervals: CoefficientIntervals | None = None,
    *,
    units: Mapping[str, str] | None = None,
    symbol_names: Mapping[str, str] | None = None,
    label: str | None = "eq:lawfind",
    precision: int = 4,
) -> str:
    """An ``equation`` environment for ``law``, followed by a sentence on units and intervals.

    Parameters
    ----------
    law : Law
    intervals : CoefficientIntervals, optional
        Shown as ``\\left(value \\pm half width\\right)`` for each constant.
    units : mapping of column name to pint unit, optional
        E.g. ``run.data["units"]``; typeset with pint's LaTeX format.
    symbol_names : mapping of column name to LaTeX, optional
        Overrides, used verbatim (``{"Hardness": "HV"}``); other names are typeset by
        :func:`latex_symbol` (Greek letters, subscripts, escaping).
    label : str or None, default="eq:lawfind"
    precision : int, default=4
        Significant digits of constants without intervals.

    Returns
    -------
    str
        LaTeX needing the packages in :data:`LATEX_PACKAGES`.

    Examples
    --------
    >>> law = Law.from_string("2.5*x0**2", {"x0": "sigma_y"}, target="E")
    >>> print(latex_equation(law, label=None))  # doctest: +NORMALIZE_WHITESPACE
    % lawfind: E = 2.5*sigma_y**2
    \\begin{equation}
      E = 2.5 \\sigma_{y}^{2}
    \\end{equation}
    """
    units = dict(units or {})
    names = latex_symbols([*law.features, law.target], symbol_names)
    target = names[law.target] if law.decision is None else "f"
    rhs = law_latex(law, intervals, symbol_names=names, precision=precision)
    lines = [
        "% lawfind: " + " ".join(f"{law.target} = {law.equation(6)}".split()),
        r"\begin{equation}",
        f"  {target} = {rhs}",
    ]
    if label:
        lines.append(f"  \\label{{{label}}}")
    lines.append(r"\end{equation}")
    parts = []  # each starts in lower case; joined into one sentence
    if law.decision is not None:
        d = law.decision
        parts.append(f"a sample is classified as {latex_text(str(d.above))} when $f > {d.threshold:.6g}$, else "
                     f"as {latex_text(str(d.below))} (target ${names[law.target]}$)")
    unit_part = _units_sentence(names, units, [law.target, *law.features] if law.decision is None else law.features)
    if unit_part:
        parts.append(unit_part)
    if intervals is not None and len(intervals.values):
        parts.append("constants with " + latex_text(intervals.describe()))
    if parts:
        sentence = "; ".join(parts)
        lines.append(sentence[0].upper() + sentence[1:] + ".")
    return "\n".join(lines) + "\n"


def latex_document(*bodies: str, title: str | None = None) -> str:
    """A standalone ``article`` holding ``bodies`` (compiles with ``pdflatex``)."""
    head = [
        r"\documentclass{article}",
        r"\usepackage[utf8]{inputenc}",
        *(f"\\usepackage{{{name}}}" for name in LATEX_PACKAGES),
        r"\begin{document}",
    ]
    if title:
        head.append(r"\section*{" + latex_text(title) + "}")
    return "\n".join(head) + "\n" + "\n".join(bodies) + "\n" + r"\end{document}" + "\n"
