"""Benchmark: a 1-D perovskite descriptor by the ``sisso`` engine, against Bartel's τ and Goldschmidt's t.

Data: Bartel et al. 2019, Table S1 (576 ABX3 solids, perovskite or not).  Inputs: rA, rB,
rX (Å) and nA, nB, nX only — never t, τ or their predictions.  By default the radii enter
as their three dimensionless ratios rA/rB, rX/rB, rA/rX
(:func:`lawfind.materials.radius_ratios`), so ln(rA/rB) is a first-rung feature;
``--primaries radii`` gives the search the radii themselves, with their unit.  The search
(rung 3, or with ``--max-size N`` every descriptor of up to N nodes; the operators of τ
itself: + - * / log) returns a descriptor and a threshold;
then, on the same stratified 5-fold split:

* the descriptor with its threshold refit on each training fold ("fixed descriptor");
* with ``--nested``: the whole search rerun inside each training fold (honest CV);
* τ = rX/rB - nA(nA - (rA/rB)/ln(rA/rB)) with Bartel's threshold 4.18 (perovskite below)
  and with the threshold refit per fold (the τ column as published: it was computed from
  unrounded radii);
* t = (rA + rX)/(√2 (rB + rX)) with the accepted window 0.825 < t < 1.059,

and the accuracy per anion (X = O, F, Cl, Br, I).

Run (the search takes up to 10 minutes on 2 cores; ``--time-limit`` shortens it; ``--nested``
adds five searches of ``--nested-time-limit`` seconds each)::

    LAWFIND_DATA_DIR=/work/shared/data .venv/bin/python benchmarks/sisso_perovskite.py --nested
    LAWFIND_DATA_DIR=/work/shared/data .venv/bin/python benchmarks/sisso_perovskite.py --primaries radii
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from lawfind import datasets
from lawfind.law import Decision, Law
from lawfind.casestudies._perovskite import PRIMARIES, primary_features
from lawfind.search._classify import classification_metrics, grouped_accuracy
from lawfind.search.sisso import SissoEngine, best_thresholds

PEROVSKITE, OTHER = 1, -1
TAU_THRESHOLD = 4.18
T_WINDOW = (0.825, 1.059)


def search(engine: SissoEngine, X: np.ndarray, y: np.ndarray, time_limit: float
           ) -> tuple[Any, Decision, dict[str, Any], float]:
    """The best 1-D descriptor, its decision, the run info and the seconds taken."""
    started = time.perf_counter()
    result = engine.search(X, y, time_limit=time_limit, seed=0, progress=lambda fraction, message: None)
    return result.expressions[0], result.decisions[0], result.info, time.perf_counter() - started


def refit_predict(train_values: np.ndarray, train_y: np.ndarray, test_values: np.ndarray) -> np.ndarray:
    """Fit a threshold rule on the training fold, predict the test fold."""
    rule = best_thresholds(train_values[None, :], train_y == PEROVSKITE, "accuracy")
    above = (test_values > rule.threshold[0]) == rule.positive_above[0]
    return np.where(above, PEROVSKITE, OTHER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds for the search (default 600)")
    parser.add_argument("--nested", action="store_true", help="rerun the search inside each training fold")
    parser.add_argument("--nested-time-limit", type=float, default=120.0,
                        help="seconds for each search inside a fold with --nested (default 120)")
    parser.add_argument("--primaries", choices=("ratios", "radii"), default="ratios",
                        help="the radii as their three ratios (default) or as they are (in Å)")
    parser.add_argument("--max-size", type=int, default=None,
                        help="instead of rung 3: every descriptor of up to this many nodes (τ has 10)")
    args = parser.parse_args()

    frame = datasets.load("bartel_perovskites")
    data = datasets.load_dataset("bartel_perovskites")
    y = np.asarray(data.y, dtype=int)
    if args.primaries == "radii":
        X, columns, units = data.X, list(data.features), tuple(data.units[f] for f in data.features)
    else:
        columns = list(PRIMARIES)
        X = primary_features(data.frame.reset_index(drop=True))[columns].to_numpy(dtype=float)
        units = ("dimensionless",) * len(columns)
    names = {f"x{i}": column for i, column in enumerate(columns)}
    anion = frame["X"].to_numpy()
    growth = {"rung": 3} if args.max_size is None else {"max_size": args.max_size}
    engine = SissoEngine(task="classification", metric="accuracy", **growth, max_dimension=1,
                         operators=("+", "-", "*", "/", "log"), sis_size=100, n_models=10,
                         feature_units=units, n_threads=2)
    print(f"Bartel 2019 Table S1: {len(y)} compounds ({np.sum(y == PEROVSKITE)} perovskites), primary features "
          f"{columns}")
    expr, decision, info, seconds = search(engine, X, y, args.time_limit)
    law = Law(expr, {k: v for k, v in names.items() if k in {s.name for s in expr.free_symbols}},
              target="exp_label", decision=decision)
    values = law.decision_function(X)
    training = classification_metrics(y, decision.apply(values))
    space = info["feature_space"]
    reached = ", reached" if info["time_limit_reached"] else ""
    print(f"search: {seconds:.0f} s (limit {args.time_limit:.0f} s{reached}), "
          f"{space['screened_space']:,} candidate features ({info['sis'][0]['scored']:,} scored)")
    print(f"descriptor: {law.equation(6)}   [{info['models'][0]['descriptors'][0]['unit']}]")
    print(f"rule: {decision.above} if descriptor > {decision.threshold:.6g} else {decision.below}; training "
          f"accuracy {training['accuracy']:.4f}")

    tau = frame["tau"].to_numpy(dtype=float)
    rA, rB, rX = (frame[c].to_numpy(dtype=float) for c in ("rA (Ang)", "rB (Ang)", "rX (Ang)"))
    t = (rA + rX) / (np.sqrt(2.0) * (rB + rX))
    tau_fixed = np.where(tau < TAU_THRESHOLD, PEROVSKITE, OTHER)
    t_window = np.where((t > T_WINDOW[0]) & (t < T_WINDOW[1]), PEROVSKITE, OTHER)

    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
    pooled = {name: np.zeros(len(y), dtype=int) for name in ("descriptor", "nested", "tau refit")}
    scores: dict[str, list[float]] = {name: [] for name in
                                      ("descriptor", "nested", "tau 4.18", "tau refit", "t window")}
    for number, (train, test) in enumerate(folds):
        pooled["descriptor"][test] = refit_predict(values[train], y[train], values[test])
        pooled["tau refit"][test] = refit_predict(tau[train], y[train], tau[test])
        for name, predicted in (("descriptor", pooled["descriptor"]), ("tau refit", pooled["tau refit"]),
                                ("tau 4.18", tau_fixed), ("t window", t_window)):
            scores[name].append(float(np.mean(predicted[test] == y[test])))
        if args.nested:
            fold_expr, fold_decision, _, fold_seconds = search(engine, X[train], y[train], args.nested_time_limit)
            fold_values = Law(fold_expr, dict(names)).decision_function(X[test])
            pooled["nested"][test] = fold_decision.apply(fold_values)
            scores["nested"].append(float(np.mean(pooled["nested"][test] == y[test])))
            print(f"  nested fold {number + 1}: {scores['nested'][-1]:.4f} ({fold_seconds:.0f} s) with "
                  f"{Law(fold_expr, dict(names)).equation(4)}")

    print("\nstratified 5-fold CV (shuffle, seed 0) — accuracy per fold and mean; all-data accuracy:")
    rows = [("SISSO descriptor, threshold refit per fold", "descriptor", training["accuracy"]),
            (f"SISSO search rerun per fold ({args.nested_time_limit:.0f} s each)", "nested", None),
            ("tau < 4.18 (Bartel)", "tau 4.18", float(np.mean(tau_fixed == y))),
            ("tau, threshold refit per fold", "tau refit", None),
            ("0.825 < t < 1.059 (Goldschmidt)", "t window", float(np.mean(t_window == y)))]
    for label, key, overall in rows:
        if not scores[key]:
            continue
        folds_text = " ".join(f"{s:.3f}" for s in scores[key])
        tail = f"   all data {overall:.4f}" if overall is not None else ""
        print(f"  {label:44s} {folds_text}   mean {np.mean(scores[key]):.4f}{tail}")

    print("\naccuracy per anion (CV predictions for the SISSO descriptor, all data for tau and t):")
    per = {"SISSO (CV)": grouped_accuracy(y, pooled["descriptor"], anion),
           "tau < 4.18": grouped_accuracy(y, tau_fixed, anion),
           "t window": grouped_accuracy(y, t_window, anion)}
    counts = {a: int(np.sum(anion == a)) for a in sorted(set(anion))}
    print(f"  {'':14s}" + "".join(f"{a + f' ({n})':>10s}" for a, n in counts.items()))
    for label, accuracy in per.items():
        print(f"  {label:14s}" + "".join(f"{accuracy[a]:10.3f}" for a in counts))


if __name__ == "__main__":
    main()
