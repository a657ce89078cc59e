"""Shared command line of the case-study scripts: ``python case_studies/NAME.py [--quick] [--out DIR]``.

The science lives in :mod:`lawfind.casestudies`; these scripts only parse arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main_for(name: str, argv: Sequence[str] | None = None) -> int:
    """Run case study ``name`` with the script's arguments; returns the exit code (2 on a user error)."""
    from lawfind.casestudies import get_case_study, run_case_study
    from lawfind.cli._case_study import format_headline
    from lawfind.exceptions import LawfindError

    parser = argparse.ArgumentParser(prog=f"{name}.py", description=get_case_study(name).title)
    parser.add_argument("--quick", action="store_true", help="tiny time limits (CI smoke run, < 1 min)")
    parser.add_argument("--out", default=None, help="output folder (default: lawfind_runs/case_studies/NAME)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing case-study folder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        result = run_case_study(name, quick=args.quick, out=args.out, overwrite=args.overwrite, seed=args.seed,
                                log=lambda message: print(message, file=sys.stderr, flush=True))
    except LawfindError as exc:
        print("error: " + " ".join(str(exc).split()), file=sys.stderr)
        return 2
    print("\n".join([f"{name}: {result.out}", *format_headline(result.headline)]))
    return 0
