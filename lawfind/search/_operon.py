"""The ``operon`` engine: genetic-programming symbolic regression with pyoperon.

How lawfind drives pyoperon (see ``docs/engines.md`` for the reasons):

* a two-objective search (R², length); lawfind reads pyoperon's whole Pareto front and
  picks with its own rule, never pyoperon's MDL pick (it assumes noise σ=1);
* the search runs in slices of about one second (``warm_start``), so a progress bar
  moves, Ctrl-C stops between slices and keeps the best-so-far front, and the time
  limit binds (pyoperon's own ``max_time`` only binds with huge generation counts);
* when a population stagnates (no 1 % gain in ``restart_patience`` slices) a fresh one
  starts with a new seed; the fronts of all populations are archived and the
  non-dominated models of the archive go on to post-processing;
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
from lawfind.law import nrmse, parse_expression, refit_constants
from lawfind.law._refit import evaluate
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
_REFINE_BELOW = 1e-2


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


def _non_dominated(archive: dict[str, tuple[int, float]], limit: int) -> list[str]:
    """Model strings not dominated in (length, mse), most accurate first, at most ``limit``."""
    ordered = sorted(archive.items(), key=lambda item: (item[1][0], item[1][1]))
    kept: list[tuple[str, float]] = []
    for text, (_, mse) in ordered:
        if not kept or mse < kept[-1][1]:
            kept.append((text, mse))
    kept.sort(key=lambda item: item[1])
    return [text for text, _ in kept[:limit]]


def _refined_nrmse(text: str, X: np.ndarray, y: np.ndarray) -> float:
    """NRMSE of a model string after refitting its constants in float64."""
    try:
        expr = refit_constants(operon_string_to_sympy(text), X, y, max_nfev=50)
    except ExpressionError:
        return float("inf")
    symbols = sorted(expr.free_symbols, key=lambda s: int(s.name[1:]))
    columns = np.array([X[:, int(s.name[1:])] for s in symbols]).reshape(len(symbols), len(y))
    return nrmse(y, evaluate(expr, symbols, columns)) if symbols else float("inf")


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
    restart_patience : int, default=6
        Restart from a fresh population (new seed) after this many one-second slices
        without a 1 % improvement; the fronts of all populations are kept.
    max_candidates : int, default=40
        At most this many models (non-dominated in length and error over all
        populations, most accurate first) go on to post-processing.
    """

    name: ClassVar[str] = "operon"

    operators: tuple[str, ...] = _DEFAULT_OPERATORS
    max_length: int = 30
    population_size: int = 1000
    n_threads: int | None = None
    generations: int | None = None
    stop_nrmse: float = 1e-6
    patience: int = 3
    restart_patience: int = 6
    max_candidates: int = 40

    def validate(self) -> None:
        unknown = [op for op in self.operators if op not in OPERON_OPERATORS]
        if unknown:
            raise ConfigError(f"unknown operon operator(s) {unknown}; choose from {list(OPERON_OPERATORS)}")
        if not self.operators:
            raise ConfigError("operators is empty; give at least one, e.g. ('add', 'mul')")
        for name, value, low in (("max_length", self.max_length, 3), ("population_size", self.population_size, 10),
                                 ("patience", self.patience, 1), ("restart_patience", self.restart_patience, 1),
                                 ("max_candidates", self.max_candidates, 1)):
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
        generations_per_slice = 100 if self.generations is not None else 10**9
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
        archive: dict[str, tuple[int, float]] = {}  # model string -> (length, mse), all restarts
        best_nrmse = float("inf")
        epoch_best = float("inf")
        generations_done = slices = restarts = exact_slices = stale_slices = 0
        interrupted = False
        try:
            while True:
                remaining = time_limit - (time.monotonic() - started)
                if remaining <= 0.05:
                    break
                if self.generations is not None and generations_done >= self.generations:
                    break
                if stale_slices >= self.restart_patience:
                    # the population has stagnated: start afresh, keeping its front in the archive
                    from sklearn.base import clone

                    regressor = clone(regressor)
                    restarts += 1
                    stale_slices = 0
                    epoch_best = float("inf")
                regressor.set_params(max_time=max(1, int(min(1.0, remaining) + 0.5)), random_state=seed + slices)
                if self.generations is not None:
                    # a generation budget is deterministic: slices end on generations, never on the clock
                    regressor.set_params(generations=min(generations_per_slice, self.generations - generations_done),
                                         max_time=max(1, int(remaining) + 1))
                regressor.fit(X, y)
                slices += 1
                generations_done += int(regressor.stats_.get("generations", 0))
                for p in regressor.pareto_front_:
                    archive[regressor.get_model_string(p["tree"], 17)] = (int(p["length"]), float(p["mean_squared_error"]))
                best = min(regressor.pareto_front_, key=lambda p: p["mean_squared_error"])
                slice_nrmse = float(np.sqrt(best["mean_squared_error"] / variance))
                if self.stop_nrmse < slice_nrmse <= _REFINE_BELOW:
                    # pyoperon fits float32 constants: judge exactness after a float64 refit
                    slice_nrmse = min(slice_nrmse, _refined_nrmse(regressor.get_model_string(best["tree"], 17), X, y))
                best_nrmse = min(best_nrmse, slice_nrmse)
                stale_slices = 0 if slice_nrmse < 0.99 * epoch_best else stale_slices + 1
                epoch_best = min(epoch_best, slice_nrmse)
                exact_slices = exact_slices + 1 if best_nrmse <= self.stop_nrmse else 0
                fraction = (time.monotonic() - started) / time_limit
                if self.generations is not None:
                    fraction = max(fraction, generations_done / self.generations)
                progress(min(fraction, 1.0), f"best NRMSE {best_nrmse:.2e} · {restarts} restart(s)")
                if exact_slices > self.patience:
                    break
        except KeyboardInterrupt:
            interrupted = True
        except (RuntimeError, ValueError, TypeError) as exc:
            if not archive:
                raise SearchError(f"pyoperon failed: {exc}") from exc
            interrupted = True
        finally:
            # never keep pyoperon's individuals_: they cannot be pickled or deep-copied
            if hasattr(regressor, "individuals_"):
                del regressor.individuals_
        expressions = []
        for text in _non_dominated(archive, self.max_candidates):
            try:
                expressions.append(operon_string_to_sympy(text))
            except ExpressionError:
                continue
        return SearchResult(
            expressions,
            interrupted=interrupted,
            info={"slices": slices, "generations": generations_done, "restarts": restarts,
                  "best_nrmse": best_nrmse, "candidates": len(expressions),
                  "seconds": round(time.monotonic() - started, 3)},
        )
