"""The AI Feynman equation tables (``FeynmanEquations.csv``, ``BonusEquations.csv``).

Each row names an equation (``Filename``), its output, a formula in numpy syntax and
up to ten variables with a uniform sampling range ``[low, high]``.  Formulas are
parsed by lawfind's whitelist parser (never ``eval``): the numpy names ``arcsin``,
``arccos``, ``arctan`` and ``ln`` are renamed to their SymPy names on the syntax tree,
and ``~`` (a unary minus in some copies of ``BonusEquations.csv``) is read as ``-``.
Variables are plain SymPy symbols named as in the file (as SRBench's
``get_sym_model`` makes them), so a variable may be called ``gamma`` or ``x1``.
"""

from __future__ import annotations

import ast
import csv
import difflib
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp

from lawfind.exceptions import ConfigError, DataError, ExpressionError
from lawfind.law import parse_expression

__all__ = ["Variable", "Equation", "read_equations", "select_equations", "default_equations_path",
           "parse_formula"]

#: numpy function names in the tables -> names of lawfind's safe parser
_RENAMED_FUNCTIONS = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "ln": "log"}
_MAX_VARIABLES = 10
_DEFAULT_FILE = Path("feynman_equations") / "FeynmanEquations.csv"


@dataclass(frozen=True)
class Variable:
    """One input of an equation and its uniform sampling range ``[low, high]``."""

    name: str
    low: float
    high: float


@dataclass(frozen=True)
class Equation:
    """One benchmark equation ``output = expression(variables)``.

    Attributes
    ----------
    name : str
        The equation id (``Filename`` column, e.g. ``"I.6.2a"``).
    number : int
    output : str
    formula : str
        The formula as written in the file.
    variables : tuple of Variable
    expression : sympy.Expr
        The formula over plain symbols named as the variables.
    """

    name: str
    number: int
    output: str
    formula: str
    variables: tuple[Variable, ...]
    expression: sp.Expr

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        """The variables' symbols, in column order."""
        return tuple(sp.Symbol(v.name) for v in self.variables)

    @property
    def names(self) -> list[str]:
        """The variable names, in column order."""
        return [v.name for v in self.variables]

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        """The formula on the rows of ``X`` (one column per variable, in order)."""
        function = sp.lambdify(self.symbols, self.expression, modules="numpy")
        with np.errstate(all="ignore"):
            values = function(*(np.asarray(X[:, i], dtype=float) for i in range(len(self.variables))))
        return np.broadcast_to(np.asarray(values, dtype=float), (X.shape[0],)).copy()


