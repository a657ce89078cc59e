"""How much the nested MAE of the steel_composition law search depends on the outer folds.

Usage::

    LAWFIND_DATA_DIR=/path/to/mirror python benchmarks/steel_composition_folds.py [--seeds 18012019 0 1 2 3 4]

For each seed of the outer ``KFold(5, shuffle=True)`` (Matbench's own seed is 18012019),
the law search of the ``steel_composition`` case study (sparse engine, ≤ 10 terms, the
4,143-term library of ``lawfind.casestudies.LIBRARY``) is rerun inside every outer
training fold for each (inputs, method) variant of the study — wt% or at% contents,
forward stepwise, its beam version (10 supports per size) or OMP — and the random forest is fit on the same folds to each input.  Prints one
row per seed and the mean over seeds: the spread shows how far one set of five folds
is from the expected error of the procedure.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sklearn.model_selection import KFold

from lawfind.baselines import nested_cross_validate
from lawfind.casestudies._steel_composition import LIBRARY, MATBENCH_SEED, MAX_TERMS, VARIANTS, atomic_percent_dataset
from lawfind.datasets import load_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[MATBENCH_SEED, 0, 1, 2, 3, 4])
    args = parser.parse_args()
    weight = load_dataset("steel_strength")
    inputs = {"at%": atomic_percent_dataset(weight), "wt%": weight}
    columns = [f"{unit} {method}" for unit, method in VARIANTS] + [f"random forest ({unit})" for unit in inputs]
    print(f"{'outer-fold seed':>16} " + " ".join(f"{c:>20}" for c in columns) + "   (nested MAE, MPa)")
    results: dict[str, list[float]] = {c: [] for c in columns}
    started = time.perf_counter()
    for seed in args.seeds:
        folds = list(KFold(5, shuffle=True, random_state=seed).split(weight.X))
        forests = set()
        for (unit, method), column in zip(VARIANTS, columns):
            forest = unit not in forests  # the black box once per input
            nested = nested_cross_validate(inputs[unit], cv=folds, engine="sparse", time_limit=30, seed=0,
                                           baselines=forest, models=["random forest"],
                                           method=method, max_terms=MAX_TERMS, criterion="bic", **LIBRARY)
            results[column].append(float(nested.law_row()["mae_mean"]))
            if forest:
                forests.add(unit)
                table = nested.table.set_index("model")
                results[f"random forest ({unit})"].append(float(table.loc["random forest", "mae_mean"]))
        print(f"{seed:>16} " + " ".join(f"{results[c][-1]:>20.1f}" for c in columns), flush=True)
    print(f"{'mean':>16} " + " ".join(f"{statistics.mean(results[c]):>20.1f}" for c in columns))
    print(f"{'min–max':>16} " + " ".join(f"{min(results[c]):>9.1f}–{max(results[c]):<10.1f}" for c in columns))
    print(f"{len(args.seeds)} outer-fold seeds in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
