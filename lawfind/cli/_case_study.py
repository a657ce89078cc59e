"""``lawfind case-study NAME [--quick] [--out DIR] [--overwrite]``: run a registered case study."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from lawfind.cli._errors import user_errors
from lawfind.cli._executor_options import (DaskLocalOption, DaskSchedulerOption, WorkersOption,
                                           check_executor_options, describe_executor, open_executor)

__all__ = ["register", "case_study_command", "format_headline"]

_SKIP = {"case_study", "quick", "seed", "seconds", "engine_options"}


def format_headline(headline: dict[str, Any]) -> list[str]:
    """The headline numbers as ``key: value`` lines (floats with 4 significant digits)."""
    lines = []
    for key, value in headline.items():
        if key in _SKIP or isinstance(value, (list, dict)):
            continue
        shown = f"{value:.4g}" if isinstance(value, float) else str(value)
        lines.append(f"  {key}: {shown}")
    return lines


@user_errors
def case_study_command(
    name: Annotated[str, typer.Argument(help="A case study, e.g. perovskite_tolerance or steel_hardness; "
                                             "'list' shows all of them.")],
    quick: Annotated[bool, typer.Option(help="Tiny time limits and fewer baselines (CI smoke run, < 1 min).")] = False,
    out: Annotated[Optional[Path], typer.Option(help="Output folder (default: lawfind_runs/case_studies/NAME).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing case-study folder.")] = False,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    workers: WorkersOption = None,
    dask_local: DaskLocalOption = None,
    dask_scheduler: DaskSchedulerOption = None,
) -> None:
    """Run case study NAME: a run, figures, LaTeX and a Markdown summary comparing the law with the literature and
    with black boxes."""
    from lawfind.casestudies import SUMMARY_FILE, get_case_study, list_case_studies, run_case_study

    if name == "list":
        for study in list_case_studies():
            print(f"{study.name:<20} {study.title} (data: {', '.join(study.datasets)})")
        return
    study = get_case_study(name)  # an unknown name fails before a cluster starts
    check_executor_options(workers, dask_local, dask_scheduler)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if not study.parallel and (workers, dask_local, dask_scheduler) != (None, None, None):
        log(f"note: case study {name} runs no independent searches (no nested cross-validation); it runs serially "
            f"and --workers/--dask-* are ignored")
        workers = dask_local = dask_scheduler = None

    with open_executor(workers, dask_local, dask_scheduler) as executor:
        if executor.kind != "serial":
            log(f"independent searches (outer folds of nested cross-validation) run on {describe_executor(executor)}")
        result = run_case_study(name, quick=quick, out=out, overwrite=overwrite, seed=seed, log=log,
                                executor=None if executor.kind == "serial" else executor)
        if executor.kind != "serial" and executor.tasks_run == 0:
            log(f"note: case study {name} has no independent searches; --workers/--dask-* had no effect")
    print(f"case study {name}{' (quick)' if quick else ''} finished in {result.seconds:.1f} s")
    print("\n".join(format_headline(result.headline)))
    print(f"summary: {result.out / SUMMARY_FILE}")


def register(app: typer.Typer) -> None:
    """Add the ``case-study`` command to ``app``."""
    app.command("case-study")(case_study_command)
