"""Benchmark: the ``sisso`` engine on the 82 octet binaries (Ghiringhelli et al. 2015).

Target: E(rocksalt) - E(zincblende) per atom (eV); primary features: IP, EA, HOMO, LUMO,
r_s, r_p, r_d of atoms A and B (14 columns), with their units.  Prints the training RMSE
of the best 1D/2D/3D descriptors against the published values (0.137/0.100/0.076 eV,
found in a space of 3,391 candidate features), the seconds per search and the speed of
the ℓ0 step (subsets evaluated per second), then what larger spaces give.

Run (about 2 minutes on 2 cores; ``--quick`` runs the main setting only)::

    LAWFIND_DATA_DIR=/work/shared/data .venv/bin/python benchmarks/sisso_octet.py
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from typing import Any

from lawfind import datasets
from lawfind.search.sisso import SissoEngine

PUBLISHED = {1: 0.137, 2: 0.100, 3: 0.076}
TIME_LIMIT = 60.0


def run(engine: SissoEngine, X: Any, y: Any) -> tuple[dict[str, Any], float]:
    """Search once; return the info and the wall-clock seconds."""
    started = time.perf_counter()
    result = engine.search(X, y, time_limit=TIME_LIMIT, seed=0, progress=lambda fraction, message: None)
    return result.info, time.perf_counter() - started


def best_models(info: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The best model of each dimension."""
    out: dict[int, dict[str, Any]] = {}
    for model in info["models"]:
        out.setdefault(model["dimension"], model)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run the main setting only")
    args = parser.parse_args()

    data = datasets.load_dataset("octet_binaries")
    X, y = data.X, data.y
    names = dict(data.variables)
    units = tuple(data.units[f] for f in data.features)
    base = SissoEngine(rung=2, max_dimension=3, sis_size=100, n_residuals=10, n_models=10, feature_units=units,
                       target_unit=data.units[data.target], n_threads=2)
    settings = [("main: rung 2, units, SIS 100, 10 residuals", base)]
    if not args.quick:
        settings += [
            ("larger SIS: sis_size 300", replace(base, sis_size=300)),
            ("no unit checks (dimensionally invalid sums allowed)",
             replace(base, feature_units=None)),
            ("rung 3, max_complexity 4", replace(base, rung=3, max_complexity=4)),
        ]

    print(f"octet binaries: {len(y)} compounds, {X.shape[1]} primary features; time limit {TIME_LIMIT:.0f} s per "
          f"search, {base.n_threads} threads")
    print(f"published (3,391 features): 1D {PUBLISHED[1]:.3f}  2D {PUBLISHED[2]:.3f}  3D {PUBLISHED[3]:.3f} eV\n")
    header = f"{'setting':52s} {'space':>11s} {'1D':>7s} {'2D':>7s} {'3D':>7s} {'seconds':>8s} {'ℓ0 3D subsets/s':>17s}"
    print(header)
    print("-" * len(header))
    first_info: dict[str, Any] | None = None
    for label, engine in settings:
        info, seconds = run(engine, X, y)
        first_info = first_info or info
        models = best_models(info)
        rmse = [models[d]["rmse"] if d in models else float("nan") for d in (1, 2, 3)]
        l0 = {entry["dimension"]: entry for entry in info["l0"]}
        rate = l0[3]["subsets_per_second"] if 3 in l0 else float("nan")
        flag = " (time limit reached)" if info["time_limit_reached"] else ""
        print(f"{label:52s} {info['feature_space']['screened_space']:>11,d} "
              + " ".join(f"{r:7.4f}" for r in rmse) + f" {seconds:8.1f} {rate:>17,.0f}{flag}")
        if label.startswith("main"):
            ok = all(r <= PUBLISHED[d] for d, r in zip((1, 2, 3), rmse))
            print(f"{'':52s} {'':>11s} " + " ".join(("   pass" if r <= PUBLISHED[d] else "   FAIL")
                                                    for d, r in zip((1, 2, 3), rmse))
                  + f"   {'all within the published RMSE' if ok else 'NOT within the published RMSE'}")

    assert first_info is not None
    print("\nmain setting, best model per dimension (x_i -> column names; units per descriptor):")
    for dimension, model in sorted(best_models(first_info).items()):
        print(f"  {dimension}D  RMSE {model['rmse']:.4f} eV  intercept {model['intercept']:+.4f} eV")
        for descriptor in model["descriptors"]:
            text = descriptor["expression"]
            for internal, column in sorted(names.items(), key=lambda kv: -len(kv[0])):
                text = text.replace(internal, column)
            print(f"      {descriptor['coefficient']:+.5g} [{descriptor['coefficient_unit']}] x {text}   "
                  f"[{descriptor['unit']}]")
    print("\nℓ0 step of the main setting:")
    for entry in first_info["l0"]:
        print(f"  {entry['dimension']}D: {entry['subsets']:,} subsets of {entry['union_size']} screened features in "
              f"{entry['seconds']:.2f} s = {entry['subsets_per_second']:,.0f} subsets/s")


if __name__ == "__main__":
    main()
