"""The portfolio's structured stage: power laws and sparse sums/ratios of monomials for several targets.

A *target* is ``g(y)`` for a target transform ``g`` (:mod:`._transforms`), optionally
divided by a monomial prefactor ``M`` (:func:`._powerlaw.monomial_prefactors`), so that
``y = g⁻¹(M·S(x))`` with ``S`` a short sum is found as a sum.  The stage runs:

1. a **quick** pass on every transform: power laws, and sums of up to two terms (beam
   search plus exhaustive pairs over the 120 terms most correlated with the target).  The
   best NRMSE on ``y`` of these short laws is the transform's *straightness*;
2. the same quick sums on ``g(y)/M`` for the monomial prefactors ``M`` of ``y`` and of
   each transform, the straightest first, while half of the stage's time is left;
3. a **deep** pass while its time lasts: sums of up to ``max_terms`` terms on every target,
   ``y`` itself first and with ratios (denominators), then the straightest targets first.

Every law goes into the :class:`~lawfind.search._pool.CandidatePool` mapped back to ``y``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from lawfind.search._monomials import TermLibrary
from lawfind.search._pool import CandidatePool
from lawfind.search._powerlaw import fit_power_laws, monomial_prefactors
from lawfind.search._sums import fit_sparse_sums
from lawfind.search._transforms import TargetTransform

__all__ = ["Target", "StructuredSearch"]

_RATIONAL_TERMS = 300  # monomials that may enter a denominator (the identity target only)
_IDENTITY_SHARE = 0.4  # of the deep pass


@dataclass(frozen=True, eq=False)
class Target:
    """``g(y) / M``: a target transform, optionally divided by a monomial prefactor."""

    transform: TargetTransform
    prefactor: sp.Expr | None = None
    prefactor_values: np.ndarray | None = None

    @property
    def name(self) -> str:
        """``"log"``, ``"identity/x0**2"``..."""
        return self.transform.name + (f"/{self.prefactor}" if self.prefactor is not None else "")

    def apply(self, y: np.ndarray) -> np.ndarray:
        """The target values."""
        g = self.transform.apply(y)
        return g if self.prefactor_values is None else g / self.prefactor_values

    def invert_expr(self, f: sp.Expr) -> sp.Expr:
        """The law for ``y`` given a law ``f`` for the target."""
        return self.transform.invert_expr(f if self.prefactor is None else self.prefactor * f)

    def invert(self, values: np.ndarray) -> np.ndarray:
        """``y`` from target values."""
        return self.transform.invert(values if self.prefactor_values is None else values * self.prefactor_values)


class StructuredSearch:
    """Power laws and monomial sums for several targets, adding every law to ``pool``.

    Parameters
    ----------
    X, y : ndarray
    pool : CandidatePool
    library : TermLibrary
    max_terms : int
        Largest sum of the deep pass.
    remaining : callable
        Seconds left for the stage.
    report : callable
        ``report(message)`` for progress.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, pool: CandidatePool, library: TermLibrary, *, max_terms: int,
                 remaining: Callable[[], float], report: Callable[[str], None],
                 trig_columns: list[bool] | None = None) -> None:
        self.X, self.y, self.pool, self.library = X, y, pool, library
        #: the columns whose sine and cosine the power laws may use (all when None)
        self.trig_columns = trig_columns
        self.max_terms, self.remaining, self.report = max_terms, remaining, report
        self.scores: dict[str, float] = {}

    def _add(self, fit: Any, target: Target, stage: str) -> float:
        added = self.pool.add(target.invert_expr(fit.expression), f"{stage}[{target.name}]",
                              target.invert(fit.prediction))
        return added.nrmse if added is not None else float("inf")

    def quick(self, targets: list[Target], power_laws: bool = True) -> None:
        """Power laws and sums of up to two terms on each target; records each target's straightness."""
        for target in targets:
            g = target.apply(self.y)
            best = float("inf")
            if power_laws:
                for law in fit_power_laws(self.X, g, trig=True if self.trig_columns is None else self.trig_columns):
                    best = min(best, self._add(law, target, "powerlaw"))
            for fit in fit_sparse_sums(self.X, g, self.library, max_terms=2, screen=120, screen3=0, beam=8, limit=3):
                best = min(best, self._add(fit, target, "sums"))
            self.scores[target.name] = best

    def prefactor_targets(self, targets: list[Target], per_source: int = 2) -> list[Target]:
        """Quick sums on ``g(y)/M`` for the monomial prefactors ``M`` of each target, the straightest first.

        ``y`` gets twice ``per_source`` prefactors, every transform ``per_source``; the stage
        stops adding sources once half of the time left when it began is spent.
        """
        start = self.remaining()
        ranked = [targets[0]] + sorted(targets[1:], key=lambda t: self.scores.get(t.name, np.inf))
        out: list[Target] = []
        for position, target in enumerate(ranked):
            if position and self.remaining() < start / 2:
                break
            g = target.apply(self.y)
            divided = []
            for prefactor, values in monomial_prefactors(self.X, g, max_prefactors=per_source * (2 - bool(position))):
                candidate = Target(target.transform, prefactor, values)
                if np.all(np.isfinite(candidate.apply(self.y))) and np.std(candidate.apply(self.y)) > 0:
                    divided.append(candidate)
            self.quick(divided, power_laws=False)
            out.extend(divided)
        return out

    def deep(self, targets: list[Target]) -> None:
        """Sums of up to ``max_terms`` terms: ``y`` first (with ratios), then the straightest targets."""
        ordered = [targets[0]] + sorted(targets[1:], key=lambda t: self.scores.get(t.name, np.inf))
        for position, target in enumerate(ordered):
            fraction = _IDENTITY_SHARE if position == 0 else 1.0 / (len(ordered) - position)
            share = self.remaining() * fraction
            if share <= 0:
                break
            identity = target.transform.name == "identity" and target.prefactor is None
            for fit in fit_sparse_sums(self.X, target.apply(self.y), self.library, max_terms=self.max_terms,
                                       rational=_RATIONAL_TERMS if identity else 0,
                                       deadline=time.monotonic() + share):
                error = self._add(fit, target, "sums")
                if fit.n_terms <= 2:
                    self.scores[target.name] = min(self.scores.get(target.name, np.inf), error)
            self.report(f"structured: {target.name}")
