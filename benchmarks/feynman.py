"""The AI Feynman ground-truth benchmark (SRBench protocol), at one or several time budgets.

Usage::

    python benchmarks/feynman.py [--subset 20] [--budgets 10,30,60] [--methods lawfind,operon-raw]
                                 [--engine operon] [--noise 0] [--seed 0] [--out lawfind_runs/bench/feynman]

Each budget is one ``lawfind bench feynman`` run (the same code: :func:`lawfind.bench.run_feynman`)
written to ``OUT/budget-<S>s/feynman.csv``; an interrupted run continues where it stopped when the
script is started again (``--resume`` semantics).  At the end a Markdown table of solved equations
(SRBench's exact-recovery rule) and R² > 0.999 counts per method and budget is printed, with the
command that produced it.  The equation table is ``$LAWFIND_DATA_DIR/feynman_equations/FeynmanEquations.csv``
unless ``--equations`` names another (e.g. ``BonusEquations.csv``).
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
from pathlib import Path

from lawfind._progress import rich_progress
from lawfind.bench import FeynmanConfig, format_summary, read_equations, run_feynman, select_equations
from lawfind.bench._equations import default_equations_path


def _floats(text: str) -> list[float]:
    return [float(item) for item in text.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--equations", type=Path, default=None)
    parser.add_argument("--names", default=None, help="comma-separated equation ids")
    parser.add_argument("--subset", type=int, default=20)
    parser.add_argument("--budgets", default="30", help="comma-separated time limits in seconds, e.g. 10,30,60")
    parser.add_argument("--methods", default="lawfind,operon-raw,gplearn")
    parser.add_argument("--engine", default=None, help="lawfind engine (default: discover's default)")
    parser.add_argument("--noise", default="0")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("lawfind_runs/bench/feynman"))
    args = parser.parse_args(argv)

    source = args.equations or default_equations_path()
    names = [n.strip() for n in args.names.split(",")] if args.names else None
    equations = select_equations(read_equations(source), names=names, subset=args.subset)
    table = []
    for budget in _floats(args.budgets):
        config = FeynmanConfig(methods=tuple(args.methods.split(",")), engine=args.engine, time_limit=budget,
                               noise=tuple(_floats(args.noise)), seed=args.seed)
        out = args.out / f"budget-{budget:g}s"
        with rich_progress(f"feynman · {budget:g} s") as progress:
            result = run_feynman(equations, config, out=out, resume=True, workers=args.workers, progress=progress,
                                 equations_source=str(source))
        for summary in result.summaries:
            print(f"[{budget:g} s] {format_summary(summary)}", flush=True)
            table.append((budget, summary))
    print()
    print("$ python benchmarks/feynman.py " + shlex.join(sys.argv[1:] if argv is None else argv))
    print()
    print("| time limit | method | engine | noise | solved | R² > 0.999 | median size | median seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for budget, s in table:
        size = "—" if math.isnan(s.median_size) else f"{s.median_size:g}"
        print(f"| {budget:g} s | {s.method} | {s.engine} | {s.noise:g} | {s.solved}/{s.total} | "
              f"{s.accurate}/{s.total} | {size} | {s.median_seconds:.1f} |")


if __name__ == "__main__":
    main()
