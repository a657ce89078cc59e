"""``lawfind bench feynman``: the AI Feynman ground-truth benchmark under SRBench's protocol."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from lawfind.cli._errors import user_errors
from lawfind.exceptions import ConfigError

__all__ = ["bench_app", "feynman_command"]

bench_app = typer.Typer(
    name="bench",
    help="Benchmarks with known answers (the AI Feynman equations, SRBench protocol).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _split(text: str | None, what: str) -> list[str] | None:
    if text is None:
        return None
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise ConfigError(f"{what} {text!r} has an empty item; give a comma-separated list")
    return items


def _noise_levels(text: str) -> tuple[float, ...]:
    levels = []
    for item in _split(text, "--noise") or []:
        try:
            levels.append(float(item))
        except ValueError:
            raise ConfigError(f"--noise level {item!r} is not a number; e.g. --noise 0,0.001,0.01,0.1") from None
    return tuple(levels)


@bench_app.command("feynman")
@user_errors
def feynman_command(
    equations: Annotated[Optional[Path], typer.Option(help="Equation table (default: $LAWFIND_DATA_DIR/feynman_equations/FeynmanEquations.csv).")] = None,
    names: Annotated[Optional[str], typer.Option(help="Comma-separated equation ids, e.g. 'I.6.2a,II.11.27'.")] = None,
    subset: Annotated[Optional[int], typer.Option(help="Run N equations spread evenly over the table (every k-th row).")] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds per equation and method.")] = 60.0,
    noise: Annotated[str, typer.Option(help="Target-noise level(s), fractions of RMS(y), comma-separated (SRBench: 0,0.001,0.01,0.1).")] = "0",
    seed: Annotated[int, typer.Option(help="Seed of the data and of the searches.")] = 0,
    methods: Annotated[str, typer.Option(help="Comma-separated: lawfind, operon-raw (pyoperon defaults), gplearn.")] = "lawfind,operon-raw,gplearn",
    engine: Annotated[Optional[str], typer.Option(help="lawfind's engine (default: the one 'lawfind discover' uses).")] = None,
    workers: Annotated[int, typer.Option(help="Tasks run at once in worker processes (1: serial).")] = 1,
    out: Annotated[Optional[Path], typer.Option(help="Output folder (default: lawfind_runs/bench/feynman-<time>).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing feynman.csv in --out.")] = False,
    resume: Annotated[bool, typer.Option(help="Keep the rows of an existing feynman.csv and run the missing ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of summary lines.")] = False,
) -> None:
    """Run methods on AI Feynman equations; write feynman.csv and print 'solved K/N' per method."""
    from lawfind._progress import rich_progress
    from lawfind.bench import (
        RESULTS_FILE,
        FeynmanConfig,
        format_summary,
        read_equations,
        run_feynman,
        select_equations,
    )
    from lawfind.bench._equations import default_equations_path

    config = FeynmanConfig(methods=tuple(_split(methods, "--methods") or ()), engine=engine, time_limit=time_limit,
                           noise=_noise_levels(noise), seed=seed).resolved()
    source = equations if equations is not None else default_equations_path()
    chosen = select_equations(read_equations(source), names=_split(names, "--names"), subset=subset)
    out = out or Path("lawfind_runs") / "bench" / f"feynman-{datetime.now():%Y%m%d-%H%M%S}"
    with rich_progress(f"feynman · {len(chosen)} equations", enabled=not as_json) as progress:
        result = run_feynman(chosen, config, out=out, overwrite=overwrite, resume=resume, workers=workers,
                             progress=progress, equations_source=str(source))
    if as_json:
        print(json.dumps({"out": str(out), "results": str(out / RESULTS_FILE), "rows": len(result.rows),
                          "seconds": round(result.seconds, 1),
                          "summaries": [s.to_dict() for s in result.summaries]}, ensure_ascii=False))
        return
    for summary in result.summaries:
        print(format_summary(summary))
    print(f"results: {out / RESULTS_FILE} ({len(result.rows)} rows, {result.seconds:.0f} s)")
