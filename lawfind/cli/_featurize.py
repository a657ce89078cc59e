"""``lawfind featurize``: add Magpie-style composition features to a table and write it as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lawfind.cli._errors import user_errors
from lawfind.exceptions import ConfigError, DataError, LawfindWarning

__all__ = ["register", "composition_option"]


def composition_option(column: str, properties: str | None, stats: str | None, on_missing: str):
    """A :class:`~lawfind.materials.CompositionFeaturizer` from the CLI's text options."""
    from lawfind.materials import DEFAULT_STATS, CompositionFeaturizer

    def split(text: str, flag: str) -> list[str]:
        items = [item.strip() for item in text.split(",")]
        if not all(items):
            raise ConfigError(f"{flag} {text!r} has an empty item; give comma-separated names")
        return items

    chosen: str | tuple[str, ...] = "magpie"
    if properties is not None:
        names = split(properties, "--properties")
        chosen = names[0] if len(names) == 1 else tuple(names)
    return CompositionFeaturizer(
        column,
        properties=chosen,
        stats=tuple(split(stats, "--stats")) if stats is not None else DEFAULT_STATS,
        on_missing=on_missing,  # type: ignore[arg-type]
    )


def register(app: typer.Typer) -> None:
    """Add the ``featurize`` command to ``app``."""

    @app.command("featurize")
    @user_errors
    def featurize_command(
        data: Annotated[str, typer.Argument(help="CSV file with a header row, or datasets:NAME for a built-in dataset.")],
        composition: Annotated[str, typer.Option("--composition", "-c", help="Column of composition strings, e.g. Fe0.7Ni0.3.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
        properties: Annotated[Optional[str], typer.Option(help="magpie (default), extended, or comma-separated property names.")] = None,
        stats: Annotated[Optional[str], typer.Option(help="Comma-separated statistics (default: mean,min,max,range,avg_dev,mode; also std).")] = None,
        on_missing: Annotated[str, typer.Option(help="error, or drop_property: leave out a property some element has no value of.")] = "error",
        drop_composition: Annotated[bool, typer.Option(help="Leave the composition column out of the output.")] = False,
        overwrite: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    ) -> None:
        """Write DATA's columns plus composition features (fraction-weighted elemental statistics) to OUTPUT."""
        import sys
        import time
        import warnings

        import pandas as pd

        from lawfind._progress import rich_progress
        from lawfind.materials._dataset import read_table
        from lawfind.run._atomic import write_text_atomic

        featurizer = composition_option(composition, properties, stats, on_missing)
        if output.exists() and not overwrite:
            raise DataError(f"output file {str(output)!r} exists; choose another -o or pass --overwrite")
        frame, _source, _registry = read_table(data)
        started = time.monotonic()
        with rich_progress("featurizing") as progress, warnings.catch_warnings():
            warnings.simplefilter("ignore", LawfindWarning)  # reported below, one line per property
            computed = featurizer.transform(frame, progress=progress)
        seconds = time.monotonic() - started
        clash = [c for c in computed.columns if c in frame.columns]
        if clash:
            raise DataError(f"{data!r} already has column(s) {clash[:5]} that the features would replace; rename them")
        kept = frame.drop(columns=[composition]) if drop_composition else frame
        table = pd.concat([kept, computed], axis=1)
        write_text_atomic(output, table.to_csv(index=False))
        print(f"wrote {len(table)} rows with {computed.shape[1]} composition features of {composition!r} "
              f"to {output} ({seconds:.2f} s)")
        dropped = computed.attrs.get("dropped_properties") or {}
        for name, elements in dropped.items():
            print(f"warning: dropped property {name}: pymatgen has no value for {', '.join(elements)}", file=sys.stderr)
