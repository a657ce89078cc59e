"""The portfolio's candidate pool: every stage's laws for ``y``, scored on the data, and the pick of the few to polish.

Each candidate is scored by its NRMSE on ``y`` and its complexity.  Before the pool is
handed to the shared post-processing (simplify, snap, refit: seconds per law), it is
cut to ``limit`` candidates: first the Pareto set in (complexity, NRMSE), where errors
below ``1e-12`` count as equal, then the most accurate of the rest.  A candidate close
to exact (NRMSE ≤ 1e-2) has its constants refit first, so a law whose float32 or
rounded constants hide an exact form is judged by what the refit will make of it.
A candidate with an aliased oscillation (a sine or cosine that the rows sample too coarsely
to follow, :mod:`lawfind.law._aliasing`) is refused, and counted; so is, when the data have
units, one whose form depends on them.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from lawfind.exceptions import LawfindError
from lawfind.law import complexity, nrmse, refit_constants
from lawfind.law._aliasing import aliased_oscillations
from lawfind.law._refit import evaluate, is_degenerate

__all__ = ["Candidate", "CandidatePool"]

_EQUAL = 1e-12
_REFIT_BELOW = 1e-2
_COMPLEX = 30


@dataclass
class Candidate:
    """One law for ``y`` with where it came from and how well it fits."""

    expression: sp.Expr
    source: str
    nrmse: float
    complexity: int


def _combine_logs(expr: sp.Expr) -> sp.Expr:
    """In a sum, merge the terms ``k·log(u)`` with numeric ``k`` into one logarithm (positive symbols assumed)."""
    logs = [t for t in expr.args if isinstance(t.as_coeff_Mul()[1], sp.log)]
    if len(logs) < 2:
        return expr
    rest = [t for t in expr.args if t not in logs]
    return sp.Add(*rest, sp.logcombine(sp.Add(*logs)))


def _merge_radicals(expr: sp.Expr) -> sp.Expr:
    """Merge the square roots of a product into one: ``sqrt(a)·sqrt(b)/sqrt(c)`` -> ``sqrt(a·b/c)``.

    One radical is the usual way to write such laws (``sqrt(gamma*p/rho)``,
    ``sqrt(G*(m1 + m2))``), and with symbols of unknown sign the two forms are not
    interchangeable for SymPy: the merged one is what a symbolic comparison can match.
    """
    def merge(product: sp.Expr) -> sp.Expr:
        roots = [f for f in product.args if isinstance(f, sp.Pow) and abs(f.exp) == sp.S.Half]
        if len(roots) < 2:
            return product
        rest = [f for f in product.args if f not in roots]
        if all(f.exp < 0 for f in roots):
            return sp.Mul(*rest) / sp.sqrt(sp.Mul(*[f.base for f in roots]))
        inside = sp.Mul(*[f.base if f.exp > 0 else 1 / f.base for f in roots])
        return sp.Mul(*rest, sp.sqrt(inside))

    return expr.replace(lambda e: e.is_Mul, merge)


class CandidatePool:
    """Candidates for ``y ≈ f(X)`` from every stage of a portfolio search.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    units_ok : callable, optional
        ``expr -> bool``, false when the form of ``expr`` depends on the units of the data
        (:func:`lawfind.law._units.units_consistency`); such candidates are refused.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, units_ok: Callable[[sp.Expr], bool] | None = None) -> None:
        self.X = X
        self.y = y
        self.units_ok = units_ok
        self._items: dict[sp.Expr, Candidate] = {}
        #: Candidates refused because the data sample one of their oscillations too coarsely.
        self.aliased = 0
        #: Candidates refused because their form depends on the units, per stage.
        self.units_refused: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._items)

    def _score(self, expr: sp.Expr) -> float:
        symbols = sorted(expr.free_symbols, key=lambda s: int(s.name[1:]))
        if not symbols:
            return float("inf")
        columns = np.array([self.X[:, int(s.name[1:])] for s in symbols])
        return nrmse(self.y, evaluate(expr, symbols, columns))

    def add(self, expr: sp.Expr, source: str, prediction: np.ndarray | None = None,
            refit: bool = False) -> Candidate | None:
        """Score ``expr`` (from ``prediction`` when given) and keep it if it is finite and new.

        With ``refit=True`` a candidate with NRMSE ≤ 1e-2 has its float constants refit first.
        """
        if is_degenerate(expr) or not expr.free_symbols or expr in self._items:
            return None
        if expr.has(sp.sin, sp.cos, sp.tan) and aliased_oscillations(expr, self.X):
            self.aliased += 1
            return None
        error = nrmse(self.y, prediction) if prediction is not None else self._score(expr)
        if refit and _EQUAL < error <= _REFIT_BELOW:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    refitted = refit_constants(expr, self.X, self.y, max_nfev=50)
            except (LawfindError, ArithmeticError, TypeError, ValueError):
                refitted = expr
            better = self._score(refitted)
            if better < error:
                expr, error = refitted, better
        if not np.isfinite(error) or expr in self._items:
            return None
        if self.units_ok is not None and not self.units_ok(expr):
            stage = source.split("[")[0]
            self.units_refused[stage] = self.units_refused.get(stage, 0) + 1
            return None
        candidate = Candidate(expr, source, float(error), complexity(expr))
        self._items[expr] = candidate
        return candidate

    def best_nrmse(self) -> float:
        """The smallest NRMSE in the pool (inf when empty)."""
        return min((c.nrmse for c in self._items.values()), default=float("inf"))

    def tidy(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with monomial factors taken out of radicals and logarithms combined, where the columns allow it.

        ``1/sqrt((1 - v²/c²)/m²)`` is ``m/sqrt(1 - v²/c²)`` and ``c·log(a) - c·log(b)`` is
        ``c·log(a/b)`` when ``a, b, m > 0``: the expression is rewritten with the strictly
        positive columns as positive symbols (``factor_terms``, logs merged, ``powdenest``,
        ``powsimp``; or ``expand``, ``together``, ``factor_terms``, ``powdenest``), the square
        roots of each product merged into one (:func:`_merge_radicals`), and the smallest form
        is kept.
        """
        if not expr.has(sp.log) and not any(not p.exp.is_Integer for p in expr.atoms(sp.Pow)):
            return expr
        positive = {s: sp.Symbol(s.name, positive=True) for s in expr.free_symbols
                    if np.all(self.X[:, int(s.name[1:])] > 0)}
        if not positive:
            return expr
        forms = [expr]
        e = expr.xreplace(positive)
        for rewrite in (lambda u: sp.powsimp(sp.powdenest(sp.factor_terms(u).replace(lambda a: a.is_Add, _combine_logs))),
                        lambda u: sp.powdenest(sp.factor_terms(sp.together(sp.expand(u))), force=True)):
            try:
                forms.append(rewrite(e).xreplace({p: s for s, p in positive.items()}))
            except Exception:  # noqa: BLE001 - SymPy may fail on odd trees; keep the other forms
                continue
        return min((_merge_radicals(f) for f in forms), key=complexity)

    def select(self, limit: int, max_complex: int = 3) -> list[Candidate]:
        """At most ``limit`` candidates: the (complexity, NRMSE) Pareto set, then the most accurate others.

        Candidates more complex than the simplest exact one (NRMSE ≤ 1e-12) are left out: they
        could only be dominated.  At most ``max_complex`` candidates (the most accurate) may
        have a complexity above 30: polishing one costs seconds, and they are rarely picked.
        """
        items = list(self._items.values())
        exact = [c.complexity for c in items if c.nrmse <= _EQUAL]
        if exact:
            items = [c for c in items if c.complexity <= min(exact)]
        complex_ = sorted((c for c in items if c.complexity > _COMPLEX), key=lambda c: (c.nrmse, c.complexity))
        items = [c for c in items if c.complexity <= _COMPLEX] + complex_[:max_complex]
        ordered = sorted(items, key=lambda c: (c.complexity, max(c.nrmse, _EQUAL)))
        front: list[Candidate] = []
        for candidate in ordered:
            if not front or max(candidate.nrmse, _EQUAL) < max(front[-1].nrmse, _EQUAL):
                front.append(candidate)
        front.sort(key=lambda c: c.nrmse)
        chosen = front[:limit]
        taken = {id(c) for c in chosen}
        rest = sorted((c for c in items if id(c) not in taken), key=lambda c: (c.nrmse, c.complexity))
        chosen.extend(rest[:max(0, limit - len(chosen))])
        return chosen

    def sources(self, candidates: list[Candidate] | None = None) -> dict[str, int]:
        """How many candidates (of the pool, or of ``candidates``) each stage contributed."""
        items = self._items.values() if candidates is None else candidates
        return dict(Counter(c.source.split("[")[0] for c in items))
