"""Laws written with their intervals: ``(3.214 ± 0.045)*HV - (25.8 ± 12.5)``, in text and LaTeX.

The law's SymPy template (one symbol per float constant) is printed term by term, in
the order SymPy prints the law itself, with each constant symbol shown as
``value ± half width``; negative constants are written as ``-(|value| ± half width)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import sympy as sp
from sympy.printing.str import StrPrinter

from lawfind.law import Law
from lawfind.law._law import _display_name
from lawfind.law._refit import parametrize
from lawfind.uncertainty import CoefficientIntervals

__all__ = ["format_uncertain", "format_interval", "law_text", "law_latex", "constants_table"]


def _decimals(width: float, digits: int) -> int:
    rounded = float(f"{width:.{digits - 1}e}")  # 0.0996 -> 0.10: two digits after rounding, not three
    return digits - 1 - math.floor(math.log10(rounded))


def format_uncertain(value: float, half_width: float, *, digits: int = 2, latex: bool = False) -> str:
    """``value ± half_width`` with the half width rounded to ``digits`` significant digits.

    Parameters
    ----------
    value, half_width : float
    digits : int, default=2
        Significant digits of the half width; the value gets the same decimals.
    latex : bool, default=False
        ``\\pm`` and ``\\times 10^{e}`` instead of ``±`` and ``e``.

    Examples
    --------
    >>> format_uncertain(2.87613, 0.02412), format_uncertain(-99.83, 12.3)
    ('2.876 ± 0.024', '-100 ± 12')
    >>> format_uncertain(3.1e-8, 2.2e-10, latex=True)
    '(3.100 \\\\pm 0.022) \\\\times 10^{-8}'
    """
    pm = r" \pm " if latex else " ± "
    if not math.isfinite(half_width):
        return f"{value:.4g}{pm}" + (r"\infty" if latex else "inf")
    if half_width <= abs(value) * 1e-9 or half_width == 0:
        return _number(f"{value:.12g}", latex) + pm + _number(f"{half_width:.2g}", latex)
    exponent = math.floor(math.log10(max(abs(value), half_width)))
    if -3 <= exponent < 5:
        return _fixed(value, half_width, digits) + pm + _fixed(half_width, half_width, digits)
    scale = 10.0**exponent
    body = _fixed(value / scale, half_width / scale, digits) + pm + _fixed(half_width / scale, half_width / scale, digits)
    return f"({body}) \\times 10^{{{exponent}}}" if latex else f"({body})e{exponent:+03d}"


def _fixed(number: float, width: float, digits: int) -> str:
    decimals = _decimals(width, digits)
    if decimals > 0:
        return f"{number:.{decimals}f}"
    return f"{round(number, decimals):.0f}"


def _number(text: str, latex: bool) -> str:
    if latex and "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def format_interval(lower: float, upper: float, width: float, *, digits: int = 2) -> str:
    """``[lower, upper]`` with the decimals that ``width`` (the ± shown) calls for."""
    if not (math.isfinite(width) and width > 0):
        return f"[{lower:.6g}, {upper:.6g}]"
    return f"[{_fixed(lower, width, digits)}, {_fixed(upper, width, digits)}]"


def _display_terms(
    law: Law, intervals: CoefficientIntervals, latex: bool, digits: int
) -> tuple[list[tuple[bool, sp.Expr]], dict[sp.Symbol, str]]:
    """The law's top-level terms, in the order SymPy prints the law, with constant symbols.

    Each term is ``(negative, template of |term|)``; each constant symbol's printed
    form (``(3.214 ± 0.041)``) is in the returned mapping.  The constants are numbered
    as :func:`lawfind.law._refit.parametrize` numbers them (depth first over the
    expression's arguments), so each top-level term is parametrized on its own.
    """
    expr = law.expression
    pieces = list(expr.args) if isinstance(expr, sp.Add) else [expr]
    shown: dict[sp.Symbol, str] = {}
    templates: dict[sp.Expr, sp.Expr] = {}
    offset = 0
    for piece in pieces:
        template, params, values = parametrize(piece)
        replace: dict[sp.Symbol, sp.Expr] = {}
        for i, (p, value) in enumerate(zip(params, values)):
            k = offset + i
            if k >= len(intervals.values) or intervals.values[k] != value:
                raise ValueError(f"the intervals do not match the constants of {law!r}")
            symbol = sp.Symbol(f"_c{k}", real=True)
            text = format_uncertain(abs(value), intervals.half_widths[k], digits=digits, latex=latex)
            if latex:
                text = r"\left(" + text + r"\right)"
            elif not text.startswith("("):
                text = "(" + text + ")"
            replace[p] = -symbol if value < 0 else symbol
            shown[symbol] = text
        templates[piece] = template.xreplace(replace)
        offset += len(params)
    if offset != len(intervals.values):
        raise ValueError(f"the intervals do not match the constants of {law!r}")
    ordered = expr.as_ordered_terms() if isinstance(expr, sp.Add) else [expr]
    terms = []
    for term in ordered:
        template = templates[term]
        negative = bool(template.could_extract_minus_sign())
        terms.append((negative, -template if negative else template))
    return terms, shown


def _join(terms: list[tuple[bool, sp.Expr]], show) -> str:
    out = ""
    for i, (negative, term) in enumerate(terms):
        text = show(term)
        if i == 0:
            out = ("-" if negative else "") + text
        else:
            out += (" - " if negative else " + ") + text
    return out


class _IntervalPrinter(StrPrinter):
    def __init__(self, names: Mapping[sp.Symbol, str]) -> None:
        super().__init__()
        self.names = names

    def _print_Symbol(self, expr: sp.Symbol) -> str:  # noqa: N802 (SymPy's naming)
        return self.names.get(expr, expr.name)


def law_text(law: Law, intervals: CoefficientIntervals | None = None, *, precision: int = 6, digits: int = 2) -> str:
    """The right-hand side in the user's column names, with ``(value ± half width)`` constants.

    Without intervals (or for a law without float constants) this is ``law.equation(precision)``.
    """
    if intervals is None or len(intervals.values) == 0:
        return law.equation(precision)
    _check(law, intervals)
    terms, shown = _display_terms(law, intervals, False, digits)
    names = {s: _display_name(name) for s, name in zip(law.symbols, law.features)}
    return _join(terms, _IntervalPrinter({**names, **shown}).doprint)


def law_latex(
    law: Law,
    intervals: CoefficientIntervals | None = None,
    *,
    symbol_names: Mapping[str, str],
    precision: int = 4,
    digits: int = 2,
) -> str:
    """LaTeX of the right-hand side with ``\\left(value \\pm half width\\right)`` constants.

    Parameters
    ----------
    law : Law
    intervals : CoefficientIntervals, optional
    symbol_names : mapping of column name to LaTeX
        Every feature of the law (see :func:`lawfind.export.latex_symbols`).
    precision : int, default=4
        Significant digits of the constants when there are no intervals.
    digits : int, default=2
        Significant digits of each half width.
    """
    if intervals is None or len(intervals.values) == 0:
        return law.latex(precision, symbol_names=symbol_names)
    _check(law, intervals)
    terms, shown = _display_terms(law, intervals, True, digits)
    names = {s: symbol_names[name] for s, name in zip(law.symbols, law.features)}
    return _join(terms, lambda term: sp.latex(term, symbol_names={**names, **shown}))


def _check(law: Law, intervals: CoefficientIntervals) -> None:
    if intervals.law != law:
        raise ValueError(f"the intervals belong to {intervals.law!r}, not to {law!r}")


def constants_table(law: Law, intervals: Sequence[CoefficientIntervals], *, digits: int = 2) -> pd.DataFrame:
    """One row per constant: name, the term it multiplies, and ``value ± width`` / interval per method.

    Parameters
    ----------
    law : Law
    intervals : sequence of CoefficientIntervals
        For ``law`` (e.g. the bootstrap and the asymptotic ones); the first gives the ``±``.
    """
    if not intervals:
        return pd.DataFrame(columns=["constant", "multiplies", "value"])
    for item in intervals:
        _check(law, item)
    first = intervals[0]
    model = first.parametrized()
    names = {s: _display_name(name) for s, name in zip(law.symbols, law.features)}
    rows = []
    for k, multiplier in enumerate(model.multipliers()):
        row = {
            "constant": f"c{k}",
            "multiplies": "(nonlinear)" if multiplier is None else _IntervalPrinter(names).doprint(multiplier),
            "value": format_uncertain(first.values[k], first.half_widths[k], digits=digits),
        }
        for item in intervals:
            label = f"{100 * item.level:g} % {item.method}"
            row[label] = format_interval(item.lower[k], item.upper[k], item.half_widths[k], digits=digits)
        rows.append(row)
    return pd.DataFrame(rows)

