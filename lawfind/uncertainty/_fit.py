"""A law with its float constants as free parameters: evaluate, differentiate, refit."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
import sympy as sp

from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, DataError
from lawfind.law import Law
from lawfind.law._lsq import solve_least_squares
from lawfind.law._printing import ExactNumPyPrinter
from lawfind.law._refit import parametrize

__all__ = ["ParametrizedLaw", "law_arrays"]


def law_arrays(law: Law, data: Any, y: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """The columns a law needs and its target, as float arrays.

    Parameters
    ----------
    law : Law
    data : Dataset, DataFrame or mapping of column name to array
        Must hold the law's feature columns and, unless ``y`` is given, its target.
    y : array-like, optional
        The observed target; read from ``data[law.target]`` when omitted.

    Returns
    -------
    columns : ndarray of shape (n_features_used, n_samples)
        One row per symbol of :attr:`Law.symbols`.
    y : ndarray of shape (n_samples,)
    """
    frame = data.frame if isinstance(data, Dataset) else data
    if not isinstance(frame, (pd.DataFrame, Mapping)):
        raise DataError(f"data must be a Dataset, a DataFrame or a mapping of columns, not {type(data).__name__}")
    needed = law.features + ([law.target] if y is None else [])
    missing = [name for name in needed if name not in frame]
    if missing:
        raise DataError(f"the data lack the column(s) {missing} needed to refit {law.target} = {law.equation(6)}")
    try:
        target = np.asarray(frame[law.target] if y is None else y, dtype=float)
        columns = [np.asarray(frame[name], dtype=float) for name in law.features]
    except (TypeError, ValueError):
        raise DataError("the law's columns and target must be numeric to refit its constants") from None
    n = target.shape[0]
    if any(c.shape != (n,) for c in columns) or target.ndim != 1:
        raise DataError(f"the law's columns and the target must be 1-D arrays of the same length ({n})")
    stacked = np.array(columns, dtype=float).reshape(len(columns), n)
    if not (np.all(np.isfinite(stacked)) and np.all(np.isfinite(target))):
        raise DataError("the data hold NaN or infinite values in the law's columns or target")
    return stacked, target


@dataclass(frozen=True, eq=False)
class ParametrizedLaw:
    """A regression law whose float constants are parameters ``_c0, _c1, ...``.

    Every float *occurrence* is one parameter (see :func:`lawfind.law._refit.parametrize`);
    integers, rationals and named constants stay fixed: they are part of the structure.

    Parameters
    ----------
    law : Law
        A regression law (no :class:`~lawfind.law.Decision`).

    Attributes
    ----------
    template : sympy.Expr
        The expression with ``_c{k}`` in place of each float.
    parameters : tuple of sympy.Symbol
    values : ndarray
        The law's constants, in the order of ``parameters``.
    analytic_jacobian : bool
        False when SymPy could not differentiate the template; fits then use finite
        differences (recorded in every result built on it).
    """

    law: Law
    template: sp.Expr = field(init=False)
    parameters: tuple[sp.Symbol, ...] = field(init=False)
    values: np.ndarray = field(init=False)
    analytic_jacobian: bool = field(init=False)
    _model: Callable[..., Any] = field(init=False, repr=False)
    _derivatives: tuple[Callable[..., Any], ...] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.law.decision is not None:
            raise ConfigError(
                "coefficient intervals are for regression laws; this law is a classifier (it has a decision "
                "threshold)"
            )
        template, params, values = parametrize(self.law.expression)
        args = list(params) + self.law.symbols
        model = sp.lambdify(args, template, modules="numpy", printer=ExactNumPyPrinter)
        try:
            derivatives = tuple(
                sp.lambdify(args, sp.diff(template, p), modules="numpy", printer=ExactNumPyPrinter) for p in params
            )
        except Exception:  # noqa: BLE001 - SymPy cannot print a derivative (e.g. of sign): use finite differences
            derivatives = None
        for name, value in (("template", template), ("parameters", tuple(params)), ("values", values),
                            ("analytic_jacobian", derivatives is not None), ("_model", model),
                            ("_derivatives", derivatives)):
            object.__setattr__(self, name, value)

    @property
    def n_parameters(self) -> int:
        """Number of free constants."""
        return len(self.parameters)

    def predict(self, theta: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Values of the template at parameters ``theta`` on ``columns`` (one row per symbol)."""
        n = columns.shape[1]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = self._model(*theta, *columns)
        return np.broadcast_to(np.asarray(value, dtype=float), (n,))

    def jacobian(self, theta: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Derivatives of the template with respect to each parameter, shape (n_samples, n_parameters)."""
        n = columns.shape[1]
        if self._derivatives is None:
            return self._finite_difference_jacobian(theta, columns)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cols = [np.broadcast_to(np.asarray(d(*theta, *columns), dtype=float), (n,)) for d in self._derivatives]
        return np.column_stack(cols) if cols else np.empty((n, 0))

    def _finite_difference_jacobian(self, theta: np.ndarray, columns: np.ndarray) -> np.ndarray:
        base = self.predict(theta, columns)
        out = np.empty((columns.shape[1], len(theta)))
        for k in range(len(theta)):
            step = 1e-7 * max(1.0, abs(theta[k]))
            shifted = np.array(theta, dtype=float)
            shifted[k] += step
            out[:, k] = (self.predict(shifted, columns) - base) / step
        return out

    def fit(self, columns: np.ndarray, y: np.ndarray, start: np.ndarray | None = None) -> np.ndarray | None:
        """Least-squares constants on ``(columns, y)`` from ``start``; None if the fit fails.

        Parameters
        ----------
        columns : ndarray of shape (n_symbols, n_samples)
        y : ndarray of shape (n_samples,)
        start : ndarray, optional
            Starting point; the law's own constants by default.
        """
        theta0 = self.values if start is None else np.asarray(start, dtype=float)

        def residual(theta: np.ndarray) -> np.ndarray:
            out = self.predict(theta, columns) - y
            return np.where(np.isfinite(out), out, 1e150)

        def jac(theta: np.ndarray) -> np.ndarray:
            value = self.jacobian(theta, columns)
            return np.where(np.isfinite(value), value, 0.0)

        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                result = solve_least_squares(residual, theta0, jac if self._derivatives is not None else None,
                                             max_nfev=400, tol=1e-12)
            except (ValueError, FloatingPointError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError):
                return None
        if not np.all(np.isfinite(result.x)) or not np.all(np.isfinite(self.predict(result.x, columns))):
            return None
        return np.asarray(result.x, dtype=float)

    def multipliers(self) -> list[sp.Expr | None]:
        """For each parameter: the expression it multiplies if the law is linear in it, else None.

        ``(3.2*x0 - 25.8)`` gives ``[x0, 1]`` (over internal symbols).
        """
        out: list[sp.Expr | None] = []
        for p in self.parameters:
            derivative = sp.diff(self.template, p)
            out.append(None if derivative.free_symbols & set(self.parameters) else derivative)
        return out
