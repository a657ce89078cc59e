"""The ``lawfind`` command line (Typer): thin wrappers around the Python API."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from lawfind._discover import discover
from lawfind._progress import rich_progress
from lawfind.cli._bench import bench_app
from lawfind.cli._datasets import datasets_app
from lawfind.cli._errors import run_cli, user_errors
from lawfind.cli._app_command import register as register_app
from lawfind.cli._case_study import register as register_case_study
from lawfind.cli._compare import register as register_compare
from lawfind.cli._export import register as register_export
from lawfind.cli._featurize import composition_option, register as register_featurize
from lawfind.cli._format import check_law_option, print_run, run_json
from lawfind.cli._selection import SELECT_HELP, print_selection, selection_json
from lawfind.data import make_demo
from lawfind.data._dataset import read_csv
from lawfind.exceptions import ConfigError, DataError
from lawfind.run import Run
from lawfind.run._atomic import write_text_atomic

app = typer.Typer(
    name="lawfind",
    help="Discover closed-form property laws in materials data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


app.add_typer(datasets_app, name="datasets", help="Built-in datasets: list, info, path.")
app.add_typer(bench_app, name="bench", help="Benchmarks with known answers: feynman (SRBench protocol).")
register_export(app)
register_case_study(app)
register_compare(app)
register_app(app)
register_featurize(app)


def _default_out(data: str, target: str | None) -> Path:
    stem = data.split(":", 1)[1] if data.startswith("datasets:") else Path(data).stem
    slug = re.sub(r"[^A-Za-z0-9]+", "_", target or "default").strip("_") or "target"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("lawfind_runs") / f"{stem}-{slug}-{stamp}"


def _not_for(option: str, engines: str, engine: str) -> ConfigError:
    """The error for an engine option given to an engine that does not take it."""
    hint = " (the default engine, auto); choose the engine with --engine" if engine == "auto" else ""
    return ConfigError(f"{option} applies to the {engines}, not to {engine!r}{hint}")


def _engine_options(engine: str, max_terms: int | None, rung: int | None, max_size: int | None = None,
                    method: str | None = None) -> dict[str, int | str]:
    options: dict[str, int | str] = {}
    if max_terms is not None:
        if engine not in ("sparse", "sisso"):
            raise _not_for("--max-terms", "sparse and sisso engines", engine)
        options["max_terms" if engine == "sparse" else "max_dimension"] = max_terms
    if rung is not None:
        if engine != "sisso":
            raise _not_for("--rung", "sisso engine", engine)
        options["rung"] = rung
    if max_size is not None:
        if engine != "sisso":
            raise _not_for("--max-size", "sisso engine", engine)
        options["max_size"] = max_size
    if method is not None:
        if engine != "sparse":
            raise _not_for("--method", "sparse engine", engine)
        options["method"] = method
    return options


def _parse_units(text: str | None) -> dict[str, str] | None:
    if text is None:
        return None
    units: dict[str, str] = {}
    for item in text.split(","):
        column, sep, unit = item.partition("=")
        if not sep or not column.strip() or not unit.strip():
            raise ConfigError(f"--units item {item!r} is not COLUMN=UNIT; e.g. --units 'rA=angstrom,T=kelvin'")
        if "=" in unit:
            raise ConfigError(f"--units item {item!r} holds two '=': separate the items with commas, e.g. "
                              "--units 'rA=angstrom,T=kelvin'")
        if column.strip() in units:
            raise ConfigError(f"--units gives column {column.strip()!r} twice ({units[column.strip()]!r} and "
                              f"{unit.strip()!r}); give each column one unit")
        units[column.strip()] = unit.strip()
    return units


@app.command("discover")
@user_errors
def discover_command(
    data: Annotated[str, typer.Argument(help="CSV file with a header row, or datasets:NAME for a built-in dataset.")],
    target: Annotated[Optional[str], typer.Option("--target", "-t", help="Column to explain (built-in datasets have a default).")] = None,
    features: Annotated[Optional[str], typer.Option(help="Comma-separated feature columns (default: all others).")] = None,
    engine: Annotated[str, typer.Option(help="Search engine: auto (portfolio for regression, sisso for classification), portfolio (power laws, transforms, sparse, sisso and operon in one budget), operon (symbolic regression), sparse (sparse linear laws) or sisso (descriptor search).")] = "auto",
    task: Annotated[Optional[str], typer.Option(help="regression (default) or classification (sisso engine).")] = None,
    max_terms: Annotated[Optional[int], typer.Option(help="Largest number of terms (sparse) or descriptor dimension (sisso).")] = None,
    rung: Annotated[Optional[int], typer.Option(help="Feature-space rung 1-3 (sisso engine).")] = None,
    max_size: Annotated[Optional[int], typer.Option(help="Instead of --rung: every descriptor of up to this many nodes, e.g. 10 for Bartel's tau (sisso engine).")] = None,
    method: Annotated[Optional[str], typer.Option(help="How the sparse engine selects terms: auto (default), best_subset, omp, forward (stepwise), beam (forward stepwise keeping the 10 best supports per size) or lasso.")] = None,
    units: Annotated[Optional[str], typer.Option(help="Units of columns, e.g. 'rA=angstrom,T (K)=kelvin' (pint syntax).")] = None,
    units_check: Annotated[str, typer.Option(help="With units, laws whose form depends on the units (e.g. cos of an energy) are marked: keep them on the front, or filter them off it.")] = "keep",
    composition: Annotated[Optional[str], typer.Option(help="Column of composition strings: search Magpie-style composition features instead of it.")] = None,
    on_missing: Annotated[str, typer.Option(help="With --composition: error, or drop_property (leave out a property some element lacks).")] = "error",
    time_limit: Annotated[float, typer.Option(help="Seconds for the engine's search; polishing its candidate laws (about 0.3 s each) comes on top.")] = 30.0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    out: Annotated[Optional[Path], typer.Option(help="Run folder to write (default: lawfind_runs/<data>-<target>-<time>).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing run folder.")] = False,
    dropna: Annotated[bool, typer.Option(help="Drop rows with missing or infinite values.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    select: Annotated[str, typer.Option(help=SELECT_HELP)] = "none",
) -> None:
    """Search DATA for laws TARGET = f(features); print the Pareto front and the picked law."""
    if target is None and not data.startswith("datasets:"):
        raise ConfigError("--target is required for a CSV file: name the column to explain")
    feature_list = [f.strip() for f in features.split(",")] if features is not None else None
    if feature_list is not None and not all(feature_list):
        raise ConfigError(f"--features {features!r} has an empty name; give comma-separated column names")
    options = _engine_options(engine, max_terms, rung, max_size, method)
    if task is not None and task not in ("regression", "classification"):
        raise ConfigError(f"--task must be 'regression' or 'classification', got {task!r}")
    out = out or _default_out(data, target)
    with rich_progress(f"{engine} search", enabled=not as_json) as progress:
        run = discover(
            data, target, feature_list, engine=engine, time_limit=time_limit, seed=seed,
            dropna=dropna, task=task, units=_parse_units(units), units_check=units_check, out=out, overwrite=overwrite,
            composition=None if composition is None else composition_option(composition, None, None, on_missing),
            select=select, progress=progress, **options,
        )
    if as_json:
        payload = run_json(run)
        if run.selection is not None:
            payload["selection"] = selection_json(run.selection)
        print(json.dumps(payload, ensure_ascii=False))
    else:
        if run.selection is not None:
            print_selection(run.selection, where=str(run.path / "selection.csv") if run.path else None)
        print_run(run)


@app.command("predict")
@user_errors
def predict_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by 'lawfind discover'.")],
    data: Annotated[Path, typer.Argument(help="CSV file with the columns the law needs.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
    law: Annotated[Optional[int], typer.Option("--law", help="Index of the law on the front (default: the picked one).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
) -> None:
    """Write DATA's columns plus a 'prediction' column computed by a law of RUN_DIR."""
    run = Run.load(run_dir)
    check_law_option(run, law)
    chosen = run.best if law is None else run.front.law(law)
    if output.is_dir():
        raise DataError(f"-o {str(output)!r} is a folder; give the CSV file to write, e.g. -o predictions.csv")
    if output.exists() and not overwrite:
        raise DataError(f"output file {str(output)!r} exists; choose another -o or pass --overwrite")
    frame = read_csv(data, min_columns=1)
    if "prediction" in frame.columns:
        raise DataError(f"{str(data)!r} already has a 'prediction' column; rename it first")
    frame["prediction"] = chosen.predict(frame)
    inputs = frame[chosen.features].to_numpy(float) if chosen.features else np.empty((len(frame), 0))
    bad_rows = np.flatnonzero(~np.all(np.isfinite(inputs), axis=1))
    write_text_atomic(output, frame.to_csv(index=False))
    print(f"wrote {len(frame)} predictions of {run.data.get('target')} = {chosen.equation(6)} to {output}")
    empty = 0 if chosen.decision is not None else int((~np.isfinite(frame["prediction"].to_numpy(float))).sum())
    if len(bad_rows):
        shown = ", ".join(str(i + 2) for i in bad_rows[:10]) + (", ..." if len(bad_rows) > 10 else "")
        print(f"warning: {len(bad_rows)} row(s) have a missing or infinite value in the law's columns "
              f"{chosen.features} (file lines {shown}); their predictions are not meaningful", file=sys.stderr)
    if empty:
        print(f"warning: {empty} row(s) have no finite prediction (missing inputs, or outside the law's domain)",
              file=sys.stderr)


