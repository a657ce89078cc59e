"""Tune and compare lawfind engines on laws that are *not* the reported Feynman equations.

Usage::

    python benchmarks/portfolio_tuning.py [--set synthetic|bonus|both] [--engines portfolio,operon]
                                          [--time-limit 60] [--noise 0,0.01] [--seed 0] [--names a,b]
                                          [--out lawfind_runs/tuning]

Two disjoint sets (never ``FeynmanEquations.csv``, which holds the equations we report):

* ``synthetic`` — the planted laws below (monomials, exponentials, ratios, weighted means,
  trigonometric factors, sums), sampled uniformly in their ranges;
* ``bonus`` — the 20 AI Feynman bonus equations
  (``$LAWFIND_DATA_DIR/feynman_equations/BonusEquations.csv``).

Each (engine, set) pair is one :func:`lawfind.bench.run_feynman` run (SRBench protocol: 1000
training rows, Gaussian target noise of ``noise·RMS(y)``, exact recovery by SRBench's
symbolic rule) written to ``OUT/<set>/<engine>-<S>s/feynman.csv``; an interrupted run resumes.
A table of exact recoveries per engine, set and noise level is printed at the end.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from lawfind._progress import rich_progress
from lawfind.bench import FeynmanConfig, read_equations, run_feynman, select_equations
from lawfind.bench._equations import Equation, Variable, default_equations_path, parse_formula

#: name -> (formula in numpy syntax, {variable: (low, high)})
SYNTHETIC: dict[str, tuple[str, dict[str, tuple[float, float]]]] = {
    "syn_01": ("2.5*a**2*b/c", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_02": ("a*sqrt(b)/c**3", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_03": ("0.7*a**3/(b*c**2*d)", {"a": (1, 5), "b": (1, 5), "c": (1, 5), "d": (1, 5)}),
    "syn_04": ("a/(1+b*c)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_05": ("a*exp(-b*c/d)", {"a": (1, 5), "b": (1, 5), "c": (1, 5), "d": (1, 5)}),
    "syn_06": ("b*exp(-a**2/4)", {"a": (0.5, 3), "b": (1, 5)}),
    "syn_07": ("a/sqrt(1+b**2/c**2)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_08": ("(a*b+c*d)/(b+d)", {"a": (1, 5), "b": (1, 5), "c": (1, 5), "d": (1, 5)}),
    "syn_09": ("a*b*sin(c)", {"a": (1, 5), "b": (1, 5), "c": (0.1, 3)}),
    "syn_10": ("a*cos(b)**2", {"a": (1, 5), "b": (0, 1.5)}),
    "syn_11": ("sqrt(a**2+b**2-a*b)", {"a": (1, 5), "b": (1, 5)}),
    "syn_12": ("a*b/(a+b)", {"a": (1, 5), "b": (1, 5)}),
    "syn_13": ("1/(a*b)+c", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_14": ("a**2*b/(2*c)+d*b", {"a": (1, 5), "b": (1, 5), "c": (1, 5), "d": (1, 5)}),
    "syn_15": ("log(a/b)*c", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_16": ("a*(1-b/c)", {"a": (1, 5), "b": (1, 5), "c": (6, 10)}),
    "syn_17": ("a*b**2/(1+c/d)", {"a": (1, 5), "b": (1, 5), "c": (1, 5), "d": (1, 5)}),
    "syn_18": ("arcsin(a/b)", {"a": (0.1, 1), "b": (1.5, 3)}),
    "syn_19": ("a/(exp(b/c)-1)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_20": ("sqrt(a*b/c)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_21": ("a*b*c*d/e**2", {"a": (1, 5), "b": (1, 5), "c": (1, 5), "d": (1, 5), "e": (1, 5)}),
    "syn_22": ("a+b*c**2/2", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_23": ("(a-b)/(1-a*b/9)", {"a": (0.1, 1), "b": (0.1, 1)}),
    "syn_24": ("a*exp(b*c)", {"a": (1, 5), "b": (0.1, 1), "c": (0.1, 1)}),
    "syn_25": ("3*a/(b+2*c)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_26": ("a*(b**2-c**2)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_27": ("1/(1/a+1/b+1/c)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_28": ("a**2*sin(b)**2/c", {"a": (1, 5), "b": (0.1, 3), "c": (1, 5)}),
    "syn_29": ("a*b*(1+c*cos(d))", {"a": (1, 5), "b": (1, 5), "c": (0, 1), "d": (0, 6)}),
    "syn_30": ("a*tanh(b/c)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_31": ("a**1.5/(b*sqrt(c))", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_32": ("(a+b)**2/(4*c)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_33": ("a*b/(4*pi*c**2)", {"a": (1, 5), "b": (1, 5), "c": (1, 5)}),
    "syn_34": ("1/(1+exp(-a/b))", {"a": (-3, 3), "b": (1, 5)}),
    "syn_35": ("a*sqrt(1-(b/c)**2)", {"a": (1, 5), "b": (1, 5), "c": (6, 10)}),
    "syn_36": ("a*b-c*d", {"a": (1, 5), "b": (1, 5), "c": (1, 5), "d": (1, 5)}),
}


def synthetic_equations() -> list[Equation]:
    """The planted laws as benchmark equations."""
    out = []
    for number, (name, (formula, ranges)) in enumerate(SYNTHETIC.items(), start=1):
        variables = tuple(Variable(v, float(lo), float(hi)) for v, (lo, hi) in ranges.items())
        out.append(Equation(name, number, "y", formula, variables, parse_formula(formula, list(ranges))))
    return out


def bonus_equations() -> list[Equation]:
    """The AI Feynman bonus equations (disjoint from FeynmanEquations.csv)."""
    return read_equations(default_equations_path().with_name("BonusEquations.csv"))


def _floats(text: str) -> list[float]:
    return [float(item) for item in text.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("synthetic", "bonus", "both"), default="both")
    parser.add_argument("--engines", default="portfolio,operon")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--noise", default="0")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--names", default=None, help="comma-separated equation ids")
    parser.add_argument("--out", type=Path, default=Path("lawfind_runs/tuning"))
    args = parser.parse_args(argv)

    sets = {"synthetic": synthetic_equations, "bonus": bonus_equations}
    chosen = list(sets) if args.set == "both" else [args.set]
    names = [n.strip() for n in args.names.split(",")] if args.names else None
    table = []
    for set_name in chosen:
        equations = sets[set_name]()
        if names:
            equations = select_equations(equations, names=[n for n in names if n in {e.name for e in equations}]) \
                if any(n in {e.name for e in equations} for n in names) else []
        if not equations:
            continue
        for engine in args.engines.split(","):
            config = FeynmanConfig(methods=("lawfind",), engine=engine, time_limit=args.time_limit,
                                   noise=tuple(_floats(args.noise)), seed=args.seed)
            out = args.out / set_name / f"{engine}-{args.time_limit:g}s"
            with rich_progress(f"{set_name} · {engine}") as progress:
                result = run_feynman(equations, config, out=out, resume=True, progress=progress)
            for noise in config.noise:
                rows = [r for r in result.rows if float(r["noise"]) == noise and r["seed"] in (args.seed, str(args.seed))]
                solved = sum(str(r.get("exact")).lower() in ("true", "1") for r in rows)
                accurate = sum(float(r.get("r2_test") or "nan") > 0.999 for r in rows)
                table.append((set_name, engine, noise, solved, accurate, len(rows)))
                print(f"{set_name:9s} {engine:10s} noise {noise:g}: exact {solved}/{len(rows)}, "
                      f"R² > 0.999 {accurate}/{len(rows)}", flush=True)
    print()
    print("| set | engine | noise | exact | R² > 0.999 |")
    print("|---|---|---|---|---|")
    for set_name, engine, noise, solved, accurate, total in table:
        print(f"| {set_name} | {engine} | {noise:g} | {solved}/{total} | {accurate}/{total} |")
    print(f"\nCommand: python {' '.join(shlex.quote(a) for a in [sys.argv[0], *(argv or sys.argv[1:])])}")


if __name__ == "__main__":
    main()
