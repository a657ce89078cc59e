"""Parse expression strings against a whitelist, never with ``eval`` or ``sympify``.

Expressions come from files (``laws.json``), from engines (pyoperon model strings)
and from users.  They are parsed with :mod:`ast` into a syntax tree, and only
numbers, whitelisted names and functions and the arithmetic operators are turned
into SymPy objects.  Anything else (attributes, subscripts, lambdas, keyword
arguments, strings, dunder names, ...) raises :class:`ExpressionError`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

import sympy as sp

from lawfind.exceptions import ExpressionError

__all__ = ["parse_expression", "ALLOWED_FUNCTIONS", "internal_symbol", "INTERNAL_NAME"]

#: Internal variable names: ``x0``, ``x1``, ... (column *i* of the feature table).
INTERNAL_NAME = re.compile(r"^x(0|[1-9][0-9]*)$")

ALLOWED_FUNCTIONS: dict[str, object] = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "cbrt": lambda a: sp.Pow(a, sp.Rational(1, 3)),
    "Abs": sp.Abs,
    "abs": sp.Abs,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "tanh": sp.tanh,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "square": lambda a: sp.Pow(a, 2),
    "pow": sp.Pow,
    "Pow": sp.Pow,
    "sign": sp.sign,
}

_CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}
_MAX_LENGTH = 20_000
_MAX_NUMERIC_EXPONENT = 64  # 9**9**9**9 would otherwise make SymPy compute a gigantic integer


def internal_symbol(index: int) -> sp.Symbol:
    """Return the internal SymPy symbol of feature column ``index`` (``x0``, ``x1``, ...)."""
    return sp.Symbol(f"x{index}", real=True)


def parse_expression(text: str, symbols: Mapping[str, sp.Symbol] | None = None) -> sp.Expr:
    """Parse ``text`` into a SymPy expression using only whitelisted syntax.

    Parameters
    ----------
    text : str
        The expression, in Python syntax (``**`` or ``^`` for powers).
    symbols : mapping of str to sympy.Symbol, optional
        Extra names allowed as variables.  Names of the form ``x0``, ``x1``, ...
        are always allowed and become :func:`internal_symbol` symbols.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        If the text is not an arithmetic expression over allowed names.

    Examples
    --------
    >>> parse_expression("3.2*x0*x1/x2^2")
    3.2*x0*x1/x2**2
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expression must be a string, got {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long; the limit is {_MAX_LENGTH}")
    source = text.replace("^", "**").strip()
    if not source:
        raise ExpressionError("expression is empty")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"expression {text!r} is not valid syntax: {exc.msg}") from None
    return _Converter(text, dict(symbols or {})).visit(tree.body)


class _Converter:
    def __init__(self, text: str, symbols: dict[str, sp.Symbol]) -> None:
        self.text = text
        self.symbols = symbols

    def fail(self, what: str) -> ExpressionError:
        return ExpressionError(
            f"expression {self.text[:80]!r} contains {what}; only numbers, variables, "
            f"+ - * / ** and the functions {', '.join(sorted(set(ALLOWED_FUNCTIONS)))} are allowed"
        )

    def visit(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail(f"the literal {value!r}")
            return sp.Integer(value) if isinstance(value, int) else sp.Float(value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.visit(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            op = node.op
            if isinstance(op, ast.Add):
                return left + right
            if isinstance(op, ast.Sub):
                return left - right
            if isinstance(op, ast.Mult):
                return left * right
            if isinstance(op, ast.Div):
                return left / right
            if isinstance(op, ast.Pow):
                if left.is_number and right.is_number and abs(complex(right.evalf(15))) > _MAX_NUMERIC_EXPONENT:
                    raise self.fail(f"a power of two numbers with an exponent beyond {_MAX_NUMERIC_EXPONENT}")
                return sp.Pow(left, right)
            raise self.fail(f"the operator {type(op).__name__}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in ALLOWED_FUNCTIONS:
                raise self.fail(f"a call of {ast.unparse(node.func)!r}")
            if node.keywords:
                raise self.fail("keyword arguments")
            func = ALLOWED_FUNCTIONS[node.func.id]
            args = [self.visit(a) for a in node.args]
            try:
                return func(*args)  # type: ignore[operator]
            except TypeError:
                raise self.fail(f"{node.func.id} with {len(args)} arguments") from None
        raise self.fail(f"the construct {type(node).__name__} ({ast.unparse(node)[:40]!r})")

    def name(self, name: str) -> sp.Expr:
        if name in self.symbols:
            return self.symbols[name]
        match = INTERNAL_NAME.match(name)
        if match:
            return internal_symbol(int(match.group(1)))
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        raise self.fail(f"the unknown name {name!r}")
