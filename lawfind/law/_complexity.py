"""Complexity of an expression: the number of nodes of its binary expression tree."""

from __future__ import annotations

import sympy as sp

__all__ = ["complexity"]


def complexity(expr: sp.Expr) -> int:
    """Count the nodes of ``expr`` written as a binary tree.

    Every symbol, number and operator counts 1; an n-ary sum or product counts as
    n-1 binary operators; ``a - b`` and ``a / b`` count like ``a + b`` and ``a * b``;
    a leading minus sign counts 1; ``sqrt(a)`` counts as one function node.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y, z = sp.symbols("x y z")
    >>> complexity(3.2 * x * y / z**2), complexity(x - y), complexity(sp.sqrt(x**2 + y**2))
    (9, 3, 8)
    """
    if expr.is_Atom:
        return 1
    if isinstance(expr, sp.Add):
        total = 0
        for arg in expr.args:
            total += complexity(-arg) if arg.could_extract_minus_sign() else complexity(arg)
        return total + len(expr.args) - 1
    if isinstance(expr, (sp.Mul, sp.Pow)):
        numerator, denominator = sp.fraction(expr)
        if denominator != 1:
            return complexity(numerator) + complexity(denominator) + 1
    if isinstance(expr, sp.Mul):
        coeff, factors = expr.as_coeff_mul()
        if coeff == -1:
            return 1 + complexity(sp.Mul(*factors))
        items = list(factors) + ([coeff] if coeff != 1 else [])
        return sum(complexity(item) for item in items) + len(items) - 1
    if isinstance(expr, sp.Pow) and expr.exp == sp.Rational(1, 2):
        return 1 + complexity(expr.base)
    return 1 + sum(complexity(arg) for arg in expr.args)
