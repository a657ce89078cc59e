"""Post-processing is deterministic: the same search gives the same laws in any process.

The bug this guards against: ``least_squares(method="lm")`` (SciPy 1.17's C MINPACK)
read memory it had not initialised, so refitting an over-parametrised law landed at
process-specific points of a flat valley (a Dask worker and a serial run disagreed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import sympy as sp

from lawfind.law import refit_constants
from lawfind.uncertainty import ParametrizedLaw

# An over-parametrised candidate (x1*(c*x0 + d*x2) next to a log term): its constants can
# trade off along a flat valley, so any state-dependence of the solver shows in the result.
_VALLEY = ("1.05 + 1.24*x2 - 0.75*(-2.4*x1 - 1.2*x2)*log(10.5*x0) - 0.46*x1*(-0.37*x0 - 0.6*x2)")


def _valley_problem() -> tuple[sp.Expr, np.ndarray, np.ndarray]:
    from lawfind.law import parse_expression

    rng = np.random.default_rng(0)
    X = rng.uniform(1.0, 3.0, (100, 3))
    y = 4.5 * (np.sqrt(X[:, 0]) * X[:, 1] + X[:, 2])
    return parse_expression(_VALLEY), X, y


def _leftovers():
    """Leave freed buffers of many sizes holding different values before each fit.

    That is what earlier work in a process leaves behind; a solver that reads memory it
    did not initialise then gives different constants for the same problem.
    """
    for sizes in ((3, 9, 12, 50, 100, 300, 1000), tuple(range(1, 400, 7)), tuple(range(2000, 1, -13))):
        for value in (0.0, 7.0, 1e300, -3.0, 1e-300):
            buffers = [np.full(size, value) for size in sizes]
            del buffers
            yield


def test_refit_does_not_depend_on_leftover_memory():
    expr, X, y = _valley_problem()
    results = set()
    for _ in _leftovers():
        results.add(sp.srepr(refit_constants(expr, X, y)))
    assert len(results) == 1


def test_uncertainty_refit_does_not_depend_on_leftover_memory():
    from lawfind.law import Law

    expr, X, y = _valley_problem()
    law = Law(expr, {"x0": "a", "x1": "b", "x2": "c"}, target="y")
    fitted = ParametrizedLaw(law)
    columns = np.array([X[:, int(symbol.name[1:])] for symbol in law.symbols])
    results = set()
    for _ in _leftovers():
        results.add(fitted.fit(columns, y).tobytes())
    assert len(results) == 1


_SCRIPT = r"""
import json, sys
import numpy as np
import sympy as sp
from lawfind import OperonEngine, discover, planted_dataset

def search(law, seed):
    frame = planted_dataset(law, {"a": (1, 3), "b": (1, 3), "c": (1, 3)}, n=60, seed=seed)
    engine = OperonEngine(generations=30, n_threads=1, population_size=200, max_length=25)
    return discover(frame, "y", engine=engine, seed=seed, time_limit=300)

if sys.argv[1] == "busy":  # a worker that ran another task first
    other = planted_dataset(lambda a, b, c: 2.0 * a * np.exp(-b / c), {"a": (1, 3), "b": (1, 3), "c": (1, 3)}, n=60)
    discover(other, "y", engine="sparse", time_limit=60)
run = search(lambda a, b, c: 4.5 * (np.sqrt(a) * b + c), 7)
print(json.dumps([[sp.srepr(law.expression), law.metrics["nrmse"]] for law in run.front]))
"""


def test_discover_gives_identical_fronts_in_two_processes():
    procs = []
    for history, hash_seed, blas in (("fresh", "0", "2"), ("busy", "4242", "1")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "OPENBLAS_NUM_THREADS": blas, "OMP_NUM_THREADS": blas}
        procs.append(subprocess.Popen([sys.executable, "-c", _SCRIPT, history], env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    fresh, busy = outputs
    assert fresh and fresh == busy