@app.command("show")
@user_errors
def show_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Print the Pareto front and the picked law of a saved run."""
    run = Run.load(run_dir)
    if as_json:
        payload = run_json(run)
        if run.selection is not None:
            payload["selection"] = selection_json(run.selection)
        print(json.dumps(payload, ensure_ascii=False))
    else:
        if run.selection is not None:
            print_selection(run.selection, where=str(run.path / "selection.csv"))
        print_run(run)


@app.command("demo")
@user_errors
def demo_command(
    name: Annotated[str, typer.Argument(help="Demo law: hall_petch or kepler.")] = "hall_petch",
    rows: Annotated[int, typer.Option(help="Number of rows.")] = 200,
    noise: Annotated[float, typer.Option(help="Gaussian noise, as a fraction of the target's RMS.")] = 0.0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")] = Path("demo.csv"),
    overwrite: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Write a demo CSV generated from a known law (to try discover on)."""
    from lawfind.data import DEMOS

    if output.exists() and not overwrite:
        raise DataError(f"output file {str(output)!r} exists; choose another -o or pass --overwrite")
    frame = make_demo(name, n=rows, noise=noise, seed=seed)
    write_text_atomic(output, frame.to_csv(index=False))
    print(f"wrote {len(frame)} rows to {output}; the true law is {DEMOS[name].law}")


def main() -> None:
    """Entry point of the ``lawfind`` command."""
    import signal

    # Ctrl-C must reach the search (it stops it and keeps the best-so-far front), even
    # when a parent process started lawfind with SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(run_cli(app))
