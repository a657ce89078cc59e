"""Exact symbolic recovery, decided by SRBench's rule (``assess_symbolic_model.py``).

SRBench (La Cava et al., 2021) cleans a model with ``simplify(model, ratio=1)`` and
rounds its floating constants to 6 decimals; then, if the model's test R² exceeds
0.5, it forms the difference ``true - model`` and the ratio ``model / true`` (floats
rounded again), simplifies the difference, and counts a *symbolic solution* when the
difference is zero or a constant, or the ratio is a constant — unless the cleaned
model is ``0`` or ``nan``.  Here the ratio must also be a finite non-zero constant
(SRBench reaches the same by excluding the model ``0``), the ratio is simplified like
the difference, and every SymPy step runs under a time limit
(:func:`~lawfind.bench._timeout.call_with_timeout`).  As in SRBench's ``get_sym_model``
and ``clean_pred_model``, ``pi`` becomes the float ``3.1415926535`` in both the true formula
and the model (so a fitted ``9.869604`` matches ``pi**2`` after rounding), and symbols
carry no assumptions, so ``sqrt(x**2)`` is not ``x``.

A second verdict, ``exact_positive``, applies the same rule to symbols declared positive
(SRBench 2.0's ``clean_pred_model`` parses models over ``Symbol(name, positive=True)``):
every variable range of the Feynman table is positive, so ``m/sqrt(v**(-2) - c**(-2))``
equals ``m*v/sqrt(1 - v**2/c**2)`` on the whole domain — the 2021 rule does not see it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from lawfind.bench._results import ACCURATE_R2
from lawfind.bench._timeout import SympyTimeout, call_with_timeout
from lawfind.law import complexity

__all__ = ["Assessment", "round_floats", "clean_model", "symbolic_match", "assess_model", "R2_GATE"]

#: SRBench checks symbolic equivalence only for models with a test R² above this.
R2_GATE = 0.5
_DIGITS = 6
#: SRBench writes ``pi`` as this float in the true formula and in the models.
SRBENCH_PI = sp.Float("3.1415926535")


@dataclass(frozen=True)
class Assessment:
    """The verdict on one model.

    Attributes
    ----------
    exact : bool
        A symbolic solution by SRBench's rule.
    match : str
        ``"zero"``, ``"difference"`` (a constant difference) or ``"ratio"`` (a constant
        ratio) when exact, else ``""``.
    cleaned : sympy.Expr or None
        The simplified model with its constants rounded to 6 decimals.
    size : int or None
        :func:`lawfind.law.complexity` of ``cleaned``.
    note : str
        Why the check was skipped or cut short (low R², a SymPy time-out), else ``""``.
    exact_positive : bool
        A solution by the same rule over positive symbols (always True when ``exact``;
        checked only for accurate models, test R² > ``ACCURATE_R2`` (0.999): an exact
        model has R² ≈ 1 on the clean test set, and the gate spares SymPy hopeless cases).
    """

    exact: bool
    match: str
    cleaned: sp.Expr | None
    size: int | None
    note: str = ""
    exact_positive: bool = False


def round_floats(expr: sp.Expr, digits: int = _DIGITS) -> sp.Expr:
    """Round every floating-point constant of ``expr`` to ``digits`` decimals.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> round_floats(1.0000001 * x + 1e-9)
    1.0*x
    """
    floats = {f: sp.Float(round(float(f), digits)) for f in expr.atoms(sp.Float)}
    return expr.xreplace(floats) if floats else expr


def _srbench_form(expr: sp.Expr, positive: bool = False) -> sp.Expr:
    """``expr`` as SRBench compares it: ``pi`` as its float, symbols of the same names without
    assumptions (2021) or declared positive (2.0)."""
    symbols = {s: sp.Symbol(s.name, positive=True) if positive else sp.Symbol(s.name) for s in expr.free_symbols}
    return expr.xreplace(symbols).xreplace({sp.pi: SRBENCH_PI})


def _with_note(note: str, extra: str) -> str:
    return "; ".join(filter(None, [note, extra]))


def _clean(expr: sp.Expr) -> sp.Expr:
    return round_floats(sp.simplify(expr, ratio=1))


def clean_model(expr: sp.Expr, *, timeout: float | None = 30.0) -> tuple[sp.Expr, str]:
    """SRBench's cleaning: ``round_floats(simplify(expr, ratio=1))``.

    Returns the cleaned model and a note; after a time-out the model is only rounded.
    """
    expr = _srbench_form(expr)
    try:
        return call_with_timeout(_clean, expr, seconds=timeout), ""
    except SympyTimeout:
        return round_floats(expr), f"simplification timed out after {timeout:g} s"


def _is_constant(expr: sp.Expr) -> bool:
    return bool(expr.is_constant())


def _compare(true: sp.Expr, model: sp.Expr) -> str:
    difference = round_floats(true - model)
    if difference != 0:
        difference = sp.simplify(difference, ratio=1)
    if difference == 0:
        return "zero"
    if _is_constant(difference) and difference.is_finite is not False:
        return "difference"
    ratio = round_floats(model / true)
    if not _is_constant(ratio):
        ratio = sp.simplify(ratio, ratio=1)
    if _is_constant(ratio) and ratio != 0 and ratio.is_finite is not False and not ratio.has(sp.nan):
        return "ratio"
    return ""


def symbolic_match(true: sp.Expr, model: sp.Expr, *, timeout: float | None = 30.0, positive: bool = False) -> str:
    """How ``model`` matches ``true``: ``"zero"``, ``"difference"``, ``"ratio"`` or ``""`` (no match).

    With ``positive=True`` the symbols of both are declared positive (SRBench 2.0).

    Raises
    ------
    SympyTimeout
        If SymPy needs longer than ``timeout`` seconds.

    Examples
    --------
    >>> x, y = sp.symbols("x y")
    >>> symbolic_match(x * y, 2.5 * x * y), symbolic_match(x + y, x + y + 3), symbolic_match(x * y, x + y)
    ('ratio', 'difference', '')
    >>> symbolic_match(x / sp.sqrt(1 - x**2 / y**2), 1 / sp.sqrt(x**-2 - y**-2), positive=True)
    'zero'
    """
    return call_with_timeout(_compare, _srbench_form(true, positive), _srbench_form(model, positive), seconds=timeout)


def assess_model(true: sp.Expr, model: sp.Expr | None, r2_test: float, *,
                 timeout: float | None = 30.0) -> Assessment:
    """SRBench's verdict on ``model`` for the ground truth ``true``.

    Parameters
    ----------
    true : sympy.Expr
        The ground-truth formula.
    model : sympy.Expr or None
        The model over symbols with the same names as ``true``'s; None when the
        method produced none.
    r2_test : float
        The model's R² on the test set; the symbolic check runs only above
        :data:`R2_GATE` (0.5), as in SRBench.
    timeout : float or None, default=30.0
        Seconds allowed for each SymPy stage (cleaning, comparison).

    Returns
    -------
    Assessment
    """
    if model is None:
        return Assessment(False, "", None, None, "no model")
    cleaned, note = clean_model(model, timeout=timeout)
    size = complexity(cleaned)
    if cleaned == 0 or cleaned.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return Assessment(False, "", cleaned, size, note or "degenerate model")
    if not r2_test > R2_GATE:
        return Assessment(False, "", cleaned, size, note or f"test R² ≤ {R2_GATE}: symbolic check skipped")
    try:
        match = symbolic_match(true, cleaned, timeout=timeout)
    except SympyTimeout:
        match, note = "", _with_note(note, f"symbolic comparison timed out after {timeout:g} s")
    if match:
        return Assessment(True, match, cleaned, size, note, exact_positive=True)
    if not r2_test > ACCURATE_R2:
        return Assessment(False, "", cleaned, size, note)
    try:
        positive = bool(symbolic_match(true, cleaned, timeout=timeout, positive=True))
    except SympyTimeout:
        positive, note = False, _with_note(note, f"positive-symbol comparison timed out after {timeout:g} s")
    return Assessment(False, "", cleaned, size, note, exact_positive=positive)
