"""Exact recovery of planted laws by an engine, over several seeds.

Usage::

    python benchmarks/planted_laws.py [--engine operon] [--seeds 0 1 2 3] [--time-limit 30]

A law counts as recovered when its predictions on inputs far outside the training
range (training 1..5, check 6..20) match the true law to a relative 1e-6.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lawfind import discover, planted_dataset

PLANTED = {
    "3.2*x0*x1/x2**2": (lambda x0, x1, x2: 3.2 * x0 * x1 / x2**2, 3),
    "1.5 + 2*x0 - 0.7*x1": (lambda x0, x1: 1.5 + 2 * x0 - 0.7 * x1, 2),
    "x0*exp(-x1/x2)": (lambda x0, x1, x2: x0 * np.exp(-x1 / x2), 3),
    "sqrt(x0**2 + x1**2)": (lambda x0, x1: np.sqrt(x0**2 + x1**2), 2),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="operon")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    solved = total = 0
    print(f"{'law':24s} {'seed':>4s} {'ok':>3s} {'seconds':>8s}  found")
    for name, (function, n_inputs) in PLANTED.items():
        columns = [f"x{i}" for i in range(n_inputs)]
        for seed in args.seeds:
            frame = planted_dataset(function, {c: (1.0, 5.0) for c in columns}, n=200, seed=seed)
            started = time.monotonic()
            run = discover(frame, "y", engine=args.engine, time_limit=args.time_limit, seed=seed)
            seconds = time.monotonic() - started
            far = {c: np.random.default_rng(100 + seed).uniform(6.0, 20.0, 500) for c in columns}
            truth = function(**far)
            error = np.max(np.abs(run.best.predict(far) - truth) / np.abs(truth))
            ok = bool(error <= 1e-6)
            solved += ok
            total += 1
            print(f"{name:24s} {seed:4d} {'yes' if ok else 'no':>3s} {seconds:8.1f}  {run.best.equation(6)}", flush=True)
    print(f"solved {solved}/{total} (engine {args.engine}, time limit {args.time_limit:g} s, seeds {args.seeds})")


if __name__ == "__main__":
    main()
