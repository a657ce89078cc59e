"""The engine interface every search backend implements."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from lawfind._progress import ProgressCallback
from lawfind.law import Decision

__all__ = ["Engine", "SearchResult"]


@dataclass
class SearchResult:
    """What an engine returns: candidate expressions over ``x0``, ``x1``, ...

    Attributes
    ----------
    expressions : list of sympy.Expr
        Candidates (raw: the shared post-processing simplifies, snaps and refits them).
    interrupted : bool
        True if the search was stopped early (Ctrl-C); the expressions are the best so far.
    info : dict
        Engine-specific facts for the run record (generations, chosen term count...).
    decisions : list of Decision or None, optional
        For classification engines: one :class:`~lawfind.law.Decision` per expression
        (threshold and labels); None for regression.
    """

    expressions: list[sp.Expr]
    interrupted: bool = False
    info: dict[str, Any] = field(default_factory=dict)
    decisions: list[Decision] | None = None


class Engine(ABC):
    """A search backend.

    Subclasses are dataclasses whose fields are the engine's options; they declare
    what they support with class flags and implement :meth:`search`.  An engine must
    catch ``KeyboardInterrupt`` itself and return its best-so-far candidates with
    ``interrupted=True``.
    """

    name: ClassVar[str] = ""
    supports_classification: ClassVar[bool] = False
    supports_units: ClassVar[bool] = False

    def validate(self) -> None:
        """Check the options; raise :class:`~lawfind.exceptions.ConfigError` if one is bad."""

    @abstractmethod
    def search(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        time_limit: float,
        seed: int,
        progress: ProgressCallback,
    ) -> SearchResult:
        """Search for laws ``y ≈ f(X)``; column ``i`` of ``X`` is the symbol ``x{i}``."""

    def get_config(self) -> dict[str, Any]:
        """The options as a JSON-ready dict (recorded in ``run.json``)."""
        out: dict[str, Any] = {"name": self.name}
        if dataclasses.is_dataclass(self):
            for f in dataclasses.fields(self):
                value = getattr(self, f.name)
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out
