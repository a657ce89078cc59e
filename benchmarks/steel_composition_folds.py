"""How much the nested MAE of the steel_composition law search depends on the outer folds.

Usage::

    LAWFIND_DATA_DIR=/path/to/mirror python benchmarks/steel_composition_folds.py [--seeds 18012019 0 1 2 3 4]
        [--variants at%:forward at%:beam wt%:forward wt%:omp] [--no-forest] [--time-limit 30]

For each seed of the outer ``KFold(5, shuffle=True)`` (Matbench's own seed is 18012019),
the law search of the ``steel_composition`` case study (sparse engine, ≤ 10 terms, the
4,143-term library of ``lawfind.casestudies.LIBRARY``) is rerun inside every outer
training fold for each variant ``INPUTS:METHOD[:BEAM_WIDTH]`` — wt% or at% contents;
forward stepwise, its beam version (10 supports per size unless a width is given), OMP or
the LASSO path (each support refit by least squares) — and the random forest is fit on the
same folds to each input (unless ``--no-forest``).  Prints one row per seed and the mean
over seeds: the spread shows how far one set of five folds is from the expected error of
the procedure.  The default variants are the study's (``VARIANTS``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from sklearn.model_selection import KFold

from lawfind.baselines import nested_cross_validate
from lawfind.casestudies._steel_composition import LIBRARY, MATBENCH_SEED, MAX_TERMS, VARIANTS, atomic_percent_dataset
from lawfind.datasets import load_dataset
from lawfind.search._subsets import SELECTION_METHODS


def parse_variant(text: str) -> tuple[str, str, dict[str, Any]]:
    """``"at%:beam:40"`` -> ``("at%", "beam", {"beam_width": 40})``; errors name the variant."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or parts[0] not in ("at%", "wt%") or parts[1] not in SELECTION_METHODS:
        raise SystemExit(f"variant {text!r}: write INPUTS:METHOD[:BEAM_WIDTH] with INPUTS at% or wt% and METHOD "
                         f"one of {list(SELECTION_METHODS)}, e.g. at%:beam:40")
    options: dict[str, Any] = {}
    if len(parts) == 3:
        if parts[1] != "beam" or not parts[2].isdigit() or int(parts[2]) < 1:
            raise SystemExit(f"variant {text!r}: only a beam takes a width, a positive integer (at%:beam:40)")
        options["beam_width"] = int(parts[2])
    return parts[0], parts[1], options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[MATBENCH_SEED, 0, 1, 2, 3, 4])
    parser.add_argument("--variants", nargs="+", default=[f"{unit}:{method}" for unit, method in VARIANTS])
    parser.add_argument("--no-forest", action="store_true", help="score the law searches only")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per search (default 30)")
    args = parser.parse_args()
    variants = {text: parse_variant(text) for text in args.variants}
    weight = load_dataset("steel_strength")
    inputs = {"at%": atomic_percent_dataset(weight), "wt%": weight}
    forests = [] if args.no_forest else sorted({unit for unit, _, _ in variants.values()})
    columns = list(variants) + [f"random forest ({unit})" for unit in forests]
    print(f"{'outer-fold seed':>16} " + " ".join(f"{c:>20}" for c in columns) + "   (nested MAE, MPa)")
    results: dict[str, list[float]] = {c: [] for c in columns}
    started = time.perf_counter()
    for seed in args.seeds:
        folds = list(KFold(5, shuffle=True, random_state=seed).split(weight.X))
        done = set()
        for column, (unit, method, options) in variants.items():
            forest = unit in forests and unit not in done  # the black box once per input
            nested = nested_cross_validate(inputs[unit], cv=folds, engine="sparse", time_limit=args.time_limit, seed=0,
                                           baselines=forest, models=["random forest"], method=method,
                                           max_terms=MAX_TERMS, criterion="bic", **{**LIBRARY, **options})
            results[column].append(float(nested.law_row()["mae_mean"]))
            if forest:
                done.add(unit)
                table = nested.table.set_index("model")
                results[f"random forest ({unit})"].append(float(table.loc["random forest", "mae_mean"]))
        print(f"{seed:>16} " + " ".join(f"{results[c][-1]:>20.1f}" for c in columns), flush=True)
    print(f"{'mean':>16} " + " ".join(f"{statistics.mean(results[c]):>20.1f}" for c in columns))
    print(f"{'min–max':>16} " + " ".join(f"{min(results[c]):>9.1f}–{max(results[c]):<10.1f}" for c in columns))
    print(f"{len(args.seeds)} outer-fold seeds in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
