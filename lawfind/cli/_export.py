"""``lawfind export``: a law of a run as LaTeX, a table, code, JSON, CSV, a report or figures."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from lawfind._checks import check_seed
from lawfind.cli._errors import user_errors
from lawfind.cli._format import check_law_option
from lawfind.cli._executor_options import (DaskLocalOption, DaskSchedulerOption, WorkersOption,
                                           check_executor_options, open_executor)
from lawfind.exceptions import ConfigError
from lawfind.uncertainty._intervals import MIN_RESAMPLES

__all__ = ["register"]

_FORMAT_HELP = ("latex | table | python | sympy | json | csv | markdown | html | figures "
                "(figures: PDF, SVG and PNG files in the -o folder)")


def _pairs(values: list[str], option: str, example: str) -> list[tuple[str, str]]:
    out = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise ConfigError(f"{option} {value!r} must look like {example}")
        out.append((key.strip(), rest.strip()))
    return out


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""

    @app.command("export")
    @user_errors
    def export_command(
        run_dir: Annotated[Path, typer.Argument(help="A run folder written by 'lawfind discover'.")],
        fmt: Annotated[str, typer.Option("--format", "-f", help=_FORMAT_HELP)],
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (a folder for figures); "
                                                       "text formats go to stdout without it.")] = None,
        law: Annotated[Optional[int], typer.Option("--law", help="Index of the law on the front (default: the "
                                                   "picked one).")] = None,
        overwrite: Annotated[bool, typer.Option(help="Replace an existing output.")] = False,
        data: Annotated[Optional[str], typer.Option("--data", help="The training data, if they moved: a CSV path or "
                                                    "datasets:<name> (checked against the run's hash).")] = None,
        intervals: Annotated[str, typer.Option(help="Coefficient intervals: auto (bootstrap for regression laws with "
                                               "constants), bootstrap, asymptotic or none.")] = "auto",
        resamples: Annotated[int, typer.Option(help="Bootstrap resamples for the intervals.")] = 1000,
        level: Annotated[float, typer.Option(help="Coverage of the intervals.")] = 0.95,
        seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = 0,
        reference: Annotated[Optional[list[str]], typer.Option(
            "--reference", help="A published law for the report, 'LABEL=EXPRESSION' in column names (repeatable), "
                                "e.g. 'Pavlina & Van Tyne 2008=-99.8 + 3.734*HV'.")] = None,
        alias: Annotated[Optional[list[str]], typer.Option(
            "--alias", help="A name used in --reference expressions, 'NAME=COLUMN' (repeatable).")] = None,
        symbol: Annotated[Optional[list[str]], typer.Option(
            "--symbol", help="LaTeX for a column, 'COLUMN=LATEX' (repeatable), e.g. 'Hardness=\\mathrm{HV}'.")] = None,
        stability: Annotated[int, typer.Option(help="Reports and figures: repeat the search on this many resamples "
                                               "(0: no stability section).")] = 0,
        stability_time: Annotated[float, typer.Option(help="Seconds per stability search.")] = 5.0,
        stability_scheme: Annotated[str, typer.Option(help="bootstrap or cv.")] = "bootstrap",
        standalone: Annotated[bool, typer.Option(help="latex/table: a complete document for pdflatex.")] = False,
        workers: WorkersOption = None,
        dask_local: DaskLocalOption = None,
        dask_scheduler: DaskSchedulerOption = None,
    ) -> None:
        """Export a law of RUN_DIR for a paper: LaTeX, tables, code, JSON, predictions, a report or figures."""
        from lawfind._progress import rich_progress
        from lawfind.export import check_format, check_output, export_run, prepare_export, render_export
        from lawfind.report import ReferenceLaw
        from lawfind.run import Run
        from lawfind.uncertainty import law_stability, open_training_data

        check_format(fmt)
        check_seed(seed)
        if isinstance(resamples, bool) or resamples < MIN_RESAMPLES:
            raise ConfigError(f"--resamples must be an integer ≥ {MIN_RESAMPLES} (bootstrap resamples of the "
                              f"intervals), got {resamples}")
        if stability < 0 or stability == 1:
            raise ConfigError(f"--stability must be 0 (no stability section) or a number of resampled searches "
                              f"≥ 2, got {stability}")
        if not (math.isfinite(stability_time) and stability_time > 0):
            raise ConfigError(f"--stability-time must be a positive number of seconds per stability search, "
                              f"got {stability_time}")
        check_executor_options(workers, dask_local, dask_scheduler)
        if not stability and (workers, dask_local, dask_scheduler) != (None, None, None):
            raise ConfigError("--workers, --dask-local and --dask-scheduler run the --stability searches; "
                              "add --stability N or drop them")
        if output is None and fmt == "figures":
            raise ConfigError("figures are several files: pass -o FOLDER")
        if output is not None:
            check_output(output, fmt, overwrite)
        run = Run.load(run_dir)
        check_law_option(run, law)
        columns = [*run.data.get("features", []), run.data.get("target")]
        symbols = dict(_pairs(symbol or [], "--symbol", "'COLUMN=LATEX'"))
        unknown = [name for name in symbols if name not in columns]
        if unknown:
            raise ConfigError(f"--symbol names {unknown}, which are not columns of the run; columns: {columns}")
        aliases = dict(_pairs(alias or [], "--alias", "'NAME=COLUMN'"))
        missing = {name: column for name, column in aliases.items() if column not in columns}
        if missing:
            name, column = next(iter(missing.items()))
            raise ConfigError(f"--alias {name}={column}: alias {name!r} names the column {column!r}, which is not "
                              f"a column of the run; columns: {columns}")
        references = [ReferenceLaw(label, text, aliases)
                      for label, text in _pairs(reference or [], "--reference", "'LABEL=EXPRESSION'")]
        for item in references:  # parse now, before any long computation
            item.to_law(list(run.data.get("features", [])), str(run.data.get("target")))
        if stability and fmt not in ("markdown", "html", "figures"):
            raise ConfigError(f"--stability applies to the markdown, html and figures exports, not to {fmt!r}")
        dataset = open_training_data(run, data) if (stability or data is not None) else None
        found = None
        if stability:
            with open_executor(workers, dask_local, dask_scheduler) as executor, \
                    rich_progress("stability searches") as progress:
                found = law_stability(run, dataset, n_resamples=stability, time_limit=stability_time,
                                      scheme=stability_scheme, seed=seed, progress=progress, executor=executor)
        options = dict(law=law, data=dataset, intervals=intervals, n_resamples=resamples, level=level, seed=seed,
                       symbol_names=symbols, references=references, stability=found)
        if output is None:
            (text,) = render_export(prepare_export(run, fmt, **options), fmt, standalone=standalone).values()
            sys.stdout.write(str(text))
            return
        written = export_run(run, fmt, output, overwrite=overwrite, standalone=standalone, **options)
        where = output if fmt == "figures" else written[0]
        print(f"wrote {len(written)} file(s) ({fmt}) to {where}")
