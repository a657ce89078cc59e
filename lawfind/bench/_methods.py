"""The compared methods: lawfind, raw pyoperon (default settings) and gplearn.

Each method fits the training samples of one equation within a time limit and returns
its model as SymPy over the equation's variable names, plus its own predictions on
the test inputs (the test R² is computed from those, as in SRBench).
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np
import sympy as sp

from lawfind._progress import ProgressCallback, no_progress
from lawfind.bench._data import BenchData
from lawfind.bench._equations import Equation
from lawfind.exceptions import ConfigError, MissingDependencyError

__all__ = ["METHODS", "MethodOutput", "run_method", "default_engine", "check_methods",
           "GPLEARN_SETTINGS", "gplearn_to_sympy"]

#: Method names, in the order a benchmark runs them.
METHODS = ("lawfind", "operon-raw", "gplearn")

#: gplearn's configuration in SRBench (``experiment/methods/gplearn/regressor.py``);
#: the generations are a ceiling, the time limit usually stops the run first.
GPLEARN_SETTINGS: dict[str, Any] = {
    "population_size": 1000,
    "tournament_size": 20,
    "init_depth": (2, 6),
    "init_method": "half and half",
    "metric": "mean absolute error",
    "parsimony_coefficient": 0.001,
    "p_crossover": 0.9,
    "p_subtree_mutation": 0.01,
    "p_hoist_mutation": 0.01,
    "p_point_mutation": 0.01,
    "p_point_replace": 0.05,
    "max_samples": 1.0,
    "function_set": ("add", "sub", "mul", "div", "log", "sqrt", "sin", "cos"),
}
GPLEARN_MAX_GENERATIONS = 500


@dataclass
class MethodOutput:
    """What one method produced on one equation.

    Attributes
    ----------
    expression : sympy.Expr or None
        The model over symbols named as the equation's variables (None on failure).
    predictions : ndarray or None
        The method's own predictions on the test inputs.
    seconds : float
        Wall time of the fit, post-processing included.
    engine : str
        The lawfind engine, or the library and version of a comparison method.
    error : str
        ``"ExceptionType: message"`` when the method failed, else ``""``.
    info : dict
        Facts for the record (generations, ...).
    """

    expression: sp.Expr | None
    predictions: np.ndarray | None
    seconds: float
    engine: str
    error: str = ""
    info: dict[str, Any] = field(default_factory=dict)


def default_engine() -> str:
    """The engine ``lawfind discover`` uses for regression when none is named (its ``engine="auto"``)."""
    from lawfind._discover import AUTO_ENGINES

    return AUTO_ENGINES["regression"]


def check_methods(methods: Any, engine: str | None) -> tuple[tuple[str, ...], str]:
    """Validate method names and the lawfind engine; return them (engine resolved to the default)."""
    from lawfind.search import ENGINES, engine_names

    if isinstance(methods, str):
        methods = [m.strip() for m in methods.split(",")]
    methods = tuple(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise ConfigError(f"unknown method(s) {unknown or methods}; choose from {list(METHODS)} (comma-separated)")
    if len(set(methods)) != len(methods):
        raise ConfigError(f"a method is listed twice: {list(methods)}")
    engine = default_engine() if engine is None else engine
    if not isinstance(engine, str) or engine not in ENGINES:
        close = difflib.get_close_matches(str(engine), list(ENGINES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"unknown engine {engine!r}{hint} Available engines: {engine_names()} (--engine)")
    if "gplearn" in methods:
        _import_gplearn()
    return methods, engine


def _version(package: str) -> str:
    try:
        return f"{package} {metadata.version(package)}"
    except metadata.PackageNotFoundError:  # pragma: no cover
        return package


def _import_gplearn():
    try:
        from gplearn.genetic import SymbolicRegressor
    except ImportError as exc:
        raise MissingDependencyError(f"the gplearn method needs gplearn ({exc}); install it with: "
                                     f"pip install 'lawfind[bench]', or leave gplearn out of --methods") from None
    return SymbolicRegressor


def run_method(method: str, equation: Equation, data: BenchData, *, engine: str, time_limit: float, seed: int,
               progress: ProgressCallback = no_progress) -> MethodOutput:
    """Fit ``method`` on ``data``'s training part; errors are recorded, not raised.

    ``KeyboardInterrupt`` propagates (lawfind engines catch Ctrl-C themselves and return
    their best-so-far front: the benchmark runner watches SIGINT to notice it).
    """
    runner = {"lawfind": _run_lawfind, "operon-raw": _run_operon_raw, "gplearn": _run_gplearn}.get(method)
    if runner is None:
        raise ConfigError(f"unknown method {method!r}; choose from {list(METHODS)}")
    label = engine if method == "lawfind" else _version("pyoperon" if method == "operon-raw" else "gplearn")
    started = time.monotonic()
    try:
        expression, predictions, info = runner(equation, data, engine=engine, time_limit=time_limit, seed=seed,
                                               progress=progress)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a failed fit is a benchmark result, not a crash
        message = " ".join(str(exc).split())[:300]
        return MethodOutput(None, None, time.monotonic() - started, label, f"{type(exc).__name__}: {message}")
    return MethodOutput(expression, predictions, time.monotonic() - started, label, info=info)


def _target_name(equation: Equation) -> str:
    target = equation.output
    while target in equation.names:
        target += "_"
    return target


def _run_lawfind(equation: Equation, data: BenchData, *, engine: str, time_limit: float, seed: int,
                 progress: ProgressCallback) -> tuple[sp.Expr, np.ndarray, dict[str, Any]]:
    from lawfind._discover import discover

    target = _target_name(equation)
    run = discover(data.frame(target), target, equation.names, engine=engine, time_limit=time_limit, seed=seed,
                   progress=progress)
    law = run.best
    expression = law.sympy().xreplace({s: sp.Symbol(s.name) for s in law.sympy().free_symbols})
    return expression, law.predict(data.frame(target, "test")), {"status": run.status}


def _run_operon_raw(equation: Equation, data: BenchData, *, engine: str, time_limit: float, seed: int,  # noqa: ARG001
                    progress: ProgressCallback) -> tuple[sp.Expr, np.ndarray, dict[str, Any]]:
    from pyoperon.sklearn import SymbolicRegressor

    from lawfind.search._operon import operon_string_to_sympy

    X = np.ascontiguousarray(data.X_train, dtype=float)
    y = np.array(data.y_train, dtype=float, copy=True)
    # default settings; only the time limit (whole seconds, pyoperon's unit) and the seed are set
    regressor = SymbolicRegressor(max_time=max(1, int(round(time_limit))), random_state=seed)
    progress(0.0, "pyoperon (default settings)")
    regressor.fit(X, y)
    text = regressor.get_model_string(regressor.model_, 12)
    predictions = np.asarray(regressor.predict(np.ascontiguousarray(data.X_test, dtype=float)), dtype=float)
    stats = dict(regressor.stats_)
    del regressor.individuals_  # pyoperon individuals cannot be pickled (process executors)
    expression = operon_string_to_sympy(text)
    mapping = {s: sp.Symbol(equation.names[int(s.name[1:])]) for s in expression.free_symbols}
    return expression.xreplace(mapping), predictions.ravel(), {"generations": int(stats.get("generations", 0))}


def gplearn_to_sympy(program: list[Any], names: list[str]) -> sp.Expr:
    """A gplearn program (prefix list of functions, feature indices and floats) as SymPy.

    The protected operators are read as SRBench reads them: ``div`` as ``/``, ``sqrt``
    and ``log`` plain (of ``|c|`` for a negative constant argument ``c``).

    Examples
    --------
    >>> from gplearn.functions import add2, mul2
    >>> gplearn_to_sympy([add2, mul2, 0, 1, 0.5], ["a", "b"])
    a*b + 0.5
    """
    unary = {"sqrt": lambda a: sp.sqrt(abs(a) if a.is_number else a),
             "log": lambda a: sp.log(abs(a) if a.is_number else a),
             "neg": lambda a: -a, "inv": lambda a: 1 / a, "abs": sp.Abs, "sin": sp.sin, "cos": sp.cos,
             "tan": sp.tan}
    binary = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
              "div": lambda a, b: a / b, "max": sp.Max, "min": sp.Min}
    position = 0

    def build() -> sp.Expr:
        nonlocal position
        node = program[position]
        position += 1
        if isinstance(node, (int, np.integer)) and not isinstance(node, bool):
            return sp.Symbol(names[int(node)])
        if isinstance(node, (float, np.floating)):
            return sp.Float(float(node))
        name = getattr(node, "name", None)
        if name in unary:
            return unary[name](build())
        if name in binary:
            left = build()
            return binary[name](left, build())
        raise ConfigError(f"gplearn function {name!r} has no SymPy translation")

    return build()


def _run_gplearn(equation: Equation, data: BenchData, *, engine: str, time_limit: float, seed: int,  # noqa: ARG001
                 progress: ProgressCallback) -> tuple[sp.Expr, np.ndarray, dict[str, Any]]:
    regressor_class = _import_gplearn()
    regressor = regressor_class(**GPLEARN_SETTINGS, generations=1, random_state=seed, warm_start=True,
                                low_memory=True, n_jobs=1)
    started = time.monotonic()
    generations = 0
    last = 0.0
    # one generation per fit (warm start): stop before the generation that would pass the limit
    while generations < GPLEARN_MAX_GENERATIONS:
        elapsed = time.monotonic() - started
        if generations and elapsed + last > time_limit:
            break
        generations += 1
        regressor.set_params(generations=generations)
        tick = time.monotonic()
        regressor.fit(data.X_train, data.y_train)
        last = time.monotonic() - tick
        progress(min(1.0, (time.monotonic() - started) / time_limit), f"gplearn generation {generations}")
        if regressor.run_details_["best_fitness"][-1] <= GPLEARN_SETTINGS.get("stopping_criteria", 0.0):
            break
    expression = gplearn_to_sympy(regressor._program.program, equation.names)
    predictions = np.asarray(regressor.predict(data.X_test), dtype=float)
    return expression, predictions, {"generations": generations}
