"""Turn user errors into one line on stderr and exit code 2 (no traceback)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from lawfind.exceptions import LawfindError

__all__ = ["user_errors", "fail"]

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` to stderr and return the exit to raise (code 2)."""
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(code=2)


def user_errors(func: F) -> F:
    """Decorator: lawfind errors become ``error: ...`` and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LawfindError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(code=130) from None

    return wrapper  # type: ignore[return-value]
