"""The term library of the portfolio's structured stage: products of simple factors of the inputs.

A *term* is a product of factors, each a
power of one column, ``log x_i``, ``exp(±x_i)``, ``sin x_i`` or ``cos x_i``; the library
holds, simplest first and up to ``max_size`` terms:

1. one column: ``x^p`` for ``p`` in ±1, ±2, ±3, ±1/2, ±3/2 (where defined), ``log x``,
   ``exp(±x)``, ``sin x``, ``cos x``, ``sin² x``;
2. two columns: ``x_i^a·x_j^b`` for ``a, b`` in ±1, ±2, ±1/2;
3. ``sin x_j``, ``cos x_j`` and ``log x_j`` times ``x_i^{±1}``; ``exp(±u)`` (where ``u``
   stays within ±40), ``sin u`` and ``cos u`` for ``u = x_i·x_j``, ``x_i/x_j``, ``x_j/x_i``;
4. ``(x_i - x_j)²``, ``cos(x_i - x_j)``, ``sin(x_i - x_j)``;
5. three columns: ``x_i^a·x_j^b·x_k^c`` for ``a, b, c`` in ±1, ±2 (±1 only beyond 6 columns);
6. four or more columns with exponents ±1 (so ``m·g·x/(k·T)`` is one term);
7. ``exp(±u)`` for the products ``u`` of step 5 and 6 with exponents ±1 (where ``u`` stays
   within ±40), while the library has room.

Terms that are non-finite, constant or duplicates (same standardized values up to sign)
are dropped.  Given the dimension of every column (``dimensions``), terms whose form depends
on the units are not generated: ``exp``, ``sin`` and ``cos`` need a dimensionless argument and
``x_i - x_j`` columns of one dimension (the rules of :func:`lawfind.law.check_units`).
The library is built once on a row subsample and reused for every target
transform (the fits are in :mod:`._sums`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from lawfind.law import internal_symbol

__all__ = ["Term", "TermLibrary", "term_library", "term_is_dimensionally_valid"]

_SINGLE_POWERS = (1, -1, 2, -2, 3, -3, Fraction(1, 2), Fraction(-1, 2), Fraction(3, 2), Fraction(-3, 2))
_PAIR_POWERS = (1, -1, 2, -2, Fraction(1, 2), Fraction(-1, 2))
_TRIPLE_POWERS = (1, -1, 2, -2)
_UNIT = (1, -1)
_EXP_LIMIT = 40.0


@dataclass(frozen=True)
class Term:
    """A product of factors ``(column, kind, power)``, kind ``x``, ``log``, ``exp``, ``sin`` or ``cos``.

    With ``difference=True`` the two factors' columns are subtracted instead (``x_i - x_j``).
    ``outer`` (``"exp"``, ``"sin"``, ``"cos"``) applies that function to the product or
    difference (``negate`` flips its sign first); ``power`` raises the result.
    """

    factors: tuple[tuple[int, str, Fraction], ...]
    outer: str | None = None
    negate: bool = False
    difference: bool = False
    power: int = 1

    def values(self, X: np.ndarray) -> np.ndarray:
        """The term on the rows of ``X`` (non-finite where undefined)."""
        with np.errstate(all="ignore"):
            if self.difference:
                out = X[:, self.factors[0][0]] - X[:, self.factors[1][0]]
            else:
                out = np.ones(X.shape[0])
                for column, kind, power in self.factors:
                    base = X[:, column] if kind == "x" else getattr(np, kind)(X[:, column])
                    out = out * np.power(base, float(power))
            if self.outer is not None:
                out = getattr(np, self.outer)(-out if self.negate else out)
            return out if self.power == 1 else np.power(out, self.power)

    def expr(self) -> sp.Expr:
        """The term as a SymPy expression over ``x0``, ``x1``..."""
        if self.difference:
            out = internal_symbol(self.factors[0][0]) - internal_symbol(self.factors[1][0])
        else:
            out = sp.Integer(1)
            for column, kind, power in self.factors:
                symbol = internal_symbol(column)
                base = symbol if kind == "x" else getattr(sp, kind)(symbol)
                out = out * base ** sp.Rational(power.numerator, power.denominator)
        if self.outer is not None:
            out = getattr(sp, self.outer)(-out if self.negate else out)
        return out if self.power == 1 else out**self.power


@dataclass(frozen=True, eq=False)
class TermLibrary:
    """Library terms and their standardized values on the selection rows.

    Attributes
    ----------
    terms : tuple of Term
    z : ndarray of shape (n_rows, n_terms)
        Centred, unit-variance term values on ``rows``.
    raw : ndarray of shape (n_rows, n_terms)
        The term values on ``rows``.
    rows : ndarray of int
        The rows of ``X`` the library was built on.
    generated : int
        Terms generated before dropping non-finite, constant and duplicate ones.
    units_dropped : int
        Terms not generated because their form depends on the units of the columns.
    """

    terms: tuple[Term, ...]
    z: np.ndarray
    raw: np.ndarray
    rows: np.ndarray
    generated: int
    units_dropped: int = 0

    @property
    def size(self) -> int:
        """The number of terms."""
        return len(self.terms)


def is_dimensional(vector: np.ndarray) -> bool:
    """True if a row of base-dimension exponents (:func:`lawfind.law.dimension_vectors`) is not all zero."""
    return bool(np.any(np.abs(vector) > 1e-12))


def term_is_dimensionally_valid(term: Term, dimensions: np.ndarray) -> bool:
    """False if ``term`` applies ``exp``/``sin``/``cos`` to a dimensional argument or subtracts two dimensions.

    ``dimensions`` holds one row of base-dimension exponents per column
    (:func:`lawfind.law.dimension_vectors`).

    Examples
    --------
    >>> dims = np.array([[1.0], [1.0], [0.0]])  # x0, x1 lengths, x2 dimensionless
    >>> one = Fraction(1)
    >>> [term_is_dimensionally_valid(t, dims) for t in (Term(((0, "sin", one),)), Term(((2, "cos", one),)),
    ...  Term(((0, "x", one), (1, "x", -one)), outer="exp"), Term(((0, "x", one), (2, "x", one)), difference=True))]
    [False, True, True, False]
    """
    for column, kind, _ in term.factors:
        if kind in ("exp", "sin", "cos") and is_dimensional(dimensions[column]):
            return False
    if term.difference:
        (i, _, _), (j, _, _) = term.factors
        if is_dimensional(dimensions[i] - dimensions[j]):
            return False
        argument = dimensions[i]
    else:
        argument = sum((float(power) * dimensions[column] for column, kind, power in term.factors if kind == "x"),
                       np.zeros(dimensions.shape[1]))
    return term.outer is None or not is_dimensional(argument)


def _fraction(p: int | Fraction) -> Fraction:
    return p if isinstance(p, Fraction) else Fraction(p)


def _generate(X: np.ndarray) -> Iterator[Term]:
    d = X.shape[1]
    positive = [bool(np.all(X[:, i] > 0)) for i in range(d)]
    nonzero = [bool(np.all(X[:, i] != 0)) for i in range(d)]

    def allowed(i: int, p: Fraction) -> bool:
        return (p.denominator == 1 or positive[i]) and (p > 0 or nonzero[i])

    for i in range(d):
        for p in map(_fraction, _SINGLE_POWERS):
            if allowed(i, p):
                yield Term(((i, "x", p),))
    one = Fraction(1)
    for i in range(d):
        if positive[i]:
            yield Term(((i, "log", one),))
        if np.max(np.abs(X[:, i])) <= _EXP_LIMIT:
            yield Term(((i, "exp", one),))
            yield Term(((i, "exp", -one),))
        yield Term(((i, "sin", one),))
        yield Term(((i, "cos", one),))
        yield Term(((i, "sin", Fraction(2)),))
    for i, j in itertools.combinations(range(d), 2):
        for a, b in itertools.product(map(_fraction, _PAIR_POWERS), repeat=2):
            if allowed(i, a) and allowed(j, b):
                yield Term(((i, "x", a), (j, "x", b)))
    for j in range(d):
        for kind in ("sin", "cos", "log") if positive[j] else ("sin", "cos"):
            for i in range(d):
                if i != j:
                    for p in map(_fraction, _UNIT):
                        if allowed(i, p):
                            yield Term(((i, "x", p), (j, kind, one)))
    for i, j in itertools.combinations(range(d), 2):
        for a, b in itertools.product(map(_fraction, _UNIT), repeat=2):
            if allowed(i, a) and allowed(j, b):
                with np.errstate(all="ignore"):
                    bounded = np.max(np.abs(np.power(X[:, i], float(a)) * np.power(X[:, j], float(b)))) <= _EXP_LIMIT
                if (a, b) == (-1, -1):
                    continue
                if bounded:
                    yield Term(((i, "x", a), (j, "x", b)), outer="exp")
                    yield Term(((i, "x", a), (j, "x", b)), outer="exp", negate=True)
                yield Term(((i, "x", a), (j, "x", b)), outer="sin")
                yield Term(((i, "x", a), (j, "x", b)), outer="cos")
    for i, j in itertools.combinations(range(d), 2):
        pair = ((i, "x", one), (j, "x", one))
        yield Term(pair, difference=True, power=2)
        yield Term(pair, outer="cos", difference=True)
        yield Term(pair, outer="sin", difference=True)
    triple_powers = _TRIPLE_POWERS if d <= 6 else _UNIT
    for combo in itertools.combinations(range(d), 3):
        for powers in itertools.product(map(_fraction, triple_powers), repeat=3):
            if all(allowed(i, p) for i, p in zip(combo, powers)):
                yield Term(tuple((i, "x", p) for i, p in zip(combo, powers)))
    for size in range(4, d + 1):
        for combo in itertools.combinations(range(d), size):
            for powers in itertools.product(map(_fraction, _UNIT), repeat=size):
                if all(allowed(i, p) for i, p in zip(combo, powers)):
                    yield Term(tuple((i, "x", p) for i, p in zip(combo, powers)))
    # exponentials of products of three or more columns (exp(-h·f/(k·T))), while the library has room
    for size in range(3, d + 1):
        for combo in itertools.combinations(range(d), size):
            for powers in itertools.product(map(_fraction, _UNIT), repeat=size):
                if all(allowed(i, p) for i, p in zip(combo, powers)):
                    factors = tuple((i, "x", p) for i, p in zip(combo, powers))
                    with np.errstate(all="ignore"):
                        if np.max(np.abs(Term(factors).values(X))) > _EXP_LIMIT:
                            continue
                    yield Term(factors, outer="exp")
                    yield Term(factors, outer="exp", negate=True)


def term_library(X: np.ndarray, *, max_size: int = 3000, max_rows: int = 500, seed: int = 0,
                 dimensions: np.ndarray | None = None) -> TermLibrary:
    """Build the term library of ``X`` on at most ``max_rows`` rows (see the module docstring).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    max_size : int, default=3000
        Terms kept (in generation order, simplest first).
    max_rows : int, default=500
        Rows used for selection (a seeded random subset when there are more).
    seed : int, default=0
    dimensions : ndarray of shape (n_features, n_base_dimensions), optional
        The dimension of each column (:func:`lawfind.law.dimension_vectors`): when given,
        terms whose form depends on the units are left out (see the module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> library = term_library(np.random.default_rng(0).uniform(1, 2, (30, 2)))
    >>> str(library.terms[0].expr()), library.size > 50
    ('x0', True)
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    rows = np.sort(np.random.default_rng(seed).choice(n, max_rows, replace=False)) if n > max_rows else np.arange(n)
    sub = X[rows]
    kept: list[Term] = []
    columns: list[np.ndarray] = []
    raw: list[np.ndarray] = []
    seen: set[bytes] = set()
    generated = 0
    probe = min(len(rows), 24)
    units_dropped = 0
    for term in _generate(X):
        if len(kept) >= max_size:
            break
        if dimensions is not None and not term_is_dimensionally_valid(term, dimensions):
            units_dropped += 1
            continue
        generated += 1
        values = term.values(sub)
        if not np.all(np.isfinite(values)):
            continue
        std = float(np.std(values))
        if not np.isfinite(std) or std <= 1e-12 * float(np.max(np.abs(values))) or std == 0:
            continue
        z = (values - values.mean()) / std
        pivot = int(np.argmax(np.abs(z[:probe]) > 1e-3))
        key = np.round(z[:probe] * np.sign(z[pivot]), 7).tobytes()
        if key in seen:
            continue
        seen.add(key)
        kept.append(term)
        columns.append(z)
        raw.append(values)
    if not columns:
        return TermLibrary((), np.empty((len(rows), 0)), np.empty((len(rows), 0)), rows, generated, units_dropped)
    return TermLibrary(tuple(kept), np.column_stack(columns), np.column_stack(raw), rows, generated, units_dropped)
