"""The ``pysr`` engine: symbolic regression with PySR (SymbolicRegression.jl through juliacall).

How lawfind drives PySR:

* ``pysr`` is imported only inside :meth:`PySREngine.search`; ``import lawfind`` and the
  other engines never load ``pysr`` or ``juliacall`` (importing PySR starts Julia, and
  without Julia it tries to download one);
* :func:`pysr_status` checks cheaply, before any import, that PySR is installed and a
  Julia executable can be found (``PYTHON_JULIAPKG_EXE``, ``julia`` or ``juliaup`` on the
  PATH, or a Julia that juliapkg installed into this environment).  Without one, the
  engine raises :class:`~lawfind.exceptions.MissingDependencyError` at once, instead of
  letting juliacall try a download (which hangs or fails offline and leaves
  ``julia_env/lock.pid`` behind);
* the whole hall of fame is read back (``equations_``, or a ``hall_of_fame*.csv``): each
  ``equation`` string is parsed with the whitelist parser, never with ``sympify``; PySR's
  ``sympy_format`` objects are not used.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import sympy as sp

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError, DataError, ExpressionError, MissingDependencyError, SearchError
from lawfind.law import parse_expression
from lawfind.law._parse import internal_symbol
from lawfind.search._base import Engine, SearchResult

__all__ = ["PySREngine", "pysr_status", "pysr_equation_to_sympy", "pysr_expressions", "read_hall_of_fame",
           "PYSR_BINARY_OPERATORS", "PYSR_UNARY_OPERATORS"]

#: Binary operators lawfind can read back from PySR equation strings.
PYSR_BINARY_OPERATORS = ("+", "-", "*", "/", "^")
#: Unary operators lawfind can read back from PySR equation strings.
PYSR_UNARY_OPERATORS = (
    "exp", "log", "log10", "log2", "sqrt", "cbrt", "square", "cube", "neg", "inv", "abs", "sign",
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "asin", "acos", "atan",
)
_SETUP_HINT = (
    "install Julia (https://julialang.org/downloads or juliaup) so that `julia` is on the PATH, "
    "or point to a pre-installed one with PYTHON_JULIAPKG_EXE=/path/to/julia (plus "
    "PYTHON_JULIAPKG_OFFLINE=yes and JULIA_DEPOT_PATH for a depot that already holds PySR's "
    "Julia packages); or use another engine (--engine operon)"
)
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_JULIA_FLOAT = re.compile(r"\b(\d+\.?\d*)[fF]([+-]?\d+)\b")  # 1.5f0 (Float32) -> 1.5e0
_UNIT_ANNOTATION = re.compile(r"\[[^\[\]]*\]")  # 9.81[m s⁻²] printed by dimensional analysis
_REWRITES = {  # PySR unary operators outside the parser's whitelist, as arithmetic
    "cube": lambda a: ast.BinOp(a, ast.Pow(), ast.Constant(3)),
    "neg": lambda a: ast.UnaryOp(ast.USub(), a),
    "inv": lambda a: ast.BinOp(ast.Constant(1), ast.Div(), a),
    "log10": lambda a: ast.BinOp(ast.Call(ast.Name("log"), [a], []), ast.Div(), ast.Call(ast.Name("log"), [ast.Constant(10)], [])),
    "log2": lambda a: ast.BinOp(ast.Call(ast.Name("log"), [a], []), ast.Div(), ast.Call(ast.Name("log"), [ast.Constant(2)], [])),
}


def _julia_executable() -> str | None:
    """A Julia executable juliapkg would find without installing one, or None."""
    configured = os.environ.get("PYTHON_JULIAPKG_EXE")
    if configured:
        return shutil.which(configured)
    for name in ("julia", "juliaup"):
        found = shutil.which(name)
        if found:
            return found
    project = os.environ.get("PYTHON_JULIAPKG_PROJECT") or os.path.join(sys.prefix, "julia_env")
    return shutil.which(os.path.join(project, "pyjuliapkg", "install", "bin", "julia"))


def pysr_status() -> tuple[bool, str]:
    """Whether the ``pysr`` engine can run here, and why not (without importing PySR).

    Returns
    -------
    available : bool
    reason : str
        Empty when available; else what is missing and how to set it up.

    Notes
    -----
    This is a cheap check: a Julia that is found but lacks PySR's Julia packages (and
    cannot download them) is only detected when the engine runs, as a
    :class:`~lawfind.exceptions.MissingDependencyError` with Julia's message.
    """
    if importlib.util.find_spec("pysr") is None:
        return False, "the pysr engine needs the Python package pysr: pip install 'lawfind[pysr]'"
    configured = os.environ.get("PYTHON_JULIAPKG_EXE")
    if configured and _julia_executable() is None:
        return False, f"PYTHON_JULIAPKG_EXE={configured!r} is not an executable file; {_SETUP_HINT}"
    if _julia_executable() is None:
        return False, f"the pysr engine needs Julia, and none was found; {_SETUP_HINT}"
    return True, ""


def _import_pysr() -> Any:
    available, reason = pysr_status()
    if not available:
        raise MissingDependencyError(reason)
    try:
        from pysr import PySRRegressor
    except Exception as exc:  # juliacall raises plain Exception for a missing Julia or package
        message = " ".join(str(exc).split())[:300]
        raise MissingDependencyError(f"pysr could not start Julia ({type(exc).__name__}: {message}); {_SETUP_HINT}") from None
    return PySRRegressor


class _Rewriter(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in _REWRITES and len(node.args) == 1 and not node.keywords:
            return _REWRITES[node.func.id](node.args[0])
        return node


def pysr_equation_to_sympy(text: str, feature_names: Sequence[str] | None = None) -> sp.Expr:
    """Parse a PySR equation string into SymPy over ``x0, x1, ...`` with the safe parser.

    Parameters
    ----------
    text : str
        As in PySR's ``equation`` column: ``^`` powers, Julia floats (``1.5f0``),
        subscripted names (``x₀``), unit annotations (``9.81[m s⁻²]``, dropped) and
        PySR operators such as ``square``, ``cube``, ``neg``, ``inv``, ``log10``.
    feature_names : sequence of str, optional
        The names PySR was given; the *i*-th becomes ``x{i}``.  Without them, names
        must already be ``x0``, ``x1``, ...

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        If the text is outside the safe grammar.

    Examples
    --------
    >>> pysr_equation_to_sympy("(x₀ * 2.5f0) + cube(x1)")
    2.5*x0 + x1**3
    """
    if not isinstance(text, str):
        raise ExpressionError(f"a PySR equation must be a string, got {type(text).__name__}")
    cleaned = _UNIT_ANNOTATION.sub("", text.translate(_SUBSCRIPTS))
    cleaned = _JULIA_FLOAT.sub(r"\1e\2", cleaned).replace("^", "**").strip()
    try:
        tree = ast.parse(cleaned, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"PySR equation {text!r} is not valid syntax: {exc.msg}") from None
    source = ast.unparse(ast.fix_missing_locations(_Rewriter().visit(tree)))
    symbols = {str(name): internal_symbol(i) for i, name in enumerate(feature_names or ())}
    return parse_expression(source, symbols)


def pysr_expressions(equations: pd.DataFrame, feature_names: Sequence[str] | None = None) -> list[sp.Expr]:
    """Candidates from a PySR equation table, most accurate first.

    Parameters
    ----------
    equations : DataFrame
        PySR's ``equations_`` (columns ``complexity``, ``loss``, ``equation``, ...) or a
        hall-of-fame table (``Complexity``, ``Loss``, ``Equation``).
    feature_names : sequence of str, optional
        See :func:`pysr_equation_to_sympy`.

    Returns
    -------
    list of sympy.Expr
        One per row whose equation parses; rows outside the grammar are skipped.

    Raises
    ------
    DataError
        If the table lacks the ``equation`` or ``loss`` column.
    """
    table = equations.rename(columns={"Complexity": "complexity", "Loss": "loss", "Equation": "equation"})
    missing = [c for c in ("equation", "loss") if c not in table.columns]
    if missing:
        raise DataError(f"PySR equation table lacks column(s) {missing}; it has {list(equations.columns)}")
    out = []
    for text in table.sort_values("loss", kind="stable")["equation"]:
        try:
            out.append(pysr_equation_to_sympy(str(text), feature_names))
        except ExpressionError:
            continue
    return out


def read_hall_of_fame(path: str | os.PathLike[str], feature_names: Sequence[str] | None = None) -> list[sp.Expr]:
    """Candidates from a PySR ``hall_of_fame*.csv`` (columns Complexity, Loss, Equation)."""
    try:
        table = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"cannot read the PySR hall of fame {os.fspath(path)!r}: {exc}") from None
    return pysr_expressions(table, feature_names)


@dataclass
class PySREngine(Engine):
    """Symbolic regression by PySR (needs Julia; see :func:`pysr_status`).

    Parameters
    ----------
    binary_operators : tuple of str, default=("+", "-", "*", "/")
        Any of :data:`PYSR_BINARY_OPERATORS`.
    unary_operators : tuple of str, default=("exp", "log", "sqrt", "square")
        Any of :data:`PYSR_UNARY_OPERATORS`.
    maxsize : int, default=30
        Largest complexity (nodes) of an equation.
    niterations : int, default=1000
        Iterations; the time limit (``timeout_in_seconds``) usually ends the search first.
    populations : int, default=31
    population_size : int, default=27
    deterministic : bool, default=False
        Reproducible searches: ``deterministic=True, parallelism="serial"`` with the seed
        as ``random_state`` (slower).  Otherwise PySR runs multithreaded and the seed
        does not make a run reproducible.
    X_units, y_units : tuple of str or str, optional
        Units for PySR's dimensional analysis (e.g. ``("m", "s")`` and ``"m/s"``).
    dimensional_constraint_penalty : float or None, default=None
    max_candidates : int, default=40
        At most this many hall-of-fame equations (most accurate first) go on.
    """

    name: ClassVar[str] = "pysr"
    supports_units: ClassVar[bool] = True

    binary_operators: tuple[str, ...] = ("+", "-", "*", "/")
    unary_operators: tuple[str, ...] = ("exp", "log", "sqrt", "square")
    maxsize: int = 30
    niterations: int = 1000
    populations: int = 31
    population_size: int = 27
    deterministic: bool = False
    X_units: tuple[str, ...] | None = None
    y_units: str | None = None
    dimensional_constraint_penalty: float | None = None
    max_candidates: int = 40

    def validate(self) -> None:
        for kind, given, allowed in (("binary", self.binary_operators, PYSR_BINARY_OPERATORS),
                                     ("unary", self.unary_operators, PYSR_UNARY_OPERATORS)):
            unknown = [op for op in given if op not in allowed]
            if unknown:
                raise ConfigError(f"unknown PySR {kind} operator(s) {unknown}; choose from {list(allowed)}")
        if not self.binary_operators:
            raise ConfigError("binary_operators is empty; give at least one, e.g. ('+', '*')")
        for name, value, low in (("maxsize", self.maxsize, 3), ("niterations", self.niterations, 1),
                                 ("populations", self.populations, 1), ("population_size", self.population_size, 10),
                                 ("max_candidates", self.max_candidates, 1)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ConfigError(f"{name} must be an integer ≥ {low}, got {value!r}")
        if not isinstance(self.deterministic, bool):
            raise ConfigError(f"deterministic must be True or False, got {self.deterministic!r}")
        if self.X_units is not None and not all(isinstance(u, str) for u in self.X_units):
            raise ConfigError(f"X_units must be a tuple of unit strings, got {self.X_units!r}")
        if self.y_units is not None and not isinstance(self.y_units, str):
            raise ConfigError(f"y_units must be a unit string, got {self.y_units!r}")

    def regressor_options(self, *, time_limit: float, seed: int, output_directory: str) -> dict[str, Any]:
        """The ``PySRRegressor`` keyword arguments for one search (no PySR import needed)."""
        return {
            "binary_operators": list(self.binary_operators),
            "unary_operators": list(self.unary_operators),
            "maxsize": int(self.maxsize),
            "niterations": int(self.niterations),
            "populations": int(self.populations),
            "population_size": int(self.population_size),
            "timeout_in_seconds": float(time_limit),
            "random_state": int(seed),
            "deterministic": self.deterministic,
            "parallelism": "serial" if self.deterministic else "multithreading",
            "dimensional_constraint_penalty": self.dimensional_constraint_penalty,
            "output_directory": output_directory,
            "progress": False,
            "verbosity": 0,
        }

    def search(self, X: np.ndarray, y: np.ndarray, *, time_limit: float, seed: int,
               progress: ProgressCallback) -> SearchResult:
        self.validate()
        if self.X_units is not None and len(self.X_units) != X.shape[1]:
            raise ConfigError(f"X_units has {len(self.X_units)} units but the data have {X.shape[1]} features")
        regressor_class = _import_pysr()
        started = time.monotonic()
        progress(0.0, "PySR search (Julia)")
        interrupted = False
        with tempfile.TemporaryDirectory(prefix="lawfind-pysr-") as folder:
            model = regressor_class(**self.regressor_options(time_limit=time_limit, seed=seed, output_directory=folder))
            units = {k: v for k, v in (("X_units", None if self.X_units is None else list(self.X_units)),
                                       ("y_units", self.y_units)) if v is not None}
            try:
                with warnings.catch_warnings():
                    # documented above: without deterministic=True the seed does not fix the run
                    warnings.filterwarnings("ignore", message=".*random_state.*deterministic.*")
                    model.fit(np.asarray(X, dtype=float), np.asarray(y, dtype=float), **units)
            except KeyboardInterrupt:
                interrupted = True
            except Exception as exc:  # Julia errors arrive as juliacall.JuliaError
                raise SearchError(f"PySR failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}") from None
            try:
                table = model.equations_
            except Exception:  # nothing fitted yet (interrupted before the first iteration)
                table = None
        if table is None:
            expressions: list[sp.Expr] = []
        else:
            expressions = pysr_expressions(table)[: self.max_candidates]
        progress(1.0, f"{len(expressions)} PySR candidates")
        return SearchResult(expressions, interrupted=interrupted,
                            info={"candidates": len(expressions), "seconds": round(time.monotonic() - started, 3)})
