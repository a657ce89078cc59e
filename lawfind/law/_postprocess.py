"""Post-processing shared by every engine: simplify, snap constants, refit.

The steps, in order:

1. **Simplify** with SymPy (only when it makes the expression smaller), which also
   folds the scale constant pyoperon puts on every leaf into one coefficient.
2. **Refit** the remaining float constants by least squares (:func:`refit_constants`).
3. **Snap** each float constant to a nearby "nice" value — 0, an integer, a small
   rational, or a small rational times π, e, √2, √3 — trying the candidates from the
   simplest.  A snap is kept only if, after refitting the other constants, the NRMSE
   stays within ``tolerance``: ``new <= old * (1 + rel_tol) + abs_tol``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from lawfind.law._complexity import complexity
from lawfind.law._metrics import nrmse
from lawfind.law._refit import evaluate, float_constants, is_degenerate, refit_constants

__all__ = ["SnapTolerance", "simplify_expression", "snap_constants", "finalize_expression", "decimalize"]

_MAX_SIMPLIFY_NODES = 40
_SPECIAL = [(sp.Integer(1), 1.0), (sp.pi, float(np.pi)), (sp.E, float(np.e)),
            (sp.sqrt(2), float(np.sqrt(2))), (sp.sqrt(3), float(np.sqrt(3)))]


@dataclass(frozen=True)
class SnapTolerance:
    """How much worse (NRMSE) a snapped constant may make the fit.

    Parameters
    ----------
    rel_tol : float, default=1e-4
        Allowed relative increase of the NRMSE (small: a noisy constant such as
        3.214 ± 0.02 stays as fitted rather than becoming 16/5).
    abs_tol : float, default=1e-9
        Allowed absolute increase of the NRMSE.
    max_denominator : int, default=12
        Largest denominator of the rationals tried.
    window : float, default=1e-6
        Only candidates within this relative distance of the fitted constant are tried
        (exact laws refit their constants to ~1e-10, so a tight window loses nothing
        and keeps the constants of approximate or noisy laws as fitted).  Dropping a
        term (snapping to 0) is always tried.
    max_constants : int, default=8
        Laws with more float constants than this are refit but not snapped (each
        snap trial is a refit: the cost grows with the number of constants).
    """

    rel_tol: float = 1e-4
    abs_tol: float = 1e-9
    max_denominator: int = 12
    window: float = 1e-6
    max_constants: int = 8


def _symbols_of(expr: sp.Expr) -> list[sp.Symbol]:
    return sorted(expr.free_symbols, key=lambda s: s.name)


def _score(expr: sp.Expr, X: np.ndarray, y: np.ndarray) -> float:
    symbols = _symbols_of(expr)
    columns = np.array([X[:, int(s.name[1:])] for s in symbols]) if symbols else np.empty((0, len(y)))
    pred = evaluate(expr, symbols, columns) if symbols else np.full(len(y), float(expr) if expr.is_number and expr.is_real else np.nan)
    return nrmse(y, pred)


def simplify_expression(expr: sp.Expr) -> sp.Expr:
    """SymPy-simplify ``expr`` if it is small enough and the result is not larger."""
    if complexity(expr) > _MAX_SIMPLIFY_NODES:
        return expr
    candidates = [expr]
    try:
        candidates.append(sp.simplify(expr))
    except Exception:  # noqa: BLE001 - SymPy may fail on odd trees; keep the original
        pass
    try:
        candidates.append(sp.powsimp(sp.expand_log(sp.factor_terms(expr), force=False)))
    except Exception:  # noqa: BLE001
        pass
    valid = [c for c in candidates if c.free_symbols <= expr.free_symbols and not c.has(sp.zoo, sp.nan)]
    return min(valid, key=complexity)


def _candidates(value: float, tol: SnapTolerance) -> list[sp.Expr]:
    out: list[tuple[int, float, sp.Expr]] = []
    out.append((0, abs(value), sp.Integer(0)))  # dropping the term is always tried first
    for special, number in _SPECIAL:
        ratio = Fraction(value / number).limit_denominator(tol.max_denominator)
        if ratio == 0:
            continue
        if abs(ratio.numerator) > (10**9 if special == 1 and ratio.denominator == 1 else 100):
            continue
        candidate = sp.Rational(ratio.numerator, ratio.denominator) * special
        approx = float(ratio) * number
        if abs(approx - value) <= tol.window * abs(value):
            cost = complexity(candidate)
            out.append((cost, abs(approx - value) / abs(value), candidate))
    out.sort(key=lambda item: (item[0], item[1]))
    return [c for _, _, c in out]


def snap_constants(
    expr: sp.Expr, X: np.ndarray, y: np.ndarray, tol: SnapTolerance = SnapTolerance(),
    keep: Callable[[sp.Expr], bool] | None = None,
) -> sp.Expr:
    """Snap float constants of ``expr`` to simple exact values where the fit allows it.

    ``keep``, when given and true of ``expr``, must stay true of every snapped form (e.g.
    "the law's form does not depend on the units": a fitted prefactor of a dimensional
    target carries its unit, and snapping it to exactly 1 would tie the law to the units).
    """
    current = expr
    if len(float_constants(expr)) > tol.max_constants:
        return expr
    if keep is not None and not keep(expr):
        keep = None  # nothing to preserve
    base_score = _score(current, X, y)
    if not np.isfinite(base_score):
        return expr
    limit = base_score * (1 + tol.rel_tol) + tol.abs_tol
    changed = True
    while changed:
        changed = False
        for constant in sorted(float_constants(current), key=lambda c: abs(float(c))):
            value = float(constant)
            for candidate in _candidates(value, tol):
                trial = current.xreplace({constant: candidate})
                if trial == current or is_degenerate(trial):
                    continue
                trial = refit_constants(trial, X, y)
                if _score(trial, X, y) <= limit and (keep is None or keep(trial)):
                    current = trial
                    changed = True
                    break
            if changed:
                break
    return current


def decimalize(expr: sp.Expr) -> sp.Expr:
    """Write coefficients such as 16/5 as the decimal 3.2; exponents, 1/3-like values, the
    arguments of functions and the shifts in a power's base stay exact (``sin(theta/2)``, not
    ``sin(0.5*theta)``; ``1/(x + 1/100)``: a Float would be a fitted constant, the shift is structure)."""
    if isinstance(expr, sp.Function):
        return expr
    if isinstance(expr, sp.Rational) and not expr.is_Integer:
        denominator = int(expr.q)
        while denominator % 2 == 0:
            denominator //= 2
        while denominator % 5 == 0:
            denominator //= 5
        return sp.Float(str(float(expr))) if denominator == 1 else expr
    if isinstance(expr, sp.Pow):
        base = expr.base
        if isinstance(base, sp.Add):
            return sp.Pow(sp.Add(*[arg if arg.is_Rational else decimalize(arg) for arg in base.args]), expr.exp)
        return sp.Pow(decimalize(base), expr.exp)
    if expr.is_Atom or not expr.args:
        return expr
    return expr.func(*[decimalize(arg) for arg in expr.args])


def finalize_expression(
    expr: sp.Expr, X: np.ndarray, y: np.ndarray, tol: SnapTolerance = SnapTolerance(),
    keep: Callable[[sp.Expr], bool] | None = None,
) -> sp.Expr:
    """Simplify, refit, snap, refit: the shared post-processing of every engine.

    Snapped decimal coefficients are written as decimals at the end (3.2, not 16/5).
    """
    expr = simplify_expression(expr)
    expr = refit_constants(expr, X, y)
    expr = snap_constants(expr, X, y, tol, keep)
    expr = simplify_expression(expr)
    return decimalize(refit_constants(expr, X, y))
