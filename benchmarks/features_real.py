"""Feature selection on two real tables: what ``select`` keeps, and how long it takes.

Usage::

    LAWFIND_DATA_DIR=/path/to/mirror python benchmarks/features_real.py [--steps auto] [--repeats 3]

* NIMS fatigue (``steel_fatigue_nims``, 437 steels, 25 composition / processing /
  inclusion descriptors -> rotating-bending fatigue strength, regression);
* Bartel et al. 2019 Table S1 (``bartel_perovskites``, 576 ABX3 solids -> perovskite or
  not, classification), once with the registry's six inputs (radii and oxidation
  states) and once with every numeric column (including the derived t, tau and the
  paper's own predictions, to see what a screen does with them);
* ``matbench_steels`` (312 steels) with the Magpie-style composition features of
  :mod:`lawfind.materials` (materials extra) -> yield strength, regression.

Prints, per table, the median wall time of ``--repeats`` runs, the kept columns and how
many columns each step dropped.
"""

from __future__ import annotations

import argparse
import statistics
import time

from lawfind import datasets
from lawfind.features import select


def _tables():
    fatigue = datasets.load_dataset("steel_fatigue_nims")
    yield "steel_fatigue_nims (Fatigue, regression)", dict(data=fatigue)
    bartel = datasets.load_dataset("bartel_perovskites")
    yield "bartel_perovskites (exp_label, classification, 6 inputs)", dict(data=bartel)
    frame = datasets.load("bartel_perovskites")
    numeric = [c for c in frame.select_dtypes("number").columns if c != "exp_label"]
    yield (f"bartel_perovskites (exp_label, classification, all {len(numeric)} numeric columns)",
           dict(data=frame, target="exp_label", features=numeric, task="classification"))
    try:
        from lawfind.materials import composition_features
    except ImportError:  # the materials extra (pymatgen) is not installed
        print("matbench_steels composition features skipped: pip install 'lawfind[materials]'")
        return
    steels = datasets.load("matbench_steels")
    table = composition_features(steels, "composition")
    table["yield strength"] = steels["yield strength"].to_numpy()
    yield (f"matbench_steels ({table.shape[1] - 1} Magpie-style composition features, yield strength, regression)",
           dict(data=table, target="yield strength", task="regression"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="auto")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for label, kwargs in _tables():
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            selection = select(steps=args.steps, **kwargs)
            times.append(time.perf_counter() - started)
        dropped = selection.report.loc[selection.report["step"] != "kept", "step"].value_counts()
        print(f"{label}: {selection.n_rows} rows, {len(selection.report)} candidates, steps {selection.steps}")
        print(f"  median {statistics.median(times):.2f} s over {args.repeats} runs "
              f"(min {min(times):.2f}, max {max(times):.2f})")
        print(f"  kept {len(selection.kept)}: {', '.join(selection.kept)}")
        print("  dropped: " + (", ".join(f"{n} by {s}" for s, n in dropped.items()) or "none"))


if __name__ == "__main__":
    main()
