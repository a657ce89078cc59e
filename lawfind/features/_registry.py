"""Step names for ``select(steps=...)`` and the CLI's ``--select``."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from lawfind.exceptions import ConfigError
from lawfind.features._base import BaseSelector
from lawfind.features._filters import ConstantFilter, CorrelationFilter
from lawfind.features._models import PermutationSelector, RFECVSelector
from lawfind.features._screening import MutualInfoFilter, SISFilter
from lawfind.features._sparse import LassoSelector
from lawfind.features._stability import StabilitySelector

__all__ = ["STEPS", "AUTO_STEPS", "parse_steps", "make_step"]

#: Every step by name, in a sensible pipeline order.
STEPS: dict[str, type[BaseSelector]] = {
    cls.step: cls for cls in (ConstantFilter, CorrelationFilter, MutualInfoFilter, SISFilter, LassoSelector,
                              StabilitySelector, RFECVSelector, PermutationSelector)
}
#: ``steps="auto"``: cheap filters, a nonlinear screen to at most 20 columns, then the sparse path.
AUTO_STEPS: tuple[str, ...] = ("constant", "correlation", "mutual_info", "lasso")
_WORDS = ("auto", "none")


def _unknown(name: str) -> ConfigError:
    close = difflib.get_close_matches(name, [*STEPS, *_WORDS], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    return ConfigError(f"unknown selection step {name!r}{hint} Steps: {', '.join(STEPS)} (or 'auto', 'none')")


def parse_steps(steps: str | Sequence[str | BaseSelector] | None) -> list[str | BaseSelector]:
    """The steps to run: ``"auto"``, ``"none"`` (no step), ``"a,b"`` or a list of names and step objects.

    Raises
    ------
    ConfigError
        For an unknown name (with the closest match), a repeated step, or an empty list.
    """
    if steps is None:
        return []
    if isinstance(steps, str):
        text = steps.strip().lower()
        if text == "none":
            return []
        if text == "auto":
            return list(AUTO_STEPS)
        items: list[Any] = [s.strip() for s in text.split(",")]
        if not all(items):
            raise ConfigError(f"selection steps {steps!r} have an empty name; give comma-separated step names, "
                              f"e.g. 'constant,correlation,lasso'")
    elif isinstance(steps, Sequence):
        items = list(steps)
    else:
        raise ConfigError(f"steps must be 'auto', 'none', a comma-separated string or a list, got {steps!r}")
    out: list[str | BaseSelector] = []
    for item in items:
        if isinstance(item, BaseSelector):
            out.append(item)
        elif isinstance(item, str) and item.strip().lower() in STEPS:
            out.append(item.strip().lower())
        elif isinstance(item, str):
            raise _unknown(item) if item.strip().lower() not in _WORDS else ConfigError(
                f"{item!r} cannot be combined with other steps; pass steps={item!r} alone")
        else:
            raise ConfigError(f"a selection step must be a step name or a lawfind.features step object, got "
                              f"{type(item).__name__}")
    names = [s if isinstance(s, str) else s.step for s in out]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"selection step(s) {repeated} listed more than once")
    if not out:
        raise ConfigError("no selection step given; use steps='none' to skip selection")
    return out


def make_step(item: str | BaseSelector, *, task: str, cv: int, seed: int,
              options: dict[str, dict[str, Any]] | None = None) -> BaseSelector:
    """A fresh step: a named one with the shared task, folds and seed (and ``options[name]``); objects are cloned."""
    from sklearn.base import clone

    if isinstance(item, BaseSelector):
        return clone(item)
    cls = STEPS[item]
    params = cls().get_params()
    shared = {"task": task, "cv": cv, "random_state": seed}
    kwargs = {k: v for k, v in shared.items() if k in params}
    extra = dict((options or {}).get(item, {}))
    unknown = [k for k in extra if k not in params]
    if unknown:
        raise ConfigError(f"unknown option(s) {unknown} for the step {item!r}; it takes {sorted(params)}")
    return cls(**{**kwargs, **extra})
