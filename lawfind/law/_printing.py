"""Printers shared by every export: exact float printing, NumPy code, LaTeX names."""

from __future__ import annotations

import re
import unicodedata

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.str import StrPrinter

__all__ = ["expression_string", "ExactNumPyPrinter", "latex_name", "GREEK", "LATEX_SPECIAL"]

GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega"
).split()



def _unicode_name(greek: str) -> str:
    return "LAMDA" if greek == "lambda" else greek.upper()


_GREEK_UNICODE = {unicodedata.lookup(f"GREEK SMALL LETTER {_unicode_name(g)}"): g for g in GREEK}
_GREEK_UNICODE.update(
    {unicodedata.lookup(f"GREEK CAPITAL LETTER {_unicode_name(g)}"): g.capitalize() for g in GREEK}
)
_GREEK_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}
_SIMPLE_NAME = re.compile(r"^([A-Za-z]+|[A-Za-z][0-9]*)(?:_([A-Za-z0-9]+|\{[A-Za-z0-9,]+\}))?$")
#: LaTeX escapes of the characters that text mode cannot take as they are.
LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _float_repr(value: sp.Float) -> str:
    return repr(float(value))


class _ExactStrPrinter(StrPrinter):
    def _print_Float(self, expr: sp.Float) -> str:  # noqa: N802 (SymPy's naming)
        return _float_repr(expr)


class ExactNumPyPrinter(NumPyPrinter):
    """NumPy code printer that writes every float with all its digits (``repr``)."""

    def _print_Float(self, expr: sp.Float) -> str:  # noqa: N802
        return _float_repr(expr)


def expression_string(expr: sp.Expr) -> str:
    """Return ``str(expr)`` with floats printed exactly (round-trips through the parser)."""
    return _ExactStrPrinter().doprint(expr)


def latex_name(name: str) -> str:
    """LaTeX for a column name, keeping it as the user wrote it.

    Greek names (``beta``, ``lambda``, ``σ``) become Greek letters, ``a_b`` becomes a
    subscript, anything else is set upright with LaTeX's special characters escaped.

    Examples
    --------
    >>> latex_name("sigma_y"), latex_name("σ_y"), latex_name("T (K)")
    ('\\\\sigma_{y}', '\\\\sigma_{y}', '\\\\mathrm{T\\\\ (K)}')
    """
    converted = "".join(
        (_GREEK_UNICODE[ch] + (" " if i + 1 < len(name) and name[i + 1].isalpha() else ""))
        if ch in _GREEK_UNICODE
        else ch
        for i, ch in enumerate(name)
    )
    match = _SIMPLE_NAME.match(converted)
    if match:
        base, sub = match.group(1), match.group(2)
        base_tex = _latex_base(base)
        if base_tex is not None:
            if sub is None:
                return base_tex
            sub = sub.strip("{}")
            sub_tex = _latex_base(sub) or r"\mathrm{" + sub + "}"
            return f"{base_tex}_{{{sub_tex}}}"
    escaped = "".join(LATEX_SPECIAL.get(ch, ch) for ch in name).replace(" ", r"\ ")
    escaped = "".join(
        ("\\" + _GREEK_UNICODE[ch] + " ") if ch in _GREEK_UNICODE else ch for ch in escaped
    )
    return r"\mathrm{" + escaped + "}"


def _latex_base(text: str) -> str | None:
    if text in GREEK and text != "omicron":
        return "\\" + text
    if text in _GREEK_CAPITALS:
        return "\\" + text
    if len(text) == 1 or re.fullmatch(r"[A-Za-z][0-9]*", text):
        return text if len(text) == 1 else f"{text[0]}_{{{text[1:]}}}"
    if text.isalnum() and text.isascii():
        return r"\mathrm{" + text + "}"
    return None
