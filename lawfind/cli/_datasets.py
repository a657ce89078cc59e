"""``lawfind datasets``: list the built-in datasets, show their provenance, locate their files."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lawfind import datasets
from lawfind.cli._errors import user_errors

__all__ = ["datasets_app"]

datasets_app = typer.Typer(
    name="datasets",
    help="Built-in public datasets: list them, show provenance and units, locate their files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_NAME_HELP = "Dataset name (see 'lawfind datasets list')."


@datasets_app.command("list")
@user_errors
def list_command() -> None:
    """List the registered datasets (no file is read or downloaded)."""
    table = Table(title=f"{len(datasets.list_datasets())} built-in datasets", title_justify="left")
    table.add_column("name", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    table.add_column("task", no_wrap=True)
    table.add_column("target", overflow="fold")
    for entry in datasets.list_datasets():
        table.add_row(
            entry.name,
            str(entry.n_rows),
            entry.task or "-",
            escape(entry.target) if entry.target else "-",
        )
    console = Console()
    console.print(table)
    console.print("'lawfind datasets info NAME' describes one (columns, units, source, citation).", highlight=False)


@datasets_app.command("info")
@user_errors
def info_command(name: Annotated[str, typer.Argument(help=_NAME_HELP)]) -> None:
    """Show everything known about dataset NAME: source, checksum, citation, licence, columns."""
    entry = datasets.info(name)
    console = Console()
    console.print(f"[bold]{escape(entry.name)}[/bold]: {escape(entry.description)}", highlight=False)
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold", no_wrap=True)
    meta.add_column(overflow="fold")
    features = ", ".join(entry.features) if entry.features else "none (featurize the text columns first)"
    rows = [
        ("rows", str(entry.n_rows)),
        ("task", entry.task or "none (reference table)"),
        ("target", entry.target or "none (pass one)"),
        ("features", features),
        ("file", f"{entry.folder}/{entry.file}"),
        ("source", entry.source),
        ("url", entry.url or "none (derived file: only available from a mirror)"),
        ("sha256", entry.sha256),
        ("licence", entry.licence),
        ("citation", entry.citation),
    ]
    for key, value in rows:
        meta.add_row(key, escape(value))
    console.print(meta)
    if entry.notes:
        console.print("[bold]notes[/bold]")
        for note in entry.notes:
            console.print(f"  - {escape(note)}", highlight=False)
    columns = Table(title="columns", title_justify="left")
    columns.add_column("column", no_wrap=True)
    columns.add_column("unit", no_wrap=True)
    columns.add_column("meaning")
    for col in entry.columns:
        columns.add_row(escape(col.name), escape(col.unit or "-"), escape(col.description))
    console.print(columns)


@datasets_app.command("path")
@user_errors
def path_command(name: Annotated[str, typer.Argument(help=_NAME_HELP)]) -> None:
    """Print the local path of dataset NAME's file (downloaded and verified if needed)."""
    print(datasets.path(name))
