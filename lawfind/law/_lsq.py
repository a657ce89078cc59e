"""One least-squares solver for every constant fit, chosen to be reproducible bit for bit.

Why not ``least_squares(method="lm")``: in SciPy 1.17 (whose MINPACK is the C
translation) the Levenberg-Marquardt path reads memory it did not initialise.  With
the same inputs and the same function values its iterates depend on what the heap held
before the call; filling freed buffers with 0.0 or with 7.0 before an identical call
gives different constants, and two processes (a serial run and a Dask worker) refit
the same over-parametrised law to different points of a flat valley.  The trust-region
reflective solver (``method="trf"``) is written in Python on NumPy/LAPACK and gives the
same bits for the same inputs, in any process and with any BLAS thread count; with
``x_scale="jac"`` (MINPACK's own scaling) it is as accurate as ``lm`` on lawfind's
candidates and no slower.  ``tests/test_determinism.py`` guards this.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import OptimizeResult, least_squares

__all__ = ["solve_least_squares"]


def solve_least_squares(
    residual: Callable[[np.ndarray], np.ndarray],
    theta0: np.ndarray,
    jac: Callable[[np.ndarray], np.ndarray] | None,
    *,
    max_nfev: int,
    tol: float,
) -> OptimizeResult:
    """Minimise ``sum(residual(theta)**2)`` from ``theta0`` (deterministically).

    Parameters
    ----------
    residual : callable
        ``theta -> residuals`` (finite values).
    theta0 : ndarray
    jac : callable or None
        ``theta -> Jacobian``; finite differences when None.
    max_nfev : int
        Most residual evaluations.
    tol : float
        ``xtol``, ``ftol`` and ``gtol``.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x`` holds the fitted parameters; ``fun`` the residuals there.

    Raises
    ------
    ValueError, FloatingPointError, ZeroDivisionError, OverflowError, numpy.linalg.LinAlgError
        As raised by SciPy for a problem it cannot solve; callers keep their start values.
    """
    return least_squares(residual, np.asarray(theta0, dtype=float), jac=jac if jac is not None else "2-point",
                         method="trf", x_scale="jac", max_nfev=max_nfev, xtol=tol, ftol=tol, gtol=tol)
