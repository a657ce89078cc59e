"""Which engines the explorer can offer, and why the others are unavailable."""

from __future__ import annotations

from dataclasses import dataclass

from lawfind.search import ENGINES
from lawfind.search import pysr_status as library_pysr_status

__all__ = ["EngineChoice", "engine_choices", "default_engine", "pysr_status", "SPARSE_METHODS"]

_DESCRIPTIONS = {
    "operon": "symbolic regression (pyoperon genetic programming)",
    "portfolio": "power laws, transforms, sparse, sisso and operon in one budget (the CLI's default for regression)",
    "sparse": "sparse linear laws over a descriptor library",
    "sisso": "SISSO-style descriptor search",
    "pysr": "symbolic regression (PySR, Julia)",
}

#: The sparse engine's term-selection methods, as offered in the app (``SparseEngine(method=...)``).
SPARSE_METHODS = {
    "auto": "best subset while it is small enough, else forward stepwise",
    "best_subset": "every subset (exact, slow for large libraries)",
    "forward": "forward stepwise (add the term that lowers the error most)",
    "beam": "forward stepwise keeping the 10 best supports per size",
    "omp": "orthogonal matching pursuit",
    "lasso": "the LASSO path",
}


@dataclass(frozen=True)
class EngineChoice:
    """An engine as offered in the app.

    Attributes
    ----------
    name : str
    description : str
    available : bool
    reason : str
        Why it is not available ("" when it is).
    """

    name: str
    description: str
    available: bool
    reason: str = ""


def pysr_status() -> str:
    """Why PySR cannot be used here ("" if it can), from :func:`lawfind.search.pysr_status`.

    That check never imports pysr (importing it starts Julia, or tries to download one).
    """
    available, reason = library_pysr_status()
    if available and "pysr" not in ENGINES:
        return "PySR is installed but this version of lawfind has no pysr engine"
    return "" if available else reason


def default_engine(choices: list[EngineChoice], task: str = "regression") -> str:
    """The engine the app selects first: the one ``lawfind discover`` runs for ``task`` (engine
    ``"auto"``: portfolio for regression, sisso for classification), else the first available.

    Raises
    ------
    ValueError
        If no choice is available.
    """
    from lawfind._discover import AUTO_ENGINES

    available = [c.name for c in choices if c.available]
    if not available:
        raise ValueError(f"no engine is available for {task}")
    return AUTO_ENGINES.get(task) if AUTO_ENGINES.get(task) in available else available[0]


def engine_choices(task: str = "regression") -> list[EngineChoice]:
    """The registered engines (and PySR), each available or not for ``task``, with the reason.

    Parameters
    ----------
    task : {"regression", "classification"}, default="regression"
    """
    choices = []
    for name in sorted(ENGINES):
        cls = ENGINES[name]
        description = _DESCRIPTIONS.get(name, name)
        if name == "pysr" and pysr_status():
            choices.append(EngineChoice(name, description, False, pysr_status()))
        elif task == "classification" and not cls.supports_classification:
            choices.append(EngineChoice(name, description, False, f"{name} does not support classification"))
        else:
            choices.append(EngineChoice(name, description, True))
    if "pysr" not in ENGINES:
        choices.append(EngineChoice("pysr", _DESCRIPTIONS["pysr"], False,
                                    pysr_status() or "lawfind has no pysr engine in this version"))
    return choices
