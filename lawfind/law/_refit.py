"""Refit the floating constants of an expression by nonlinear least squares (SciPy)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import sympy as sp

from lawfind.law._lsq import solve_least_squares
from lawfind.law._printing import ExactNumPyPrinter

__all__ = ["refit_constants", "float_constants", "evaluate", "is_degenerate", "parametrize"]

_NON_FINITE = (sp.zoo, sp.oo, -sp.oo, sp.nan)


def is_degenerate(expr: sp.Expr) -> bool:
    """True if ``expr`` contains infinity, NaN or an imaginary unit (e.g. after dividing by 0)."""
    return expr.has(*_NON_FINITE) or expr.has(sp.I)


def float_constants(expr: sp.Expr) -> list[sp.Float]:
    """The distinct floating-point constants of ``expr``, in a stable order."""
    floats = {atom for atom in expr.atoms(sp.Float)}
    return sorted(floats, key=lambda f: (sp.default_sort_key(f), float(f)))


def parametrize(expr: sp.Expr) -> tuple[sp.Expr, list[sp.Symbol], np.ndarray]:
    """Replace every float *occurrence* by its own parameter symbol ``_c{k}``.

    Equal floats in different places (``1.0 + 1.0*x``) become separate parameters.

    Returns
    -------
    template : sympy.Expr
    params : list of sympy.Symbol
    values : ndarray
        The float values, in the order of ``params``.
    """
    params: list[sp.Symbol] = []
    values: list[float] = []

    def walk(node: sp.Expr) -> sp.Expr:
        if isinstance(node, sp.Float):
            symbol = sp.Symbol(f"_c{len(params)}", real=True)
            params.append(symbol)
            values.append(float(node))
            return symbol
        if node.is_Atom or not node.args:
            return node
        return node.func(*[walk(arg) for arg in node.args])

    return walk(expr), params, np.array(values, dtype=float)


@lru_cache(maxsize=4096)
def _compiled(args: tuple[sp.Symbol, ...], expr: sp.Expr | tuple[sp.Expr, ...]) -> Callable[..., object]:
    """``sp.lambdify(args, expr)`` with lawfind's printer, memoised: printing and compiling an
    expression costs milliseconds, and the same one is evaluated again and again while a
    front is polished (a tuple of expressions compiles to one function returning a list)."""
    return sp.lambdify(args, list(expr) if isinstance(expr, tuple) else expr, modules="numpy",
                       printer=ExactNumPyPrinter)


def evaluate(expr: sp.Expr, symbols: list[sp.Symbol], columns: np.ndarray) -> np.ndarray:
    """Evaluate ``expr`` on ``columns`` (one row per symbol), returning a float array.

    Floating-point warnings are silenced; invalid results come back as NaN/inf.
    """
    n = columns.shape[1] if columns.ndim == 2 else 1
    if is_degenerate(expr):
        return np.full(n, np.nan)
    func = _compiled(tuple(symbols), expr)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = func(*columns)
    return np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()


def refit_constants(
    expr: sp.Expr,
    X: np.ndarray,
    y: np.ndarray,
    *,
    max_nfev: int = 200,
) -> sp.Expr:
    """Return ``expr`` with its float constants refit to minimise the squared error.

    Symbols ``x0``, ``x1``... index the columns of ``X``.  Integers, rationals and
    named constants (π, e) are kept as they are; only ``Float`` atoms move.  If the
    optimiser fails or does not improve the fit, ``expr`` is returned unchanged.

    Parameters
    ----------
    expr : sympy.Expr
        Expression over internal symbols ``x{i}``.
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    max_nfev : int, default=200
        Maximum number of function evaluations of the optimiser.
    """
    constants = float_constants(expr)
    if not constants or is_degenerate(expr):
        return expr
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    template, params, theta0 = parametrize(expr)
    columns = [X[:, int(s.name[1:])] for s in symbols]
    args = tuple(params) + tuple(symbols)
    func = _compiled(args, template)
    try:
        jac_func = _compiled(args, tuple(sp.diff(template, p) for p in params))
    except Exception:  # noqa: BLE001 - a derivative SymPy cannot build: fall back to finite differences
        jac_func = None
    n = len(y)

    def residual(theta: np.ndarray) -> np.ndarray:
        value = np.broadcast_to(np.asarray(func(*theta, *columns), dtype=float), (n,))
        out = value - y
        return np.where(np.isfinite(out), out, 1e150)

    def jacobian(theta: np.ndarray) -> np.ndarray:
        cols = [np.broadcast_to(np.asarray(j, dtype=float), (n,)) for j in jac_func(*theta, *columns)]
        jac = np.column_stack(cols)
        return np.where(np.isfinite(jac), jac, 0.0)

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = residual(theta0)
        try:
            result = solve_least_squares(residual, theta0, jacobian if jac_func is not None else None,
                                         max_nfev=max_nfev, tol=1e-15)
        except (ValueError, FloatingPointError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError):
            return expr
    if not np.all(np.isfinite(result.x)) or np.sum(result.fun**2) > np.sum(start**2):
        return expr
    return template.xreplace({p: sp.Float(float(v)) for p, v in zip(params, result.x)})
