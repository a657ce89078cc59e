"""Power-law (monomial) detection: ``y = c·Π f_k^a_k`` by log-linear least squares, exponents snapped.

The factors ``f_k`` are the input columns and, optionally, ``sin x_j`` / ``cos x_j`` of
one column (so ``c·x0·x1·sin(x2)`` is a power law too).  The fit, in three steps:

1. weighted least squares of ``log|y| = log|c| + Σ a_k·log|f_k|`` (weights ``y²``: with
   additive noise of constant size, ``log|y|`` is noisier where ``|y|`` is small);
2. every exponent is snapped to the nearest small rational (denominators 1, 2 or 3 by
   default); factors whose exponent snaps to 0 are dropped and the rest refit and
   snapped again;
3. the constant ``c`` is refit in the original space, ``c = Σ m·y / Σ m²`` for the
   monomial ``m``, and the candidate scored by its NRMSE on ``y``.

A non-integer exponent needs a factor of one sign on every row (a negative one enters
as ``(-f)^a``); columns with a zero, and constant columns, never enter.
"""

from __future__ import annotations

from collections.abc import Sequence

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from lawfind.law import internal_symbol, nrmse

__all__ = ["PowerLaw", "Factor", "fit_power_laws", "monomial_prefactors"]

_KINDS = ("x", "sin", "cos")
_EXACT = 1e-9


@dataclass(frozen=True)
class Factor:
    """One factor of a power law: the column ``x_i`` itself, ``sin x_i`` or ``cos x_i``."""

    column: int
    kind: str = "x"

    def values(self, X: np.ndarray) -> np.ndarray:
        """The factor on the rows of ``X``."""
        column = X[:, self.column]
        return column if self.kind == "x" else getattr(np, self.kind)(column)

    def expr(self) -> sp.Expr:
        """The factor as a SymPy expression over ``x0``, ``x1``..."""
        symbol = internal_symbol(self.column)
        return symbol if self.kind == "x" else getattr(sp, self.kind)(symbol)


@dataclass(frozen=True, eq=False)
class PowerLaw:
    """A fitted power law.

    Attributes
    ----------
    expression : sympy.Expr
        ``c·Π f_k^a_k`` with ``c`` a Float and exact (rational) exponents, or Float
        exponents for the unsnapped least-squares fit.
    nrmse : float
        Error on the target, divided by its standard deviation.
    exponents : tuple of (Factor, exponent)
        The factors with a non-zero exponent.
    prediction : ndarray
        Its values on the rows it was fitted to.
    """

    expression: sp.Expr
    nrmse: float
    exponents: tuple[tuple[Factor, sp.Expr], ...]
    prediction: np.ndarray


def _usable(values: np.ndarray) -> bool:
    finite = bool(np.all(np.isfinite(values)))
    return finite and bool(np.all(values != 0)) and float(np.ptp(values)) > 1e-12 * float(np.max(np.abs(values)))


def _snap(value: float, max_denominator: int, max_abs: float) -> Fraction:
    """The rational with denominator ≤ ``max_denominator`` nearest to ``value`` (clipped to ±max_abs)."""
    value = float(np.clip(value, -max_abs, max_abs))
    best = Fraction(round(value))
    for q in range(2, max_denominator + 1):
        candidate = Fraction(round(value * q), q)
        if abs(float(candidate) - value) < abs(float(best) - value) - 1e-12:
            best = candidate
    return best


def _majority_sign(y: np.ndarray, tolerance: float = 0.05) -> int:
    """+1 or -1 when at most ``tolerance`` of the values (noise around 0) have the other sign or are 0, else 0."""
    if not np.all(np.isfinite(y)):
        return 0
    for sign in (1, -1):
        if np.mean(sign * y > 0) >= 1 - tolerance:
            return sign
    return 0


def _log_target(y: np.ndarray, sign: int) -> tuple[np.ndarray, np.ndarray]:
    """``log|y|`` and a 0/1 weight that leaves out the rows of the wrong sign (their log is noise)."""
    valid = sign * y > 0
    return np.log(np.where(valid, np.abs(y), 1.0)), valid.astype(float)


def _log_weights(y: np.ndarray) -> np.ndarray:
    """Square roots of the weights of a log-space fit: 1, down to ``|y|/(0.1·median|y|)`` for small ``|y|``.

    With additive noise of constant size, ``log|y|`` is noisy where ``|y|`` is small; equal
    weights elsewhere keep the fit representative of the whole range when ``y`` spans decades.
    """
    magnitude = np.abs(y)
    return np.minimum(1.0, magnitude / (0.1 * float(np.median(magnitude))))


