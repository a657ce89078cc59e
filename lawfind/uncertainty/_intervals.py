"""Confidence intervals of a law's constants: case bootstrap and the asymptotic (Jacobian) estimate."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from lawfind._checks import check_seed
from lawfind.exceptions import ConfigError, DataError, ExpressionError, LawfindWarning
from lawfind.law import Law
from lawfind.law._printing import expression_string
from lawfind.uncertainty._fit import ParametrizedLaw, law_arrays

__all__ = [
    "CoefficientIntervals",
    "IntervalMethod",
    "INTERVALS_SCHEMA",
    "bootstrap_intervals",
    "asymptotic_intervals",
    "coefficient_intervals",
]

INTERVALS_SCHEMA = "lawfind.intervals/1"
IntervalMethod = Literal["bootstrap", "asymptotic"]
_METHODS = ("bootstrap", "asymptotic")
MIN_RESAMPLES = 10


@dataclass(frozen=True, eq=False)
class CoefficientIntervals:
    """Confidence intervals for every float constant of a law (fixed structure).

    Constants are numbered ``c0, c1, ...`` in the order of
    :attr:`ParametrizedLaw.parameters` (each float occurrence is one constant).

    Attributes
    ----------
    law : Law
    method : {"bootstrap", "asymptotic"}
    level : float
        Coverage, e.g. 0.95.
    values, lower, upper, std_errors : ndarray
        The law's constants, the interval bounds and the standard errors.
    n_resamples : int
        Bootstrap resamples drawn (0 for the asymptotic method).
    n_failed : int
        Resamples whose refit failed (left out of the percentiles).
    seed : int or None
        Seed of the resampling.
    analytic_jacobian : bool
        False when finite differences replaced SymPy derivatives.
    samples : ndarray or None
        The bootstrap constants, shape (n_resamples - n_failed, n_constants); not saved.
    """

    law: Law
    method: IntervalMethod
    level: float
    values: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    std_errors: np.ndarray
    n_resamples: int = 0
    n_failed: int = 0
    seed: int | None = None
    analytic_jacobian: bool = True
    samples: np.ndarray | None = None

    @property
    def names(self) -> list[str]:
        """``["c0", "c1", ...]``."""
        return [f"c{k}" for k in range(len(self.values))]

    @property
    def half_widths(self) -> np.ndarray:
        """Half the interval widths (the ``±`` shown next to each constant)."""
        return (self.upper - self.lower) / 2.0

    def parametrized(self) -> ParametrizedLaw:
        """The law with its constants as parameters (the order used here)."""
        return ParametrizedLaw(self.law)

    def describe(self) -> str:
        """One phrase naming the method, e.g. ``"95 % bootstrap intervals (1000 resamples)"``."""
        level = f"{100 * self.level:g} %"
        if self.method == "bootstrap":
            failed = f", {self.n_failed} failed refits left out" if self.n_failed else ""
            return f"{level} percentile bootstrap intervals ({self.n_resamples} case resamples, seed {self.seed}{failed})"
        jac = "" if self.analytic_jacobian else ", finite-difference Jacobian"
        return f"{level} asymptotic intervals (Jacobian, Student t{jac})"

    def to_frame(self) -> pd.DataFrame:
        """One row per constant: name, value, lower, upper, half width, standard error."""
        return pd.DataFrame({
            "constant": self.names, "value": self.values, "lower": self.lower, "upper": self.upper,
            "half_width": self.half_widths, "std_error": self.std_errors,
        })

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the bootstrap samples); :meth:`from_dict` reads it back."""
        return {
            "schema": INTERVALS_SCHEMA,
            "method": self.method,
            "level": self.level,
            "template": expression_string(self.parametrized().template),
            "constants": [
                {"name": n, "value": float(v), "lower": float(lo), "upper": float(hi), "std_error": float(se)}
                for n, v, lo, hi, se in zip(self.names, self.values, self.lower, self.upper, self.std_errors)
            ],
            "n_resamples": self.n_resamples,
            "n_failed": self.n_failed,
            "seed": self.seed,
            "analytic_jacobian": self.analytic_jacobian,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], law: Law) -> "CoefficientIntervals":
        """Rebuild intervals of ``law`` from :meth:`to_dict` output (checked against the law)."""
        if not isinstance(data, Mapping) or data.get("schema") != INTERVALS_SCHEMA:
            raise ExpressionError(f"intervals must have schema {INTERVALS_SCHEMA!r}")
        if data.get("method") not in _METHODS:
            raise ExpressionError(f"interval method must be one of {list(_METHODS)}, got {data.get('method')!r}")
        rows = data.get("constants")
        expected = ParametrizedLaw(law)
        if not isinstance(rows, list) or len(rows) != expected.n_parameters:
            raise ExpressionError(f"intervals list {len(rows or [])} constants; the law has {expected.n_parameters}")
        if data.get("template") != expression_string(expected.template):
            raise ExpressionError("the intervals were computed for another law (their template differs)")
        column = {key: np.array([float(r[key]) for r in rows]) for key in ("value", "lower", "upper", "std_error")}
        return cls(law, data["method"], float(data["level"]), column["value"], column["lower"], column["upper"],
                   column["std_error"], int(data.get("n_resamples", 0)), int(data.get("n_failed", 0)),
                   data.get("seed"), bool(data.get("analytic_jacobian", True)))


