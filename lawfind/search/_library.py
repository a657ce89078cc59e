"""The descriptor library of the ``sparse`` engine: candidate terms built from the inputs.

Every term carries its SymPy expression over the internal symbols ``x0``, ``x1``... and
its values on the data.  Terms are generated simplest first — the inputs, then powers,
logarithms, shifted logarithms and reciprocals and exponentials of one input, then pairwise
products and ratios — and a term is only generated where it is defined on *every* row:

* non-integer powers (``sqrt x``, ``1/sqrt x``) and ``log x`` need a strictly positive column;
* negative powers (``1/x``, ``1/x²``) and ratios ``x_i/x_j`` need a column with no zeros;
* shifted terms ``log(x + s)`` and ``1/(x + s)`` (``s > 0``) need a non-negative column —
  the way to give a column with zeros (an alloying element absent from some steels) a
  saturating, logarithm-like response.

Products come in two breadths: ``interactions`` multiplies (and divides) the inputs
pairwise; ``term_products`` multiplies every two single-input terms (``log(x0 + 0.1)·x1**2``,
``log(x0 + 0.1)·log(x0 + 1)``...), which grows the library quadratically.

Generated terms are then filtered, in order, and each drop is counted by reason:
``"nonfinite"`` (overflow, e.g. ``exp`` of a large column), ``"constant"`` and
``"duplicate"`` (``|corr| > 1 - 1e-12`` with a term kept earlier, so the simpler of
two equivalent terms survives).  :func:`screen_library` can then cut a large library
down by sure independence screening (``|corr(term, y)|``), counted as ``"screened"``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp

from lawfind.law import internal_symbol

__all__ = ["Library", "build_library", "screen_library", "power_exponent", "DUPLICATE_CORRELATION"]

#: Two terms whose absolute correlation exceeds this are duplicates (the later one is dropped).
DUPLICATE_CORRELATION = 1.0 - 1e-12
_CONSTANT_RTOL = 1e-12
_BLOCK = 256


@dataclass(frozen=True)
class Library:
    """Library terms with their values on the data.

    Attributes
    ----------
    expressions : tuple of sympy.Expr
        One expression per term, over ``x0``, ``x1``...
    values : ndarray of shape (n_samples, n_terms)
        Column ``j`` holds term ``j`` evaluated on the rows of ``X``.
    dropped : dict of str to int
        How many generated terms were dropped, by reason
        (``"nonfinite"``, ``"constant"``, ``"duplicate"``, ``"screened"``).
    """

    expressions: tuple[sp.Expr, ...]
    values: np.ndarray
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """The number of terms."""
        return len(self.expressions)

    def names(self) -> list[str]:
        """The terms as strings, e.g. ``['x0', 'x0**2', 'x0/x1']``."""
        return [str(expr) for expr in self.expressions]


def power_exponent(power: float) -> sp.Expr:
    """The exact SymPy exponent of ``power`` (``0.5`` -> ``1/2``; irrational-looking values stay Float)."""
    fraction = Fraction(float(power)).limit_denominator(1000)
    if abs(float(fraction) - float(power)) <= 1e-12 * max(1.0, abs(float(power))):
        return sp.Rational(fraction.numerator, fraction.denominator)
    return sp.Float(float(power))


def _generate(
    X: np.ndarray,
    powers: Sequence[float],
    include_log: bool,
    include_exp: bool,
    interactions: bool,
    shifts: Sequence[float] = (),
    term_products: bool = False,
) -> Iterator[tuple[sp.Expr, np.ndarray]]:
    n_features = X.shape[1]
    symbols = [internal_symbol(i) for i in range(n_features)]
    nonzero = [bool(np.all(X[:, i] != 0)) for i in range(n_features)]
    single = list(_single_input_terms(X, symbols, powers, include_log, include_exp, shifts))
    yield from ((expr, values) for _, expr, values in single)
    if term_products:
        for a, (_, expr_a, values_a) in enumerate(single):
            for _, expr_b, values_b in single[a + 1:]:
                yield expr_a * expr_b, values_a * values_b
    if interactions:
        if not term_products:  # the input products are among the term products already
            for i in range(n_features):
                for j in range(i + 1, n_features):
                    yield symbols[i] * symbols[j], X[:, i] * X[:, j]
        for i in range(n_features):
            for j in range(n_features):
                if i != j and nonzero[j]:
                    yield symbols[i] / symbols[j], X[:, i] / X[:, j]


def _single_input_terms(
    X: np.ndarray,
    symbols: list[sp.Symbol],
    powers: Sequence[float],
    include_log: bool,
    include_exp: bool,
    shifts: Sequence[float],
) -> Iterator[tuple[int, sp.Expr, np.ndarray]]:
    """``(input index, expression, values)`` of every term of one input, where defined on every row."""
    n_features = X.shape[1]
    positive = [bool(np.all(X[:, i] > 0)) for i in range(n_features)]
    nonnegative = [bool(np.all(X[:, i] >= 0)) for i in range(n_features)]
    nonzero = [bool(np.all(X[:, i] != 0)) for i in range(n_features)]
    for i in range(n_features):
        yield i, symbols[i], X[:, i]
    for i in range(n_features):
        for power in powers:
            exponent = power_exponent(power)
            if not exponent.is_integer and not positive[i]:
                continue
            if exponent.is_negative and not nonzero[i]:
                continue
            yield i, symbols[i] ** exponent, np.power(X[:, i], float(power))
    if include_log:
        for i in range(n_features):
            if positive[i]:
                yield i, sp.log(symbols[i]), np.log(X[:, i])
    for shift in shifts:
        constant = power_exponent(shift)  # exact when it is a simple decimal (0.1 -> 1/10)
        for i in range(n_features):
            if nonnegative[i]:
                yield i, sp.log(symbols[i] + constant), np.log(X[:, i] + float(shift))
                yield i, 1 / (symbols[i] + constant), 1.0 / (X[:, i] + float(shift))
    if include_exp:
        for i in range(n_features):
            yield i, sp.exp(symbols[i]), np.exp(X[:, i])


def _standardize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardized columns, plus masks of non-finite and constant columns."""
    with np.errstate(all="ignore"):
        nonfinite = ~np.all(np.isfinite(values), axis=0)
        mean = values.mean(axis=0)
        std = values.std(axis=0)
        scale = np.max(np.abs(values), axis=0)
        constant = ~nonfinite & ((std <= _CONSTANT_RTOL * scale) | (scale == 0))
        nonfinite |= ~np.isfinite(std)
        z = (values - mean) / np.where(std > 0, std, 1.0)
    bad = nonfinite | constant
    z[:, bad] = 0.0
    return z, nonfinite, constant & ~nonfinite