def _log_fit(logs: np.ndarray, t: np.ndarray, sqrt_w: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted least squares of ``t`` on ``[1, logs]``: (exponents, weighted residual RMS)."""
    A = np.column_stack([np.ones(len(t)), logs]) * sqrt_w[:, None]
    beta, *_ = np.linalg.lstsq(A, t * sqrt_w, rcond=None)
    residual = A @ beta - t * sqrt_w
    return beta[1:], float(np.sqrt(np.mean(residual**2)))


def _build(factors: list[Factor], exponents: list[sp.Expr], F: dict[Factor, np.ndarray],
           y: np.ndarray) -> PowerLaw | None:
    """Fit the constant of the monomial ``Π f^a`` to ``y`` and score it (None if undefined)."""
    monomial = np.ones(len(y))
    expr = sp.Integer(1)
    kept = []
    for factor, a in zip(factors, exponents):
        if a == 0:
            continue
        v = F[factor]
        base = factor.expr()
        if not (a.is_Integer if isinstance(a, sp.Basic) else float(a).is_integer()):
            if np.all(v > 0):
                pass
            elif np.all(v < 0):
                v, base = -v, -base
            else:
                return None
        with np.errstate(all="ignore"):
            monomial = monomial * np.power(v, float(a))
        expr = expr * base**a
        kept.append((factor, a))
    if not kept or not np.all(np.isfinite(monomial)):
        return None
    denominator = float(monomial @ monomial)
    if not np.isfinite(denominator) or denominator == 0:
        return None
    c = float(monomial @ y) / denominator
    if not np.isfinite(c) or c == 0:
        return None
    return PowerLaw(sp.Float(c) * expr, nrmse(y, c * monomial), tuple(kept), c * monomial)


def fit_power_laws(
    X: np.ndarray,
    y: np.ndarray,
    *,
    denominators: int = 3,
    max_exponent: float = 4.0,
    trig: bool | Sequence[bool] = True,
    max_sets: int = 3,
) -> list[PowerLaw]:
    """Power-law candidates for ``y`` on ``X``, most accurate first.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Column ``i`` is ``x{i}``.
    y : ndarray of shape (n_samples,)
    denominators : int, default=3
        Exponents are snapped to rationals with a denominator up to this (1: integers).
        Every level 1..denominators gives its own candidate.
    max_exponent : float, default=4.0
        Exponents are clipped to ``±max_exponent`` before snapping.
    trig : bool or sequence of bool, default=True
        Also try ``sin x_j`` / ``cos x_j`` as a factor, added to the columns or in place
        of ``x_j``; one bool per column allows it for some columns only (the dimensionless
        ones, when the data have units).
    max_sets : int, default=3
        Factor sets (the best by log-space residual) that are snapped.

    Returns
    -------
    list of PowerLaw
        Distinct snapped candidates, plus the unsnapped least-squares fit (Float exponents);
        empty unless ``y`` has one sign on at least 95 % of the rows (the others, noise
        around 0, are left out of the log-space fit but not of the scores).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).uniform(1, 5, (50, 3))
    >>> fit_power_laws(X, 3.2 * X[:, 0] * X[:, 1] / X[:, 2] ** 2)[0].expression
    3.2*x0*x1/x2**2
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    sign = _majority_sign(y)
    if not sign:
        return []
    t, sqrt_w = _log_target(y, sign)
    sqrt_w = sqrt_w * np.abs(y) / float(np.sqrt(np.mean(y**2)))  # inverse-variance weights for additive noise
    F: dict[Factor, np.ndarray] = {}
    with np.errstate(all="ignore"):
        for i in range(X.shape[1]):
            allowed = trig if isinstance(trig, (bool, np.bool_)) else bool(trig[i])
            for kind in (_KINDS if allowed else ("x",)):
                factor = Factor(i, kind)
                values = factor.values(X)
                if _usable(values):
                    F[factor] = values
    base = [f for f in F if f.kind == "x"]
    factor_sets = [base]
    for extra in (f for f in F if f.kind != "x"):
        factor_sets.append(base + [extra])
        factor_sets.append([f for f in base if f.column != extra.column] + [extra])
    logs = {f: np.log(np.abs(v)) for f, v in F.items()}
    fits = []
    for factors in factor_sets:
        if not factors:
            continue
        exponents, residual = _log_fit(np.column_stack([logs[f] for f in factors]), t, sqrt_w)
        # BIC-like ranking: an extra factor must earn its place
        score = len(t) * np.log(max(residual, 1e-300) ** 2) + len(factors) * np.log(len(t))
        fits.append((score, len(factors), factors, exponents))
    fits.sort(key=lambda item: (item[0], item[1]))
    out: dict[sp.Expr, PowerLaw] = {}
    for _, _, factors, raw in fits[:max_sets]:
        for q in range(1, denominators + 1):
            snapped = [_snap(a, q, max_exponent) for a in raw]
            kept = [f for f, a in zip(factors, snapped) if a != 0]
            attempts = [snapped]
            if kept and len(kept) < len(factors):
                refit, _ = _log_fit(np.column_stack([logs[f] for f in kept]), t, sqrt_w)
                attempts.append([_snap(a, q, max_exponent) for a in refit])
            for attempt, chosen in zip(attempts, (factors, kept)):
                law = _build(chosen, [sp.Rational(a.numerator, a.denominator) for a in attempt], F, y)
                if law is not None and law.expression not in out:
                    out[law.expression] = law
        law = _build(factors, [sp.Float(float(a)) for a in raw], F, y)
        if law is not None:
            out.setdefault(law.expression, law)
    laws = sorted(out.values(), key=lambda law: (law.nrmse, len(law.exponents)))
    exact = [law for law in laws if law.nrmse <= _EXACT and all(isinstance(a, sp.Rational) for _, a in law.exponents)]
    if exact:
        # an exact snapped law: the unsnapped fits only repeat it with rounding noise in the exponents
        laws = [law for law in laws if all(isinstance(a, sp.Rational) for _, a in law.exponents)]
    return laws



