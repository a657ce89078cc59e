"""Tune the pick rule (PickRule rel_tol, abs_tol) on laws that are not the reported Feynman equations.

Usage::

    python benchmarks/pick_rule_tuning.py [--set synthetic|bonus|both] [--engine portfolio] [--time-limit 60]
                                          [--noise 0.01] [--seed 0] [--out lawfind_runs/pick_rule]

For every equation of the tuning sets (``benchmarks/portfolio_tuning.py``: the synthetic planted
laws and the AI Feynman *bonus* equations, never ``FeynmanEquations.csv``) one search runs under
SRBench's protocol (1000 training rows, noise ``noise·RMS(y)``, 1000 noise-free test rows).  Every
law of the resulting Pareto front is checked for exact recovery (SRBench's symbolic rule,
:func:`lawfind.bench.assess_model`) and written to ``OUT/fronts-<noise>.csv`` (a rerun reuses the
fronts already there).  Then each pick rule of a grid re-picks a law from every saved front, and
the number of exact recoveries per rule is printed; the search is not rerun per rule.
"""

from __future__ import annotations

import argparse
import csv
import shlex
import sys
from pathlib import Path

import numpy as np
import sympy as sp

from lawfind import discover
from lawfind.bench import assess_model, generate_data
from lawfind.search import PickRule

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portfolio_tuning import bonus_equations, synthetic_equations  # noqa: E402

FIELDS = ("set", "name", "index", "complexity", "nrmse", "r2_test", "exact", "picked", "equation")
REL_TOLS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
ABS_TOLS = (1e-10, 1e-8, 1e-6, 1e-4)


def _fronts(sets: dict, engine: str, time_limit: float, noise: float, seed: int, path: Path) -> list[dict]:
    rows = list(csv.DictReader(path.open())) if path.exists() else []
    done = {(r["set"], r["name"]) for r in rows}
    for set_name, equations in sets.items():
        for equation in equations:
            if (set_name, equation.name) in done:
                continue
            data = generate_data(equation, noise=noise, seed=seed)
            target = equation.output + "_" * (equation.output in equation.names)
            run = discover(data.frame(target), target, equation.names, engine=engine, time_limit=time_limit,
                           seed=seed)
            test = data.frame(target, "test")
            for index, law in enumerate(run.front):
                prediction = law.predict(test)
                r2 = 1 - float(np.mean((prediction - data.y_test) ** 2) / np.var(data.y_test))
                expr = law.sympy().xreplace({s: sp.Symbol(s.name) for s in law.sympy().free_symbols})
                verdict = assess_model(equation.expression, expr, r2, timeout=20)
                rows.append({"set": set_name, "name": equation.name, "index": index,
                             "complexity": law.complexity, "nrmse": law.metrics["nrmse"], "r2_test": r2,
                             "exact": verdict.exact, "picked": index == run.front.best_index,
                             "equation": law.equation(6)})
            print(f"{set_name} {equation.name}: {len(run.front)} laws, picked exact: "
                  f"{any(r['exact'] in (True, 'True') and r['picked'] in (True, 'True') for r in rows if r['name'] == equation.name)}",
                  flush=True)
            with path.open("w", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=FIELDS)
                writer.writeheader()
                writer.writerows(rows)
    return rows


class _Front:
    """A saved front, re-picked with another rule (the laws only need .error and .complexity)."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = sorted(rows, key=lambda r: int(r["index"]))

    def laws(self):
        return [type("L", (), {"error": float(r["nrmse"]), "complexity": int(r["complexity"])})() for r in self.rows]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("synthetic", "bonus", "both"), default="both")
    parser.add_argument("--engine", default="portfolio")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--noise", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("lawfind_runs/pick_rule"))
    args = parser.parse_args(argv)
    available = {"synthetic": synthetic_equations, "bonus": bonus_equations}
    sets = {name: build() for name, build in available.items() if args.set in (name, "both")}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"fronts-{args.engine}-{args.time_limit:g}s-noise{args.noise:g}.csv"
    rows = _fronts(sets, args.engine, args.time_limit, args.noise, args.seed, path)
    by_equation: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_equation.setdefault((row["set"], row["name"]), []).append(row)
    reachable = sum(any(r["exact"] in (True, "True") for r in front) for front in by_equation.values())
    print(f"\n{len(by_equation)} fronts; an exact law is on {reachable} of them")
    print("| rel_tol | abs_tol | exact picks |")
    print("|---|---|---|")
    for rel_tol in REL_TOLS:
        for abs_tol in ABS_TOLS:
            rule = PickRule(rel_tol, abs_tol)
            solved = 0
            for front_rows in by_equation.values():
                front = _Front(front_rows)
                solved += front.rows[rule.pick(front.laws())]["exact"] in (True, "True")
            print(f"| {rel_tol:g} | {abs_tol:g} | {solved}/{len(by_equation)} |")
    print(f"\nCommand: python {' '.join(shlex.quote(a) for a in [sys.argv[0], *(argv or sys.argv[1:])])}")


if __name__ == "__main__":
    main()
