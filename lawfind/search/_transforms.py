"""Target transforms ``g(y)`` that can make a law simpler to find, and their inverses.

A law found for the transformed target, ``g(y) = f(x)``, is mapped back to
``y = g⁻¹(f(x))`` before it leaves the engine, so every candidate is in terms of ``y``.
Each transform applies only where it is defined *and invertible* on every row: a square
loses the sign, so it needs a target of one sign, whose sign the inverse puts back.

=================  ====================  ===================  ==============================
name               ``g(y)``              ``y = g⁻¹(f)``       applies when
=================  ====================  ===================  ==============================
``identity``       ``y``                 ``f``                always
``log``            ``log(s·y)``          ``s·exp(f)``         ``y`` of one sign ``s``, no 0
``exp``            ``exp(y)``            ``log(f)``           ``y ≤ 30`` and range ``≤ 30``
``square``         ``y²``                ``s·sqrt(f)``        ``y`` of one sign
``sqrt``           ``sqrt(s·y)``         ``s·f²``             ``y`` of one sign
``reciprocal``     ``1/y``               ``1/f``              ``y`` without 0
``inverse_square`` ``1/y²``              ``s/sqrt(f)``        ``y`` of one sign, no 0
``sin``            ``sin(y)``            ``asin(f)``          ``|y| ≤ π/2``
``cos``            ``cos(y)``            ``acos(f)``          ``0 ≤ y ≤ π``
=================  ====================  ===================  ==============================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["TargetTransform", "TRANSFORMS", "make_transform"]

#: Names of the transforms :func:`make_transform` knows (``identity`` first).
TRANSFORMS = ("identity", "log", "exp", "square", "sqrt", "reciprocal", "inverse_square", "sin", "cos")
_EXP_LIMIT = 30.0


@dataclass(frozen=True)
class TargetTransform:
    """One target transform, bound to the sign of the data it was made for.

    Attributes
    ----------
    name : str
        One of :data:`TRANSFORMS`.
    sign : int
        The sign of the target (+1 or -1; +1 where the transform does not use it).
    forward : callable
        ``g`` on arrays.
    backward : callable
        ``g⁻¹`` on arrays (invalid values come back as NaN).
    backward_expr : callable
        ``g⁻¹`` on SymPy expressions.
    """

    name: str
    sign: int
    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray], np.ndarray]
    backward_expr: Callable[[sp.Expr], sp.Expr]

    def apply(self, y: np.ndarray) -> np.ndarray:
        """``g(y)`` (floating-point warnings silenced)."""
        with np.errstate(all="ignore"):
            return np.asarray(self.forward(np.asarray(y, dtype=float)), dtype=float)

    def invert(self, values: np.ndarray) -> np.ndarray:
        """``g⁻¹(values)``; values outside the inverse's domain give NaN."""
        with np.errstate(all="ignore"):
            return np.asarray(self.backward(np.asarray(values, dtype=float)), dtype=float)

    def invert_expr(self, expr: sp.Expr) -> sp.Expr:
        """The law for ``y`` given a law ``expr`` for ``g(y)``."""
        return self.backward_expr(expr)


def _one_sign(y: np.ndarray) -> int:
    """+1 or -1 when every value is strictly of that sign, else 0."""
    if np.all(y > 0):
        return 1
    if np.all(y < 0):
        return -1
    return 0


def _signed_sqrt(s: int) -> Callable[[np.ndarray], np.ndarray]:
    return lambda v: s * np.sqrt(np.where(v >= 0, v, np.nan))


def make_transform(name: str, y: np.ndarray) -> TargetTransform | None:
    """The transform ``name`` for the target ``y``, or None where it does not apply to ``y``.

    Parameters
    ----------
    name : str
        One of :data:`TRANSFORMS`.
    y : ndarray of shape (n_samples,)
        Finite target values.

    Raises
    ------
    ValueError
        For a name not in :data:`TRANSFORMS` (engines validate names before searching).

    Examples
    --------
    >>> import numpy as np, sympy as sp
    >>> t = make_transform("inverse_square", np.array([1.0, 2.0]))
    >>> t.apply(np.array([2.0]))
    array([0.25])
    >>> t.invert_expr(sp.Symbol("f"))
    1/sqrt(f)
    >>> make_transform("log", np.array([-1.0, 2.0])) is None
    True
    """
    y = np.asarray(y, dtype=float)
    s = _one_sign(y)
    one = sp.Integer(s or 1)
    if name == "identity":
        return TargetTransform(name, 1, lambda v: v, lambda v: v, lambda e: e)
    if name == "log":
        if not s:
            return None
        return TargetTransform(name, s, lambda v: np.log(s * v), lambda v: s * np.exp(v), lambda e: one * sp.exp(e))
    if name == "exp":
        if not (np.max(y) <= _EXP_LIMIT and np.ptp(y) <= _EXP_LIMIT):
            return None
        return TargetTransform(name, 1, np.exp, lambda v: np.log(np.where(v > 0, v, np.nan)), sp.log)
    if name == "square":
        if not s:
            return None
        return TargetTransform(name, s, np.square, _signed_sqrt(s), lambda e: one * sp.sqrt(e))
    if name == "sqrt":
        if not s:
            return None
        return TargetTransform(name, s, lambda v: np.sqrt(s * v), lambda v: s * np.square(v), lambda e: one * e**2)
    if name == "reciprocal":
        if not np.all(y != 0):
            return None
        return TargetTransform(name, 1, lambda v: 1.0 / v, lambda v: 1.0 / v, lambda e: 1 / e)
    if name == "inverse_square":
        if not s:
            return None
        return TargetTransform(name, s, lambda v: 1.0 / np.square(v),
                               lambda v: s / np.sqrt(np.where(v > 0, v, np.nan)), lambda e: one / sp.sqrt(e))
    if name == "sin":
        if not np.all(np.abs(y) <= np.pi / 2):
            return None
        return TargetTransform(name, 1, np.sin, lambda v: np.arcsin(np.where(np.abs(v) <= 1, v, np.nan)), sp.asin)
    if name == "cos":
        if not np.all((y >= 0) & (y <= np.pi)):
            return None
        return TargetTransform(name, 1, np.cos, lambda v: np.arccos(np.where(np.abs(v) <= 1, v, np.nan)), sp.acos)
    raise ValueError(f"unknown target transform {name!r}; choose from {list(TRANSFORMS)}")
