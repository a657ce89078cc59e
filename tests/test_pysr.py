"""The pysr engine: lazy import, a clear error without Julia, and reading PySR's equation tables."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import sympy as sp

from lawfind.exceptions import ConfigError, DataError, ExpressionError, MissingDependencyError
from lawfind.law._parse import internal_symbol
from lawfind.search import _pysr
from lawfind.search._pysr import (PySREngine, pysr_equation_to_sympy, pysr_expressions, pysr_status,
                                  read_hall_of_fame)

x0, x1, x2 = (internal_symbol(i) for i in range(3))

#: Follows PySR's documented ``equations_`` columns (complexity, loss, equation, score, sympy_format).
EQUATIONS = pd.DataFrame({
    "complexity": [1, 3, 5, 7],
    "loss": [4.1, 0.9, 1e-14, 1e-14],
    "equation": ["2.0", "x0 * 1.5", "(x0 * x1) / square(x2)", "((x0 * x1) / (x2 ^ 2)) + 0.0"],
    "score": [0.0, 0.75, 15.4, 0.0],
    "sympy_format": [sp.Float(2.0), 1.5 * x0, x0 * x1 / x2**2, x0 * x1 / x2**2],
})
#: Follows the hall-of-fame CSV SymbolicRegression.jl writes (Complexity, Loss, Equation).
HALL_OF_FAME = """Complexity,Loss,Equation
1,4.1,"2.0"
3,0.9,"x₀ * 1.5f0"
5,1.0e-14,"(x₀ * x₁) / square(x₂)"
"""


def _no_julia(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_JULIAPKG_EXE", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("PYTHON_JULIAPKG_PROJECT", "/nonexistent-lawfind-test")


def test_import_lawfind_never_imports_pysr_or_juliacall():
    code = ("import lawfind, lawfind.search, lawfind.parallel, lawfind.search._pysr; import sys; "
            "from lawfind.search._pysr import pysr_status; pysr_status(); "
            "assert 'pysr' not in sys.modules and 'juliacall' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.parametrize(("text", "expected"), [
    ("x0 * 1.5", 1.5 * x0),
    ("(x0 * x1) / (x2 ^ 2)", x0 * x1 / x2**2),
    ("x₀ + x₁₀", x0 + internal_symbol(10)),
    ("2.5f0 * x0 + 1.0e-3", 2.5 * x0 + 1e-3),
    ("cube(x0) - neg(x1) + inv(x2)", x0**3 + x1 + 1 / x2),
    ("log10(x0)", sp.log(x0) / sp.log(10)),
    ("exp(-x0 / x1) * sqrt(abs(x2))", sp.exp(-x0 / x1) * sp.sqrt(sp.Abs(x2))),
    ("(x0 * 9.81[m s⁻²])", 9.81 * x0),
])
def test_equation_strings_translate(text, expected):
    assert sp.simplify(pysr_equation_to_sympy(text) - expected) == 0


def test_feature_names_map_to_internal_symbols():
    assert pysr_equation_to_sympy("(d ^ -0.5) * 600.0 + sigma0", ["d", "sigma0"]) == 600.0 * x0**-0.5 + x1


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "x0.real", "lambda: 1", "x0 +", "foo(x0)", "x9y"])
def test_unsafe_or_unknown_text_is_refused(text):
    with pytest.raises(ExpressionError):
        pysr_equation_to_sympy(text)


def test_equations_table_most_accurate_first_without_sympy_format():
    table = EQUATIONS.assign(sympy_format=[object()] * 4)  # never trusted
    exprs = pysr_expressions(table)
    assert len(exprs) == 4
    assert sp.simplify(exprs[0] - x0 * x1 / x2**2) == 0 and float(exprs[-1]) == 2.0


def test_hall_of_fame_csv(tmp_path):
    path = tmp_path / "hall_of_fame.csv"
    path.write_text(HALL_OF_FAME, encoding="utf-8")
    exprs = read_hall_of_fame(path)
    assert sp.simplify(exprs[0] - x0 * x1 / x2**2) == 0
    assert exprs[1] == 1.5 * x0


def test_table_without_equation_column_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="equation"):
        pysr_expressions(pd.DataFrame({"loss": [1.0]}))
    with pytest.raises(DataError, match="cannot read"):
        read_hall_of_fame(tmp_path / "missing.csv")


def test_missing_julia_is_one_fast_clear_error(monkeypatch):
    _no_julia(monkeypatch)
    available, reason = pysr_status()
    assert not available and "Julia" in reason and "PYTHON_JULIAPKG_EXE" in reason
    started = time.monotonic()
    with pytest.raises(MissingDependencyError, match="needs Julia"):
        PySREngine().search(np.ones((5, 2)), np.ones(5), time_limit=1, seed=0, progress=lambda f, m: None)
    assert time.monotonic() - started < 1.0
    assert "juliacall" not in sys.modules


def test_bad_juliapkg_exe_is_named(monkeypatch):
    monkeypatch.setenv("PYTHON_JULIAPKG_EXE", "/nonexistent/julia")
    available, reason = pysr_status()
    assert not available and "/nonexistent/julia" in reason


def test_missing_pysr_package_is_named(monkeypatch):
    monkeypatch.setattr(_pysr.importlib.util, "find_spec", lambda name: None)
    assert pysr_status() == (False, "the pysr engine needs the Python package pysr: pip install 'lawfind[pysr]'")


@pytest.mark.parametrize(("options", "match"), [
    ({"binary_operators": ("+", "mod")}, "binary operator"),
    ({"unary_operators": ("relu",)}, "unary operator"),
    ({"binary_operators": ()}, "empty"),
    ({"maxsize": 2}, "maxsize"),
    ({"deterministic": "yes"}, "deterministic"),
    ({"X_units": (1, 2)}, "X_units"),
])
def test_bad_options(options, match):
    with pytest.raises(ConfigError, match=match):
        PySREngine(**options).validate()


def test_options_map_to_pysr():
    opts = PySREngine(deterministic=True, maxsize=20).regressor_options(time_limit=7, seed=3, output_directory="d")
    assert opts["timeout_in_seconds"] == 7.0 and opts["random_state"] == 3 and opts["maxsize"] == 20
    assert opts["deterministic"] is True and opts["parallelism"] == "serial"
    assert PySREngine().regressor_options(time_limit=1, seed=0, output_directory="d")["parallelism"] == "multithreading"


class _FakeRegressor:
    """Stands in for PySRRegressor: records its arguments and exposes an ``equations_`` table."""

    seen: dict = {}

    def __init__(self, **kwargs):
        _FakeRegressor.seen = {"init": kwargs}

    def fit(self, X, y, **units):
        _FakeRegressor.seen["units"] = units
        self.equations_ = EQUATIONS


def test_search_reads_the_equation_table(monkeypatch):
    monkeypatch.setattr(_pysr, "_import_pysr", lambda: _FakeRegressor)
    engine = PySREngine(X_units=("m", "s", "kg"), y_units="N", max_candidates=2)
    result = engine.search(np.ones((5, 3)), np.ones(5), time_limit=4, seed=1, progress=lambda f, m: None)
    assert len(result.expressions) == 2 and not result.interrupted
    assert _FakeRegressor.seen["units"] == {"X_units": ["m", "s", "kg"], "y_units": "N"}
    assert _FakeRegressor.seen["init"]["timeout_in_seconds"] == 4.0
    with pytest.raises(ConfigError, match="X_units has 3 units"):
        engine.search(np.ones((5, 2)), np.ones(5), time_limit=4, seed=1, progress=lambda f, m: None)


@pytest.mark.skipif(not pysr_status()[0], reason=f"PySR cannot run here: {pysr_status()[1]}")
def test_live_pysr_finds_a_product():
    from lawfind import discover, planted_dataset

    frame = planted_dataset(lambda a, b: 2 * a * b, {"a": (1, 2), "b": (1, 2)}, n=50)
    run = discover(frame, "y", engine=PySREngine(deterministic=True, niterations=20, populations=4), time_limit=60)
    assert run.best.error < 1e-6
