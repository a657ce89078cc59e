"""The stored part of a SISSO feature space: values, recipes, units and complexities.

Rungs ``0..R-1`` are stored (one row of values per feature); the last rung ``R`` is never
stored — :mod:`lawfind.search.sisso._generate` rebuilds it chunk by chunk whenever it is
screened.  A feature is stored as a *recipe* ``(operator, left, right)`` pointing at other
stored features (primaries point at their data column), so SymPy expressions are built
only for the few features a search returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from lawfind.law import internal_symbol
from lawfind.search.sisso._operators import Operator
from lawfind.search.sisso._units import UnitAlgebra

__all__ = ["FeatureSpace", "PRIMARY"]

#: ``op`` code of a primary feature (``left`` is then its data column).
PRIMARY = -1


@dataclass
class FeatureSpace:
    """Stored features, one row each.

    Attributes
    ----------
    values : ndarray of shape (features, samples)
    op : ndarray of int
        Index into :attr:`operators`, or :data:`PRIMARY`.
    left, right : ndarray of int
        Operand feature indices (``right`` is -1 for unary operators; ``left`` is the
        data column for primaries).
    complexity : ndarray of int
        Number of operators in the feature.
    rung : ndarray of int
    unit : ndarray of int
        Unit ids of :attr:`units`.
    signature : ndarray of shape (features, 3)
        Duplicate-detection signatures (:mod:`lawfind.search.sisso._dedup`).
    operators : list of Operator
    units : UnitAlgebra
    factors : list of float
        Unit conversion factor of each data column (1.0 unless converted).
    """

    values: np.ndarray
    op: np.ndarray
    left: np.ndarray
    right: np.ndarray
    complexity: np.ndarray
    rung: np.ndarray
    unit: np.ndarray
    signature: np.ndarray
    operators: list[Operator]
    units: UnitAlgebra
    factors: list[float]
    _expressions: dict[int, sp.Expr] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        """Number of stored features."""
        return len(self.op)

    @property
    def n_samples(self) -> int:
        """Number of samples (columns of :attr:`values`)."""
        return self.values.shape[1]

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Smallest and largest value of each stored feature."""
        return self.values.min(axis=1), self.values.max(axis=1)

    def append(self, values: np.ndarray, op: np.ndarray, left: np.ndarray, right: np.ndarray,
               complexity: np.ndarray, rung: int, unit: np.ndarray, signature: np.ndarray) -> None:
        """Add features (rows) to the space."""
        self.values = np.concatenate([self.values, values])
        self.op = np.concatenate([self.op, op.astype(self.op.dtype)])
        self.left = np.concatenate([self.left, left.astype(self.left.dtype)])
        self.right = np.concatenate([self.right, right.astype(self.right.dtype)])
        self.complexity = np.concatenate([self.complexity, complexity.astype(self.complexity.dtype)])
        self.rung = np.concatenate([self.rung, np.full(len(op), rung, dtype=self.rung.dtype)])
        self.unit = np.concatenate([self.unit, unit.astype(self.unit.dtype)])
        self.signature = np.concatenate([self.signature, signature])

    # ------------------------------------------------------------------ expressions
    def expression(self, index: int) -> sp.Expr:
        """The SymPy expression of stored feature ``index`` over ``x0, x1, ...``."""
        index = int(index)
        if index not in self._expressions:
            op = int(self.op[index])
            if op == PRIMARY:
                column = int(self.left[index])
                symbol = internal_symbol(column)
                factor = self.factors[column]
                expr: sp.Expr = symbol if factor == 1.0 else sp.Float(factor) * symbol
            else:
                expr = self.candidate_expression(op, int(self.left[index]), int(self.right[index]))
            self._expressions[index] = expr
        return self._expressions[index]

    def candidate_expression(self, op: int, left: int, right: int) -> sp.Expr:
        """The expression of ``operators[op]`` applied to stored features ``left`` (and ``right``)."""
        if op == PRIMARY:
            return self.expression(left)
        operator = self.operators[op]
        if operator.arity == 1:
            return operator.sympy(self.expression(left))
        return operator.sympy(self.expression(left), self.expression(right))

    def candidate_values(self, op: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Values ``(len(left), samples)`` of ``operators[op]`` on stored features (``op=PRIMARY``: the rows)."""
        if op == PRIMARY:
            return self.values[left]
        operator = self.operators[op]
        with np.errstate(all="ignore"):
            if operator.arity == 1:
                return operator.kernel(self.values[left])
            return operator.kernel(self.values[left], self.values[right])

    def candidate_units(self, op: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Unit ids of candidates (binary: all allowed by construction)."""
        if op == PRIMARY:
            return self.unit[left]
        operator = self.operators[op]
        ua = self.unit[left]
        ub = self.unit[right] if operator.arity == 2 else np.full_like(ua, -1)
        codes = ua.astype(np.int64) * (len(self.units) + 1) + (ub + 1)
        unique, inverse = np.unique(codes, return_inverse=True)
        width = len(self.units) + 1
        mapped = []
        for code in unique:
            a, b = divmod(int(code), width)
            result = self.units.combine(operator.unit_rule, operator.exponent, a, b - 1)
            if result is None:
                raise RuntimeError(f"operator {operator.name!r} was built on units it does not allow")
            mapped.append(result)
        return np.asarray(mapped, dtype=np.int32)[inverse.ravel()]

    def candidate_complexity(self, op: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Operator counts of candidates."""
        if op == PRIMARY:
            return self.complexity[left]
        total = self.complexity[left] + 1
        if self.operators[op].arity == 2:
            total = total + self.complexity[right]
        return total

    def describe(self, op: int, left: int, right: int) -> str:
        """A short text of a candidate's expression (for progress messages and info)."""
        return str(self.candidate_expression(op, left, right))
