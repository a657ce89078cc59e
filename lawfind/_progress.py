"""Progress reporting: engines call ``progress(fraction, message)``; front ends draw it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["ProgressCallback", "rich_progress", "no_progress"]

#: ``progress(fraction_done, message)``; ``fraction_done`` is in [0, 1].
ProgressCallback = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:  # noqa: ARG001 - the callback protocol
    """A progress callback that shows nothing."""


@contextmanager
def rich_progress(description: str, *, min_seconds: float = 1.0, enabled: bool = True) -> Iterator[ProgressCallback]:
    """A Rich progress bar on stderr, shown once the work has lasted ``min_seconds``.

    Yields the callback to pass to an engine.
    """
    if not enabled:
        yield no_progress
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[message]}"),
        console=console,
        transient=True,
    )
    task = bar.add_task(description, total=1.0, message="")
    started = time.monotonic()
    shown = False

    def update(fraction: float, message: str) -> None:
        nonlocal shown
        if not shown and time.monotonic() - started >= min_seconds:
            bar.start()
            shown = True
        bar.update(task, completed=max(0.0, min(1.0, fraction)), message=message)

    try:
        yield update
    finally:
        if shown:
            bar.update(task, completed=1.0)
            bar.stop()
