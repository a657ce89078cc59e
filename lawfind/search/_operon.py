"""The ``operon`` engine: genetic-programming symbolic regression with pyoperon.

How lawfind drives pyoperon (see ``docs/engines.md`` for the reasons):

* a two-objective search (R², length); lawfind reads pyoperon's whole Pareto front and
  picks with its own rule, never pyoperon's MDL pick (it assumes noise σ=1);
* the search runs in slices of about one second (``warm_start``), so a progress bar
  moves, Ctrl-C stops between slices and keeps the best-so-far front, and the time
  limit binds (pyoperon's own ``max_time`` only binds with huge generation counts);
* the fitted pyoperon object is never kept: its ``individuals_`` cannot be pickled.
  Only the model strings leave this module;
* model strings name variables X1..Xn (1-based) and write powers as ``^``; they are
  mapped to ``x0..`` and parsed with the safe parser; each leaf's scale constant is
  folded by the shared SymPy post-processing before any rounding.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import sympy as sp

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError, ExpressionError, MissingDependencyError, SearchError
from lawfind.law import parse_expression
from lawfind.search._base import Engine, SearchResult

__all__ = ["OperonEngine", "OPERON_OPERATORS"]

#: Operators lawfind can read back from pyoperon model strings.
OPERON_OPERATORS = (
    "add", "sub", "mul", "div", "aq", "pow", "abs", "exp", "log", "logabs", "sqrt",
    "sqrtabs", "cbrt", "square", "sin", "cos", "tan", "tanh", "sinh", "cosh",
    "asin", "acos", "atan",
)
_DEFAULT_OPERATORS = ("add", "sub", "mul", "div", "exp", "log", "sqrt", "square")
_VARIABLE = re.compile(r"\bX(\d+)\b")


def _import_operon():
    try:
        from pyoperon.sklearn import SymbolicRegressor
    except ImportError as exc:  # pragma: no cover - pyoperon is a core dependency
        raise MissingDependencyError(
            f"the operon engine needs pyoperon ({exc}); install it with: pip install pyoperon"
        ) from None
    return SymbolicRegressor


def operon_string_to_sympy(text: str) -> sp.Expr:
    """Parse a pyoperon model string (X1.. 1-based, ``^`` powers) into SymPy over x0.."""
    mapped = _VARIABLE.sub(lambda m: f"x{int(m.group(1)) - 1}", text)
    return parse_expression(mapped)


@dataclass
class OperonEngine(Engine):
    """Symbolic regression by pyoperon (NSGA-II on error and length).

    Parameters
    ----------
    operators : tuple of str, default=("add", "sub", "mul", "div", "exp", "log", "sqrt", "square")
        pyoperon symbols to use; any of :data:`OPERON_OPERATORS`.
    max_length : int, default=30
        Largest tree (nodes) pyoperon may build.
    population_size : int, default=1000
    n_threads : int or None, default=None
        Threads for pyoperon; all cores when None.
    generations : int or None, default=None
        A deterministic budget in generations (results then do not depend on the
        machine's speed); the time limit still applies.
    stop_nrmse : float, default=1e-6
        Stop early once a front law has reached this NRMSE (an exact fit) and
        ``patience`` more slices have run (time for simpler exact forms to appear).
    patience : int, default=3
    """

    name: ClassVar[str] = "operon"

    operators: tuple[str, ...] = _DEFAULT_OPERATORS
    max_length: int = 30
    population_size: int = 1000
    n_threads: int | None = None
    generations: int | None = None
    stop_nrmse: float = 1e-6
    patience: int = 3

    def validate(self) -> None:
        unknown = [op for op in self.operators if op not in OPERON_OPERATORS]
        if unknown:
            raise ConfigError(f"unknown operon operator(s) {unknown}; choose from {list(OPERON_OPERATORS)}")
        if not self.operators:
            raise ConfigError("operators is empty; give at least one, e.g. ('add', 'mul')")
        for name, value, low in (("max_length", self.max_length, 3), ("population_size", self.population_size, 10),
                                 ("patience", self.patience, 1)):
            if not isinstance(value, (int, np.integer)) or value < low:
                raise ConfigError(f"{name} must be an integer ≥ {low}, got {value!r}")
        if self.generations is not None and (not isinstance(self.generations, (int, np.integer)) or self.generations < 1):
            raise ConfigError(f"generations must be a positive integer or None, got {self.generations!r}")
        if self.n_threads is not None and (not isinstance(self.n_threads, (int, np.integer)) or self.n_threads < 1):
            raise ConfigError(f"n_threads must be a positive integer or None, got {self.n_threads!r}")

    def search(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        time_limit: float,
        seed: int,
        progress: ProgressCallback,
    ) -> SearchResult:
        self.validate()
        regressor_class = _import_operon()
        # pandas 3 hands out read-only / Fortran-ordered arrays; pyoperon needs C-contiguous copies
        X = np.ascontiguousarray(X, dtype=float)
        y = np.array(y, dtype=float, copy=True)
        variance = float(np.var(y)) or 1.0
        generations_per_slice = 25 if self.generations is not None else 10**9
        regressor = regressor_class(
            allowed_symbols=",".join(self.operators) + ",constant,variable",
            objectives=["r2", "length"],
            max_length=self.max_length,
            population_size=self.population_size,
            n_threads=self.n_threads or os.cpu_count() or 1,
            max_time=1,
            generations=generations_per_slice,
            max_evaluations=10**12,
            random_state=seed,
            warm_start=True,
        )
        started = time.monotonic()
        front: list[str] = []
        generations_done = 0
        slices = 0
        exact_slices = 0
        interrupted = False
        try:
            while True:
                elapsed = time.monotonic() - started
                remaining = time_limit - elapsed
                if remaining <= 0.05:
                    break
                if self.generations is not None and generations_done >= self.generations:
                    break
                regressor.set_params(max_time=max(1, int(min(1.0, remaining) + 0.5)), random_state=seed + slices)
                if self.generations is not None:
                    regressor.set_params(generations=min(generations_per_slice, self.generations - generations_done))
                regressor.fit(X, y)
                slices += 1
                generations_done += int(regressor.stats_.get("generations", 0))
                strings = [regressor.get_model_string(p["tree"], 17) for p in regressor.pareto_front_]
                best_nrmse = float(np.sqrt(min(p["mean_squared_error"] for p in regressor.pareto_front_) / variance))
                front = strings
                exact_slices = exact_slices + 1 if best_nrmse <= self.stop_nrmse else 0
                fraction = (time.monotonic() - started) / time_limit
                if self.generations is not None:
                    fraction = max(fraction, generations_done / self.generations)
                progress(min(fraction, 1.0), f"{len(front)} on front · best NRMSE {best_nrmse:.2e}")
                if exact_slices > self.patience:
                    break
        except KeyboardInterrupt:
            interrupted = True
        except (RuntimeError, ValueError, TypeError) as exc:
            if not front:
                raise SearchError(f"pyoperon failed: {exc}") from exc
            interrupted = True
        finally:
            # never keep pyoperon's individuals_: they cannot be pickled or deep-copied
            if hasattr(regressor, "individuals_"):
                del regressor.individuals_
        expressions = []
        for text in front:
            try:
                expressions.append(operon_string_to_sympy(text))
            except ExpressionError:
                continue
        return SearchResult(
            expressions,
            interrupted=interrupted,
            info={"slices": slices, "generations": generations_done,
                  "seconds": round(time.monotonic() - started, 3)},
        )