def build_library(
    X: np.ndarray,
    *,
    powers: Sequence[float] = (2, 3, 0.5, -1, -2, -0.5),
    include_log: bool = True,
    include_exp: bool = False,
    interactions: bool = True,
    shifts: Sequence[float] = (),
    term_products: bool = False,
) -> Library:
    """Build the descriptor library of ``X`` (see the module docstring for the rules).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite input columns; column ``i`` is ``x{i}``.
    powers : sequence of float, default=(2, 3, 0.5, -1, -2, -0.5)
        Exponents applied to each input where defined.
    include_log, include_exp : bool, default=True, False
        Add ``log x`` (strictly positive columns only) / ``exp x``.
    interactions : bool, default=True
        Add the products ``x_i*x_j`` (i < j) and ratios ``x_i/x_j`` (i ≠ j).
    shifts : sequence of float, default=()
        Positive shifts ``s``: add ``log(x + s)`` and ``1/(x + s)`` for every non-negative column.
    term_products : bool, default=False
        Add the product of every two different single-input terms.

    Returns
    -------
    Library
        The kept terms in generation order, and the drop counts.
    """
    X = np.asarray(X, dtype=float)
    with np.errstate(all="ignore"):  # overflow (exp of a large column) is dropped below as "nonfinite"
        generated = list(_generate(X, powers, include_log, include_exp, interactions, shifts,
                                   term_products))
    expressions = [expr for expr, _ in generated]
    n_samples = X.shape[0]
    values = np.column_stack([v for _, v in generated]) if generated else np.empty((n_samples, 0))
    z, nonfinite, constant = _standardize(values)
    candidates = np.flatnonzero(~(nonfinite | constant))
    kept_z = np.empty((n_samples, len(candidates)))
    kept: list[int] = []
    duplicates = 0
    for start in range(0, len(candidates), _BLOCK):
        block = candidates[start:start + _BLOCK]
        zb = z[:, block]
        against_kept = np.abs(kept_z[:, :len(kept)].T @ zb) / n_samples
        within = np.abs(zb.T @ zb) / n_samples
        is_duplicate = np.any(against_kept > DUPLICATE_CORRELATION, axis=0)
        local: list[int] = []
        for position in range(len(block)):
            if is_duplicate[position] or np.any(within[position, local] > DUPLICATE_CORRELATION):
                duplicates += 1
                continue
            local.append(position)
        kept_z[:, len(kept):len(kept) + len(local)] = zb[:, local]
        kept.extend(int(block[p]) for p in local)
    return Library(
        expressions=tuple(expressions[j] for j in kept),
        values=values[:, kept],
        dropped={"nonfinite": int(nonfinite.sum()), "constant": int(constant.sum()), "duplicate": duplicates},
    )


def screen_library(library: Library, y: np.ndarray, max_size: int) -> Library:
    """Keep the ``max_size`` terms most correlated with ``y`` (sure independence screening).

    The kept terms stay in their original order; the number screened out is added to
    ``dropped["screened"]``.  A library already within ``max_size`` is returned unchanged
    (with ``dropped["screened"] = 0``).
    """
    dropped = dict(library.dropped)
    if library.size <= max_size:
        dropped["screened"] = 0
        return Library(library.expressions, library.values, dropped)
    z, _, _ = _standardize(library.values)
    y_std = float(np.std(y))
    target = (y - np.mean(y)) / (y_std if y_std > 0 else 1.0)
    score = np.abs(z.T @ target) / len(y)
    kept = np.sort(np.argsort(-score, kind="stable")[:max_size])
    dropped["screened"] = library.size - max_size
    return Library(tuple(library.expressions[j] for j in kept), library.values[:, kept], dropped)
