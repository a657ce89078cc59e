"""lawfind's overhead over raw pyoperon at an equal number of generations (a ratio of wall times).

Usage::

    python benchmarks/feynman_overhead.py [--names I.12.2,I.34.8,II.6.15a] [--generations 200] [--seed 0] [--repeats 3]

For each equation (1,000 noise-free training samples, as in ``lawfind bench feynman``) three runs
with the same operators, objectives (R², length), maximum length, population and one thread:

* ``raw``: ``pyoperon.sklearn.SymbolicRegressor(generations=G)`` in one ``fit``;
* ``search``: lawfind's ``OperonEngine(generations=G)`` search alone (one-second slices,
  warm starts, the archive of fronts, float64 refits of near-exact models);
* ``discover``: ``lawfind.discover`` with that engine (search + simplification, constant
  snapping and refits of the candidates, the Pareto front and the pick).

Early stopping and restarts are switched off so both do exactly G generations.  Printed: the
seconds (median of ``--repeats`` timings) and the ratios ``search / raw`` and ``discover / raw``
per equation and their median.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import time

import numpy as np

from lawfind import discover
from lawfind.bench import generate_data, read_equations, select_equations
from lawfind.bench._equations import default_equations_path
from lawfind.search import OperonEngine


def _raw_seconds(engine: OperonEngine, X: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, int]:
    from pyoperon.sklearn import SymbolicRegressor

    regressor = SymbolicRegressor(
        allowed_symbols=",".join(engine.operators) + ",constant,variable", objectives=["r2", "length"],
        max_length=engine.max_length, population_size=engine.population_size, n_threads=1,
        generations=engine.generations, max_evaluations=10**12, random_state=seed,
    )
    started = time.perf_counter()
    regressor.fit(X, y)
    seconds = time.perf_counter() - started
    return seconds, int(regressor.stats_["generations"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--equations", default=None)
    parser.add_argument("--names", default="I.12.2,I.34.8,II.6.15a")
    parser.add_argument("--generations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=1, help="median of this many timings of each run")
    args = parser.parse_args(argv)
    equations = select_equations(read_equations(args.equations or default_equations_path()),
                                 names=args.names.split(","))
    engine = OperonEngine(generations=args.generations, n_threads=1, stop_nrmse=0.0, restart_patience=10**6)
    print(f"{'equation':10s} {'raw s':>7s} {'search s':>9s} {'discover s':>11s} {'search/raw':>11s} "
          f"{'discover/raw':>13s}  generations (raw, lawfind)")
    search_ratios, discover_ratios = [], []
    for equation in equations:
        data = generate_data(equation, n_train=1000, n_test=10, seed=args.seed)
        X, y = np.ascontiguousarray(data.X_train), np.array(data.y_train)
        raws, searches, fulls = [], [], []
        for _ in range(args.repeats):
            raw, raw_generations = _raw_seconds(engine, X, y, args.seed)
            started = time.perf_counter()
            result = engine.search(X, y, time_limit=1e6, seed=args.seed, progress=lambda f, m: None)
            searches.append(time.perf_counter() - started)
            started = time.perf_counter()
            discover(data.frame("target"), "target", equation.names, engine=engine, time_limit=1e6, seed=args.seed)
            fulls.append(time.perf_counter() - started)
            raws.append(raw)
        raw, search, full = (statistics.median(v) for v in (raws, searches, fulls))
        search_ratios.append(search / raw)
        discover_ratios.append(full / raw)
        print(f"{equation.name:10s} {raw:7.2f} {search:9.2f} {full:11.2f} {search / raw:11.2f} {full / raw:13.2f}"
              f"  {raw_generations}, {result.info['generations']}", flush=True)
    print(f"median ratio: search/raw {statistics.median(search_ratios):.2f}, "
          f"discover/raw {statistics.median(discover_ratios):.2f}")
    print("$ python benchmarks/feynman_overhead.py " + shlex.join(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