class _NumpyToSafe(ast.NodeTransformer):
    """Rename numpy functions and read ``~a`` as ``-a`` (the only rewrites the tables need)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in _RENAMED_FUNCTIONS:
            node.func = ast.copy_location(ast.Name(_RENAMED_FUNCTIONS[node.func.id], ast.Load()), node.func)
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Invert):
            return ast.copy_location(ast.UnaryOp(ast.USub(), node.operand), node)
        return node


def parse_formula(formula: str, variables: Sequence[str]) -> sp.Expr:
    """Parse a table formula (numpy syntax) into SymPy over plain symbols named ``variables``.

    Raises
    ------
    ExpressionError
        If the formula is not valid syntax or uses a name that is neither a variable,
        ``pi`` nor an allowed function.

    Examples
    --------
    >>> parse_formula("exp(-theta**2/2)/sqrt(2*pi)", ["theta"])
    sqrt(2)*exp(-theta**2/2)/(2*sqrt(pi))
    """
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"formula {formula!r} is not valid syntax: {exc.msg}") from None
    rewritten = ast.unparse(ast.fix_missing_locations(_NumpyToSafe().visit(tree)))
    return parse_expression(rewritten, {name: sp.Symbol(name) for name in variables})


def default_equations_path() -> Path:
    """``$LAWFIND_DATA_DIR/feynman_equations/FeynmanEquations.csv``.

    Raises
    ------
    ConfigError
        If ``LAWFIND_DATA_DIR`` is not set.
    """
    root = os.environ.get("LAWFIND_DATA_DIR", "")
    if not root:
        raise ConfigError("no equation table given: pass --equations PATH (e.g. FeynmanEquations.csv) "
                          "or set LAWFIND_DATA_DIR to a data mirror holding feynman_equations/")
    return Path(root) / _DEFAULT_FILE


def _number(text: str, what: str, where: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise DataError(f"{where}: {what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise DataError(f"{where}: {what} {text!r} is not finite")
    return value


def _row_equation(row: dict[str, str], line: int, source: str) -> Equation:
    name = (row.get("Filename") or "").strip()
    where = f"{source}, line {line} ({name or 'no Filename'})"
    if not name:
        raise DataError(f"{where}: the Filename column (equation id) is empty")
    variables = []
    for i in range(1, _MAX_VARIABLES + 1):
        var = (row.get(f"v{i}_name") or "").strip()
        if not var:
            continue
        low = _number(row.get(f"v{i}_low", ""), f"v{i}_low of {var!r}", where)
        high = _number(row.get(f"v{i}_high", ""), f"v{i}_high of {var!r}", where)
        if low > high:
            raise DataError(f"{where}: the range of {var!r} is [{low}, {high}]; low must not exceed high")
        variables.append(Variable(var, low, high))
    if not variables:
        raise DataError(f"{where}: no variables (v1_name, v1_low, v1_high, ...) are listed")
    if len({v.name for v in variables}) != len(variables):
        raise DataError(f"{where}: a variable name is listed twice: {[v.name for v in variables]}")
    formula = (row.get("Formula") or "").strip()
    try:
        expression = parse_formula(formula, [v.name for v in variables])
    except ExpressionError as exc:
        raise DataError(f"{where}: {exc}") from None
    unused = {s.name for s in expression.free_symbols} - {v.name for v in variables}
    if unused:  # pragma: no cover - the parser only knows the listed names
        raise DataError(f"{where}: the formula uses {sorted(unused)}, which have no range")
    try:
        number = int(float(row.get("Number") or ""))
    except ValueError:
        number = line - 1
    return Equation(name, number, (row.get("Output") or "y").strip() or "y", formula, tuple(variables), expression)


def read_equations(path: str | os.PathLike[str] | None = None) -> list[Equation]:
    """Read an AI Feynman equation table.

    Parameters
    ----------
    path : path, optional
        A CSV with the columns ``Filename``, ``Output``, ``Formula`` and
        ``v{i}_name``/``v{i}_low``/``v{i}_high``; by default
        :func:`default_equations_path`.  A UTF-8 byte-order mark is accepted.

    Returns
    -------
    list of Equation
        In file order.

    Raises
    ------
    DataError
        If the file is missing, lacks a column, or a row has a bad formula or range.
    """
    file = Path(path) if path is not None else default_equations_path()
    if not file.is_file():
        raise DataError(f"equation table {str(file)!r} not found; pass --equations PATH to an AI Feynman "
                        f"table such as FeynmanEquations.csv")
    with open(file, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("Filename", "Formula", "v1_name", "v1_low", "v1_high") if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{str(file)!r} lacks the column(s) {missing}; it is not an AI Feynman equation table")
        equations = [_row_equation(row, line, str(file)) for line, row in enumerate(reader, start=2)
                     if any((value or "").strip() for value in row.values() if isinstance(value, str))]
    if not equations:
        raise DataError(f"{str(file)!r} lists no equations")
    names = [eq.name for eq in equations]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DataError(f"{str(file)!r} lists the equation(s) {duplicated} more than once")
    return equations


def select_equations(equations: Sequence[Equation], *, names: Sequence[str] | None = None,
                     subset: int | None = None) -> list[Equation]:
    """Pick equations by name, or ``subset`` of them spread evenly over the table.

    Parameters
    ----------
    equations : sequence of Equation
    names : sequence of str, optional
        Equation ids (``Filename``), in the order given.
    subset : int, optional
        Take rows ``floor(i * len / subset)`` for ``i = 0..subset-1`` (every k-th row,
        so the subset spans the whole table); applied after ``names``.

    Raises
    ------
    ConfigError
        For an unknown name (with the closest known one) or a bad subset size.
    """
    chosen = list(equations)
    if names is not None:
        by_name = {eq.name: eq for eq in equations}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(by_name), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"unknown equation name(s) {unknown}{hint} (the table has {len(by_name)} "
                              f"equations, e.g. {list(by_name)[:3]})")
        chosen = [by_name[n] for n in dict.fromkeys(names)]
    if subset is not None:
        if isinstance(subset, bool) or not isinstance(subset, (int, np.integer)) or subset < 1:
            raise ConfigError(f"subset must be a positive number of equations (--subset), got {subset!r}")
        if subset > len(chosen):
            raise ConfigError(f"subset {subset} is larger than the {len(chosen)} equations available")
        chosen = [chosen[(i * len(chosen)) // subset] for i in range(subset)]
    return chosen
