"""Engines by name, with "did you mean" suggestions."""

from __future__ import annotations

import difflib
from typing import Any

from lawfind.exceptions import ConfigError
from lawfind.search._base import Engine
from lawfind.search._operon import OperonEngine
from lawfind.search._portfolio import PortfolioEngine
from lawfind.search._pysr import PySREngine
from lawfind.search._sparse import SparseEngine
from lawfind.search.sisso import SissoEngine

__all__ = ["ENGINES", "make_engine", "engine_names"]

ENGINES: dict[str, type[Engine]] = {
    OperonEngine.name: OperonEngine,
    PortfolioEngine.name: PortfolioEngine,
    SparseEngine.name: SparseEngine,
    PySREngine.name: PySREngine,
    SissoEngine.name: SissoEngine,
}


def engine_names() -> list[str]:
    """Names of the available engines."""
    return sorted(ENGINES)


def make_engine(engine: str | Engine, **options: Any) -> Engine:
    """An engine instance from a name (plus options) or an instance (returned as is).

    Raises
    ------
    ConfigError
        For an unknown name (with the closest known name) or an unknown option.
    """
    if isinstance(engine, Engine):
        if options:
            raise ConfigError("engine options can only be given with an engine name, not with an Engine instance")
        engine.validate()
        return engine
    if not isinstance(engine, str) or engine not in ENGINES:
        close = difflib.get_close_matches(str(engine).lower(), list(ENGINES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "."
        raise ConfigError(f"unknown engine {engine!r}{hint} Available engines: {engine_names()}")
    cls = ENGINES[engine]
    try:
        instance = cls(**options)
    except TypeError as exc:
        raise ConfigError(f"bad option for engine {engine!r}: {exc}") from None
    instance.validate()
    return instance
