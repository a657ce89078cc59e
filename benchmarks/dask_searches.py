"""Benchmark: 8 independent deterministic searches, serially and on a 2-worker Dask LocalCluster.

Run from the project root::

    .venv/bin/python benchmarks/dask_searches.py            # 8 searches, 2 workers
    .venv/bin/python benchmarks/dask_searches.py --quick    # 4 short searches (smoke test)

Every search is ``OperonEngine(generations=G, n_threads=1)`` (a generation budget, so the
laws do not depend on the machine's load) on its own planted-law table and seed.  The
script checks that Dask returns exactly the serial laws and prints the times:

* ``serial``: the 8 searches one after another in this process;
* ``cluster start``: starting the LocalCluster and importing lawfind on its workers
  (paid once per cluster);
* ``dask``: the 8 searches on the warm cluster; ``speed-up = serial / dask``.

The target is a speed-up of at least 1.8 with 2 workers, on an otherwise idle 2-core
machine; other jobs on the machine lower it (``os.getloadavg()`` is printed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from lawfind import OperonEngine, planted_dataset
from lawfind.parallel import DaskExecutor, SearchTask, SerialExecutor, discover_many


def _law(a: np.ndarray, b: np.ndarray, c: np.ndarray, k: int) -> np.ndarray:
    forms = (a * b / c, a + b * c, a * np.exp(-b / c), np.sqrt(a) * b + c)
    return (1.0 + 0.5 * k) * forms[k % len(forms)]


def make_tasks(n: int, generations: int) -> list[SearchTask]:
    """``n`` searches: planted law ``k`` on its own table, seed ``k``."""
    tasks = []
    for k in range(n):
        frame = planted_dataset(lambda a, b, c, k=k: _law(a, b, c, k), {"a": (1, 3), "b": (1, 3), "c": (1, 3)},
                                n=200, seed=k)
        engine = OperonEngine(generations=generations, n_threads=1, population_size=500, max_length=25)
        tasks.append(SearchTask(frame, "y", engine=engine, time_limit=600.0, seed=k, label=f"law {k}"))
    return tasks


def _warm_up(_: int) -> int:
    import lawfind.search._operon  # noqa: F401  (pyoperon and SymPy load on first use)

    return os.getpid()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 if Dask's laws differ from the serial ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generations", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="4 searches of 30 generations")
    args = parser.parse_args(argv)
    n, generations = (4, 30) if args.quick else (args.searches, args.generations)
    tasks = make_tasks(n, generations)
    print(f"{n} searches, {generations} generations each, {args.workers} workers; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at {time.strftime('%Y-%m-%d %H:%M:%S')}")

    t0 = time.perf_counter()
    serial = discover_many(tasks, executor=SerialExecutor())
    t_serial = time.perf_counter() - t0

    t0 = time.perf_counter()
    with DaskExecutor(local_workers=args.workers) as executor:
        executor.map(_warm_up, list(range(args.workers)))
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        distributed = discover_many(tasks, executor=executor)
        t_dask = time.perf_counter() - t0

    same = [[law.equation() for law in a.front] == [law.equation() for law in b.front]
            for a, b in zip(serial, distributed)]
    for task, run, ok in zip(tasks, serial, same):
        print(f"  {task.label}: {run.best.equation(6)}  {'identical' if ok else 'DIFFERENT'}")
    print(f"serial {t_serial:.2f} s | cluster start {t_start:.2f} s | dask {t_dask:.2f} s | "
          f"speed-up {t_serial / t_dask:.2f}x (with cluster start {t_serial / (t_dask + t_start):.2f}x) | "
          f"identical laws: {all(same)} | load average now {os.getloadavg()[0]:.2f}")
    return 0 if all(same) else 1


if __name__ == "__main__":
    sys.exit(main())
