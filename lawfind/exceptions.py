"""Exceptions and warnings raised by lawfind.

The hierarchy::

    LawfindError                      base of every lawfind error
    ├── DataError (ValueError)        a table, column or value that cannot be used
    ├── ConfigError (ValueError)      an option that is unknown or out of range
    ├── ExpressionError (ValueError)  an expression string outside the safe grammar
    ├── RunError (ValueError)         a run folder that is missing, corrupt or foreign
    ├── SearchError (RuntimeError)    an engine that failed while searching
    └── MissingDependencyError (ImportError)  an optional package that is not installed

    LawfindWarning (UserWarning)      something was changed or skipped; always recorded

Every message says what is wrong, where, and how to fix it.  The CLI turns any
``LawfindError`` into one line on stderr and exit code 2.
"""

from __future__ import annotations

__all__ = [
    "LawfindError",
    "DataError",
    "ConfigError",
    "ExpressionError",
    "RunError",
    "SearchError",
    "MissingDependencyError",
    "LawfindWarning",
]


class LawfindError(Exception):
    """Base class of every error raised on purpose by lawfind."""


class DataError(LawfindError, ValueError):
    """A data table, column or value cannot be used as given."""


class ConfigError(LawfindError, ValueError):
    """An option is unknown, of the wrong type, or out of range."""


class ExpressionError(LawfindError, ValueError):
    """An expression string uses syntax, names or functions outside the safe grammar."""


class RunError(LawfindError, ValueError):
    """A run folder is missing, corrupt, foreign, or would be overwritten."""


class SearchError(LawfindError, RuntimeError):
    """A search engine failed."""


class MissingDependencyError(LawfindError, ImportError):
    """An optional dependency is needed but not installed (the message says how to get it)."""


class LawfindWarning(UserWarning):
    """Something was dropped, changed or skipped; the result records it too."""
