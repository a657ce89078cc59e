"""The default engine recovers the exact form of planted laws.

Exactness is checked where it matters: predictions on inputs far outside the
training range (1..5 in training, 6..20 here) must match the true law to 1e-6.

The search is given a *generation* budget on one thread, which makes it deterministic
(the same law on any machine, however loaded); the wall-clock claim "each within 30 s
on 2 cores" is measured by ``benchmarks/planted_laws.py`` (docs/benchmarks.md).  The
searches stop early once the law is exact (400-1500 generations here).
"""

from __future__ import annotations

import numpy as np
import pytest

from lawfind import OperonEngine, discover, planted_dataset

PLANTED = {
    "product_quotient": (lambda x0, x1, x2: 3.2 * x0 * x1 / x2**2, 3),
    "linear": (lambda x0, x1: 1.5 + 2 * x0 - 0.7 * x1, 2),
    "exponential_decay": (lambda x0, x1, x2: x0 * np.exp(-x1 / x2), 3),
    "hypotenuse": (lambda x0, x1: np.sqrt(x0**2 + x1**2), 2),
}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_operon_recovers_planted_law_exactly(name):
    function, n_inputs = PLANTED[name]
    columns = [f"x{i}" for i in range(n_inputs)]
    frame = planted_dataset(function, {c: (1.0, 5.0) for c in columns}, n=200, seed=0)
    engine = OperonEngine(generations=3000, n_threads=1)
    run = discover(frame, "y", engine=engine, time_limit=600, seed=0)
    far = {c: np.random.default_rng(1).uniform(6.0, 20.0, 500) for c in columns}
    truth = function(**far)
    prediction = run.best.predict(far)
    relative_error = np.max(np.abs(prediction - truth) / np.abs(truth))
    assert relative_error <= 1e-6, f"{name}: found {run.best.equation()} (max rel. error {relative_error:.2e})"