def _check_level(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise ConfigError(f"level must be a coverage between 0 and 1 (e.g. 0.95), got {level!r}")
    return float(level)


def bootstrap_intervals(
    law: Law,
    data: Any,
    y: Any = None,
    *,
    n_resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> CoefficientIntervals:
    """Percentile intervals from refitting the constants on case resamples (structure fixed).

    Parameters
    ----------
    law : Law
        A regression law with at least one float constant.
    data : Dataset, DataFrame or mapping of column name to array
        The training data (the law's columns and, unless ``y`` is given, its target).
    y : array-like, optional
        Observed target values.
    n_resamples : int, default=1000
        Number of bootstrap resamples (rows drawn with replacement), at least 10.
    level : float, default=0.95
    seed : int, default=0

    Returns
    -------
    CoefficientIntervals

    Warns
    -----
    LawfindWarning
        When some refits fail; they are left out and counted in ``n_failed``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from lawfind import Law
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"HV": rng.uniform(200, 400, 50)})
    >>> frame["UTS"] = 3.2 * frame["HV"] + rng.normal(0, 20, 50)
    >>> law = Law.from_string("3.2*x0", {"x0": "HV"}, target="UTS")
    >>> ci = bootstrap_intervals(law, frame, n_resamples=200)
    >>> bool(ci.lower[0] < 3.2 < ci.upper[0])
    True
    """
    level = _check_level(level)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < MIN_RESAMPLES:
        raise ConfigError(f"n_resamples must be an integer ≥ {MIN_RESAMPLES}, got {n_resamples!r}")
    check_seed(seed)
    model = ParametrizedLaw(law)
    columns, target = law_arrays(law, data, y)
    _check_size(model, target)
    rng = np.random.default_rng(seed)
    n = len(target)
    draws = []
    for _ in range(int(n_resamples)):
        rows = rng.integers(0, n, n)
        theta = model.fit(columns[:, rows], target[rows])
        if theta is not None:
            draws.append(theta)
    failed = int(n_resamples) - len(draws)
    if len(draws) < MIN_RESAMPLES:
        raise DataError(f"only {len(draws)} of {n_resamples} bootstrap refits of {law.equation(6)} succeeded; "
                        f"the constants cannot be bootstrapped (try the asymptotic method)")
    if failed:
        warnings.warn(f"{failed} of {n_resamples} bootstrap refits failed and were left out", LawfindWarning,
                      stacklevel=2)
    samples = np.array(draws)
    alpha = (1.0 - level) / 2.0
    lower, upper = np.quantile(samples, [alpha, 1.0 - alpha], axis=0)
    return CoefficientIntervals(law, "bootstrap", level, model.values, lower, upper, samples.std(axis=0, ddof=1),
                                int(n_resamples), failed, int(seed), model.analytic_jacobian, samples)


def asymptotic_intervals(law: Law, data: Any, y: Any = None, *, level: float = 0.95) -> CoefficientIntervals:
    """Intervals ``c ± t·se`` from the Jacobian at the fitted constants.

    The covariance is ``s² (JᵀJ)⁻¹`` with ``s² = SSE / (n − p)``; ``t`` is the Student
    quantile with ``n − p`` degrees of freedom.

    Parameters
    ----------
    law : Law
    data : Dataset, DataFrame or mapping of column name to array
    y : array-like, optional
    level : float, default=0.95

    Returns
    -------
    CoefficientIntervals

    Warns
    -----
    LawfindWarning
        When some constants are not identifiable (singular Jacobian): their intervals are infinite.
    """
    level = _check_level(level)
    model = ParametrizedLaw(law)
    columns, target = law_arrays(law, data, y)
    _check_size(model, target)
    n, p = len(target), model.n_parameters
    jac = model.jacobian(model.values, columns)
    residual = target - model.predict(model.values, columns)
    if not (np.all(np.isfinite(jac)) and np.all(np.isfinite(residual))):
        raise DataError(f"the law {law.equation(6)} or its derivatives are not finite on the data")
    s2 = float(residual @ residual) / (n - p)
    _, singular, vt = np.linalg.svd(jac, full_matrices=False)
    tiny = singular <= singular.max(initial=0.0) * max(n, p) * np.finfo(float).eps
    variances = np.sum(vt[~tiny] ** 2 / singular[~tiny, None] ** 2, axis=0)
    variances[np.any(vt[tiny] ** 2 > 1e-12, axis=0)] = np.inf
    se = np.sqrt(s2 * variances)
    if np.any(~np.isfinite(se)):
        bad = [f"c{k}" for k in np.flatnonzero(~np.isfinite(se))]
        warnings.warn(f"constant(s) {bad} of {law.equation(6)} are not identifiable from the data (singular "
                      f"Jacobian); their intervals are infinite", LawfindWarning, stacklevel=2)
    half = float(stats.t.ppf(0.5 + level / 2.0, n - p)) * se
    return CoefficientIntervals(law, "asymptotic", level, model.values, model.values - half, model.values + half, se,
                                analytic_jacobian=model.analytic_jacobian)


def coefficient_intervals(
    law: Law,
    data: Any,
    y: Any = None,
    *,
    method: IntervalMethod = "bootstrap",
    n_resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> CoefficientIntervals:
    """Intervals of every float constant by ``method`` (see :func:`bootstrap_intervals`, :func:`asymptotic_intervals`)."""
    if method not in _METHODS:
        raise ConfigError(f"unknown interval method {method!r}; use one of {list(_METHODS)}")
    if method == "bootstrap":
        return bootstrap_intervals(law, data, y, n_resamples=n_resamples, level=level, seed=seed)
    return asymptotic_intervals(law, data, y, level=level)


def _check_size(model: ParametrizedLaw, target: np.ndarray) -> None:
    if model.n_parameters == 0:
        raise ConfigError(f"the law {model.law.equation(6)} has no float constant to put an interval on")
    if len(target) <= model.n_parameters:
        raise DataError(f"{len(target)} rows are too few to estimate {model.n_parameters} constants")
