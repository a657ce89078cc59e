"""The ``lawfind`` command line."""

from lawfind.cli._app import app, main

__all__ = ["app", "main"]
