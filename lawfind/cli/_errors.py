"""Turn user errors into one line on stderr and exit code 2 (no traceback)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer

from lawfind.exceptions import LawfindError

__all__ = ["user_errors", "fail", "run_cli"]

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` (on one line) to stderr and return the exit to raise (code 2)."""
    print("error: " + " ".join(line.strip() for line in str(message).splitlines()), file=sys.stderr)
    return typer.Exit(code=2)


def _os_message(exc: OSError) -> str:
    where = f"{str(exc.filename)!r}: " if exc.filename else ""
    return f"cannot read or write {where}{exc.strerror or exc}; check the path and its permissions"


def user_errors(func: F) -> F:
    """Decorator: lawfind errors (and file-system errors) become ``error: ...`` and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LawfindError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            raise fail(_os_message(exc)) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(code=130) from None

    return wrapper  # type: ignore[return-value]


def run_cli(app: typer.Typer, args: Sequence[str] | None = None) -> int:
    """Run ``app`` and return its exit code; usage errors become one ``error:`` line too.

    Typer would draw a box under a usage line; scripts and users get the same one-line
    ``error: ...`` (exit code 2) as for bad data instead.
    """
    try:
        code = app(args=None if args is None else list(args), standalone_mode=False)
    except typer.TyperException as exc:  # Click's usage errors (bad or missing options)
        if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments: Typer has printed the help
            if exc.format_message().strip():
                print(exc.format_message(), file=sys.stderr)
            return 2
        ctx = getattr(exc, "ctx", None)
        hint = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
        fail(exc.format_message().rstrip(".") + hint)
        return int(getattr(exc, "exit_code", 2) or 2)
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 1
    return code if isinstance(code, int) else 0
