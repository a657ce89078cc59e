"""Aliased oscillations: a sine or cosine whose argument the data sample too coarsely to follow.

``cos(1.41·HV)`` over hardness values that are whole numbers from 195 to 380 swings through
41 periods with fewer than five data values per period: on such a grid it is a pseudo-random
number per hardness value, a lookup of noise that raises R² on the training rows and means
nothing.  A law is *aliased* when one of its ``sin``/``cos``/``tan`` arguments, evaluated on
the data, spans more than :data:`MAX_PERIODS` periods while the typical gap between its
distinct values is wider than a :data:`MIN_SAMPLES_PER_PERIOD`-th of a period.  Densely
sampled oscillations (a time series with many periods) and angles (a period or less over the
data) are not aliased.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from lawfind.law._refit import evaluate

__all__ = ["aliased_oscillations", "MAX_PERIODS", "MIN_SAMPLES_PER_PERIOD"]

#: More periods than this over the data's range of the argument, with coarse sampling, is aliasing.
MAX_PERIODS = 2.0
#: Fewer distinct argument values per period than this (typical gap) is coarse sampling.
MIN_SAMPLES_PER_PERIOD = 8.0

_PERIOD = {sp.sin: 2 * np.pi, sp.cos: 2 * np.pi, sp.tan: np.pi}


def aliased_oscillations(expr: sp.Expr, X: np.ndarray) -> list[str]:
    """The trigonometric sub-expressions of ``expr`` that the rows of ``X`` sample too coarsely.

    Parameters
    ----------
    expr : sympy.Expr
        Expression over internal symbols ``x0``, ``x1``... (column ``i`` of ``X`` is ``x{i}``).
    X : ndarray of shape (n_samples, n_features)

    Returns
    -------
    list of str
        One line per aliased function, e.g. ``"cos(1.41*x0): 41.5 periods, 4.5 values per period"``;
        empty when there is none.

    Examples
    --------
    >>> import numpy as np, sympy as sp
    >>> hardness = np.arange(195.0, 381.0).reshape(-1, 1)
    >>> aliased_oscillations(sp.sympify("3*x0 + 3*cos(1.41*x0)"), hardness)
    ['cos(1.41*x0): 41.5 periods, 4.5 values per period']
    >>> aliased_oscillations(sp.sympify("3*x0 + 3*cos(0.01*x0)"), hardness)
    []
    """
    found = []
    for node in sorted(expr.atoms(sp.sin, sp.cos, sp.tan), key=sp.default_sort_key):
        argument = node.args[0]
        symbols = sorted(argument.free_symbols, key=lambda s: s.name)
        if not symbols:
            continue
        columns = np.array([X[:, int(s.name[1:])] for s in symbols])
        values = np.unique(evaluate(argument, symbols, columns))
        values = values[np.isfinite(values)]
        if values.size < 3:
            continue
        period = _PERIOD[node.func]
        periods = (values[-1] - values[0]) / period
        per_period = period / float(np.median(np.diff(values)))
        if periods > MAX_PERIODS and per_period < MIN_SAMPLES_PER_PERIOD:
            found.append(f"{node}: {periods:.3g} periods, {per_period:.2g} values per period")
    return found
