"""LaTeX for column names, units and table text that ``pdflatex`` accepts as is."""

from __future__ import annotations

import re
from collections.abc import Mapping

from lawfind.exceptions import DataError
from lawfind.law._printing import _GREEK_UNICODE, LATEX_SPECIAL, latex_name

__all__ = ["latex_symbol", "latex_symbols", "latex_unit", "latex_text", "unit_text"]

_TEXT_SPECIAL = {**LATEX_SPECIAL, "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
# characters pint writes in units, as math-mode LaTeX
_UNIT_CHARACTERS = {"µ": r"\mu ", "μ": r"\mu ", "°": r"{}^{\circ}", "Å": r"\text{\AA}", "Ω": r"\Omega ",
                    "‰": r"\text{\textperthousand}"}
_TEXT_SYMBOLS = {"±": r"\ensuremath{\pm}", "–": "--", "—": "---", "·": r"\ensuremath{\cdot}",
                 "×": r"\ensuremath{\times}", "…": r"\dots{}", "≤": r"\ensuremath{\leq}",
                 "≥": r"\ensuremath{\geq}", "≠": r"\ensuremath{\neq}", "²": r"\textsuperscript{2}",
                 "³": r"\textsuperscript{3}", "⁻": r"\textsuperscript{-}", "¹": r"\textsuperscript{1}"}
_TEXT_COMMAND = re.compile(r"\\text(backslash|asciitilde|asciicircum)")


def latex_text(text: str) -> str:
    """Escape ``text`` for LaTeX text mode (tables, captions); Greek letters become math.

    Examples
    --------
    >>> latex_text("YS [MPa] & 50%")
    'YS [MPa] \\\\& 50\\\\%'
    """
    out = []
    for ch in str(text):
        if ch in _TEXT_SPECIAL:
            out.append(_TEXT_SPECIAL[ch])
        elif ch in _TEXT_SYMBOLS:
            out.append(_TEXT_SYMBOLS[ch])
        elif ch in _GREEK_UNICODE:
            out.append(r"\ensuremath{%s}" % _greek_command(_GREEK_UNICODE[ch]))
        elif ch in _UNIT_CHARACTERS:
            out.append(r"\ensuremath{%s}" % _UNIT_CHARACTERS[ch].strip())
        else:
            out.append(ch)
    return "".join(out)


_LATIN_LOOKING = {"Alpha": "A", "Beta": "B", "Epsilon": "E", "Zeta": "Z", "Eta": "H", "Iota": "I", "Kappa": "K",
                  "Mu": "M", "Nu": "N", "Omicron": "O", "Rho": "P", "Tau": "T", "Chi": "X", "omicron": "o"}
_NO_COMMAND = re.compile(r"\\(" + "|".join(_LATIN_LOOKING) + r")(?![A-Za-z])")


def _greek_command(name: str) -> str:
    """The LaTeX of a Greek letter name; LaTeX has no ``\\Alpha``: such capitals are Latin letters."""
    return r"\mathrm{%s}" % _LATIN_LOOKING[name] if name in _LATIN_LOOKING else "\\" + name


def latex_symbol(name: str) -> str:
    """Math-mode LaTeX for a column name (Greek, subscripts; anything else upright and escaped).

    :func:`lawfind.law.latex_name` does the typesetting; names it can only write with
    text-mode commands (a backslash, ``~``, ``^``) or with characters outside ASCII
    are set with ``\\text{...}`` (amsmath) so that the result compiles.

    Examples
    --------
    >>> latex_symbol("sigma_y"), latex_symbol("T (°C)")
    ('\\\\sigma_{y}', '\\\\text{T (\\\\ensuremath{{}^{\\\\circ}}C)}')
    """
    tex = latex_name(name)
    if tex.isascii() and not _TEXT_COMMAND.search(tex) and not _NO_COMMAND.search(tex):
        return tex
    return r"\text{" + latex_text(name) + "}"


def latex_symbols(names: list[str], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """LaTeX of each name, with user ``overrides`` (column name -> LaTeX, used verbatim)."""
    overrides = dict(overrides or {})
    return {name: overrides.get(name, latex_symbol(name)) for name in names}


def _unit(unit: str):
    from lawfind.data._dataset import _unit_registry

    try:
        return _unit_registry().Unit(str(unit))
    except Exception as exc:  # noqa: BLE001 - pint raises many kinds of errors for a bad unit
        raise DataError(f"unit {unit!r} is not understood by pint: {exc}") from None


def latex_unit(unit: str) -> str:
    """Math-mode LaTeX of a pint unit (``"kgf/mm**2"`` -> ``\\frac{\\mathrm{kgf}}{\\mathrm{mm}^{2}}``).

    Empty for dimensionless units.  Characters pint writes in Unicode (µ, °, Å, Ω) are
    replaced by LaTeX commands.
    """
    tex = format(_unit(unit), "~L")
    for ch, replacement in _UNIT_CHARACTERS.items():
        tex = tex.replace(ch, replacement)
    if not tex.isascii():
        raise DataError(f"unit {unit!r} has characters LaTeX cannot typeset: {tex!r}")
    return tex


def unit_text(unit: str) -> str:
    """Plain-text (Unicode) form of a pint unit for figures and reports (``"kgf/mm²"``)."""
    return format(_unit(unit), "~P")