def monomial_prefactors(X: np.ndarray, y: np.ndarray, *, tolerance: float = 0.05,
                        max_prefactors: int = 5) -> list[tuple[sp.Expr, np.ndarray]]:
    """Candidate monomial prefactors ``M`` of ``y = M(x)·S(x)`` where ``S`` is a short sum.

    A column whose log-linear exponent is within ``tolerance`` of a multiple of 1/2 is
    taken to be a pure factor; a column whose exponent is not is taken to sit (also) inside
    the sum.  The prefactors are: the pure factors alone; then the pure factors times the
    floor or the ceiling of each other exponent (e.g. ``m1²·m2²`` for ``(m1·m2)²·(m1 + m2)``),
    the combinations closest to the fitted exponents first.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        A target of one sign, but for up to 5 % of the rows (noise around 0), else there
        is no prefactor.
    tolerance : float, default=0.05
    max_prefactors : int, default=5

    Returns
    -------
    list of (sympy.Expr, ndarray)
        Each prefactor (a product of integer or half-integer powers of columns, never 1)
        with its values; prefactors with a half-integer power only on positive columns.

    Examples
    --------
    >>> X = np.random.default_rng(0).uniform(1, 5, (100, 3))
    >>> [str(m) for m, _ in monomial_prefactors(X, X[:, 0] ** 2 * (X[:, 1] + X[:, 2]))][:1]
    ['x0**2']
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    sign = _majority_sign(y)
    usable = [i for i in range(X.shape[1]) if _usable(X[:, i])]
    if not sign or not usable:
        return []
    t, sqrt_w = _log_target(y, sign)
    raw, _ = _log_fit(np.log(np.abs(X[:, usable])), t, sqrt_w * _log_weights(y))
    pure = {i: float(round(a)) for i, a in zip(usable, raw) if abs(a - round(a)) <= tolerance}
    pure.update({i: round(2 * a) / 2 for i, a in zip(usable, raw)
                 if i not in pure and abs(2 * a - round(2 * a)) <= tolerance})
    mixed = {i: a for i, a in zip(usable, raw) if i not in pure and abs(a) > tolerance}
    choices = [[0.0]] if not mixed else []
    if mixed:
        options = [(np.floor(a), np.ceil(a)) for a in mixed.values()]
        combos = sorted(itertools.product(*options),
                        key=lambda c: sum(abs(e - a) for e, a in zip(c, mixed.values())))
        choices = [[0.0] * len(mixed)] + [list(c) for c in combos]
    out: list[tuple[sp.Expr, np.ndarray]] = []
    seen: set[sp.Expr] = set()
    for choice in choices:
        exponents = {**pure, **dict(zip(mixed, choice))}
        exponents = {i: e for i, e in exponents.items() if e != 0}
        if not exponents or any(not float(e).is_integer() and not np.all(X[:, i] > 0) for i, e in exponents.items()):
            continue
        expr = sp.Mul(*[internal_symbol(i) ** sp.Rational(int(2 * e), 2) for i, e in exponents.items()])
        if expr in seen:
            continue
        seen.add(expr)
        with np.errstate(all="ignore"):
            values = np.prod([np.power(X[:, i], e) for i, e in exponents.items()], axis=0)
        if np.all(np.isfinite(values)) and np.all(values != 0):
            out.append((expr, values))
        if len(out) >= max_prefactors:
            break
    return out
