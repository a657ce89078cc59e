"""The operator set of the ``sisso`` engine: how each operator computes, prints and treats units.

Names follow SISSO's own operator strings (``"+"``, ``"exp-"``, ``"^-1"``, ``"|-|"``...), so
a SISSO ``SISSO.in`` operator list carries over.  Every operator knows

* its NumPy kernel (rows of a ``(features, samples)`` array at a time),
* its SymPy form over the operand expressions,
* its unit rule (see :mod:`lawfind.search.sisso._units`),
* its domain (where its SymPy form is real and matches the kernel),
* whether it is monotone, so a 1-D threshold classifier can skip it at the last rung
  (a monotone transform of a descriptor gives the same threshold rule).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import sympy as sp

from lawfind.exceptions import ConfigError

__all__ = ["Operator", "OPERATORS", "DEFAULT_OPERATORS", "resolve_operators"]

UnitRule = Literal["same", "multiply", "divide", "dimensionless", "power", "keep"]
Monotone = Literal["always", "sign_constant", "never"]


@dataclass(frozen=True)
class Operator:
    """One feature-construction operator.

    Attributes
    ----------
    name : str
        The name used in ``SissoEngine(operators=...)``.
    arity : {1, 2}
    kernel : callable
        NumPy function of one or two arrays (non-finite results are dropped later).
    sympy : callable
        SymPy form from the operand expression(s).
    unit_rule : {"same", "multiply", "divide", "dimensionless", "power", "keep"}
        ``"same"``: both operands must have like units, the result keeps them;
        ``"dimensionless"``: the operand must be dimensionless; ``"power"``: the unit
        is raised to :attr:`exponent`; ``"keep"``: the unit is unchanged.
    exponent : float
        For ``unit_rule="power"``.
    symmetric : bool
        For binary operators: ``op(a, b)`` equals ``op(b, a)`` up to sign and scale, so
        only one order of each pair is built.
    domain : {"any", "positive", "nonnegative"}
        Operand values the operator is built on (others would be complex in SymPy).
    monotone : {"always", "sign_constant", "never"}
        For unary operators: strictly monotone on its domain, only on operands that
        do not change sign, or neither.
    """

    name: str
    arity: int
    kernel: Callable[..., np.ndarray]
    sympy: Callable[..., sp.Expr]
    unit_rule: UnitRule
    exponent: float = 1.0
    symmetric: bool = False
    domain: Literal["any", "positive", "nonnegative"] = "any"
    monotone: Monotone = "never"


def _power(p: int) -> Callable[[np.ndarray], np.ndarray]:
    return lambda a: a**p


OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("+", 2, np.add, lambda a, b: a + b, "same", symmetric=True),
        Operator("-", 2, np.subtract, lambda a, b: a - b, "same", symmetric=True),
        Operator("*", 2, np.multiply, lambda a, b: a * b, "multiply", symmetric=True),
        Operator("/", 2, np.divide, lambda a, b: a / b, "divide"),
        Operator("|-|", 2, lambda a, b: np.abs(a - b), lambda a, b: sp.Abs(a - b), "same", symmetric=True),
        Operator("exp", 1, np.exp, sp.exp, "dimensionless", monotone="always"),
        Operator("exp-", 1, lambda a: np.exp(-a), lambda a: sp.exp(-a), "dimensionless", monotone="always"),
        Operator("log", 1, np.log, sp.log, "dimensionless", domain="positive", monotone="always"),
        Operator("sqrt", 1, np.sqrt, sp.sqrt, "power", exponent=0.5, domain="nonnegative", monotone="always"),
        Operator("cbrt", 1, np.cbrt, lambda a: sp.Pow(a, sp.Rational(1, 3)), "power", exponent=1 / 3,
                 domain="nonnegative", monotone="always"),
        Operator("^2", 1, _power(2), lambda a: a**2, "power", exponent=2.0, monotone="sign_constant"),
        Operator("^3", 1, _power(3), lambda a: a**3, "power", exponent=3.0, monotone="always"),
        Operator("^6", 1, _power(6), lambda a: a**6, "power", exponent=6.0, monotone="sign_constant"),
        Operator("^-1", 1, lambda a: 1.0 / a, lambda a: 1 / a, "power", exponent=-1.0, monotone="sign_constant"),
        Operator("abs", 1, np.abs, sp.Abs, "keep", monotone="sign_constant"),
        Operator("sin", 1, np.sin, sp.sin, "dimensionless"),
        Operator("cos", 1, np.cos, sp.cos, "dimensionless"),
    )
}

#: SISSO's usual operator set (no trigonometric functions, no ``^6``, no ``abs``).
DEFAULT_OPERATORS: tuple[str, ...] = ("+", "-", "*", "/", "|-|", "exp", "exp-", "log", "sqrt", "cbrt", "^2",
                                      "^3", "^-1")


def resolve_operators(names: Sequence[str]) -> list[Operator]:
    """The :class:`Operator` objects for ``names`` (unary first, then binary, each in the given order).

    Raises
    ------
    ConfigError
        For a name that is not an operator (with the closest known name), a repeated
        name, or a value that is not a sequence of strings.
    """
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
        raise ConfigError(f"sisso engine: operators must be a tuple of operator names such as ('+', '-', '*', '/'), "
                          f"got {names!r}")
    seen: set[str] = set()
    out: list[Operator] = []
    for name in names:
        if not isinstance(name, str) or name not in OPERATORS:
            close = difflib.get_close_matches(str(name), list(OPERATORS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"sisso engine: unknown operator {name!r} in operators{hint} "
                              f"Known operators: {list(OPERATORS)}")
        if name in seen:
            raise ConfigError(f"sisso engine: operator {name!r} is listed twice in operators={tuple(names)!r}")
        seen.add(name)
        out.append(OPERATORS[name])
    return sorted(out, key=lambda op: op.arity)
