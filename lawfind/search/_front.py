"""The :class:`ParetoFront` of laws (complexity vs error) and its pick rule."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError, RunError
from lawfind.law import Law

__all__ = ["ParetoFront", "PickRule", "pareto_filter"]


@dataclass(frozen=True)
class PickRule:
    """How one law is picked from a front: *the simplest law within a tolerance of the best*.

    Let ``e_min`` be the smallest training error on the front (NRMSE; for classifiers
    1 − the decision's metric, balanced accuracy or accuracy, see :attr:`Law.error`) (an estimate of the noise
    level when the data are noisy, ~0 when they are clean).  The pick is the law of
    lowest complexity with ``nrmse <= e_min * (1 + rel_tol) + abs_tol``.

    On clean data this picks the shortest exact law (errors of exact laws are ~1e-12,
    of approximations ≫ ``abs_tol``); on noisy data it accepts a simpler law whose
    RMSE is at most ``rel_tol`` (5 %) worse than the most accurate one.

    Parameters
    ----------
    rel_tol : float, default=0.05
    abs_tol : float, default=1e-8
    """

    rel_tol: float = 0.05
    abs_tol: float = 1e-8

    def __post_init__(self) -> None:
        for name in ("rel_tol", "abs_tol"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
                raise ConfigError(f"PickRule.{name} must be a finite number ≥ 0, got {value!r}")

    def pick(self, laws: Sequence[Law]) -> int:
        """Index of the picked law in ``laws`` (which must be non-empty)."""
        errors = np.array([law.error for law in laws], dtype=float)
        best = float(np.min(errors))
        limit = best * (1 + self.rel_tol) + self.abs_tol
        eligible = [i for i, e in enumerate(errors) if e <= limit]
        return min(eligible, key=lambda i: (laws[i].complexity, errors[i]))


def pareto_filter(laws: Iterable[Law]) -> list[Law]:
    """Keep the non-dominated laws (lower complexity or lower error), sorted by complexity.

    Among laws of equal complexity only the most accurate is kept; a law is kept only
    if it is strictly more accurate than every simpler law.
    """
    finite = [law for law in laws if np.isfinite(law.error)]
    ordered = sorted(finite, key=lambda law: (law.complexity, law.error))
    front: list[Law] = []
    for law in ordered:
        if front and law.complexity == front[-1].complexity:
            continue
        if front and law.error >= front[-1].error:
            continue
        front.append(law)
    return front


class ParetoFront(Sequence[Law]):
    """Laws ordered by complexity, each more accurate than every simpler one.

    Parameters
    ----------
    laws : iterable of Law
        Candidates; dominated ones are dropped (see :func:`pareto_filter`).
    rule : PickRule, optional
        The pick rule; :class:`PickRule` defaults when omitted.

    Attributes
    ----------
    best_index : int
        Position of the picked law.
    """

    def __init__(self, laws: Iterable[Law], rule: PickRule | None = None) -> None:
        self._laws = pareto_filter(laws)
        self.rule = rule or PickRule()
        self.best_index = self.rule.pick(self._laws) if self._laws else -1

    def __len__(self) -> int:
        return len(self._laws)

    def __getitem__(self, index):  # type: ignore[override]
        return self._laws[index]

    def __iter__(self) -> Iterator[Law]:
        return iter(self._laws)

    @property
    def best(self) -> Law:
        """The picked law."""
        if not self._laws:
            raise RunError("the Pareto front is empty: the search found no finite law")
        return self._laws[self.best_index]

    def law(self, index: int) -> Law:
        """The law at ``index``, with a clear error when it is out of range."""
        if not isinstance(index, (int, np.integer)) or not -len(self) <= index < len(self):
            raise RunError(f"law index {index} is out of range: the front has {len(self)} law(s), 0..{len(self) - 1}")
        return self._laws[index]

    def to_frame(self, precision: int = 6) -> pd.DataFrame:
        """One row per law: complexity, metrics, the equation, and which one is picked."""
        rows = []
        for i, law in enumerate(self._laws):
            rows.append({
                "index": i,
                "picked": i == self.best_index,
                "complexity": law.complexity,
                **{k: law.metrics[k] for k in ("r2", "rmse", "nrmse", "accuracy", "balanced_accuracy")
                   if k in law.metrics},
                "equation": law.equation(precision),
                "origin": law.origin,
            })
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the laws, the picked index and the rule."""
        return {
            "laws": [law.to_dict() for law in self._laws],
            "best_index": self.best_index,
            "rule": {"name": "simplest_within_tolerance", "rel_tol": self.rule.rel_tol, "abs_tol": self.rule.abs_tol},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ParetoFront":
        """Rebuild a front written by :meth:`to_dict` (laws go through the safe parser)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("laws"), list):
            raise RunError("a front must be an object with a 'laws' list")
        rule_data = data.get("rule") or {}
        rule = PickRule(float(rule_data.get("rel_tol", 0.05)), float(rule_data.get("abs_tol", 1e-8)))
        front = cls([Law.from_dict(entry) for entry in data["laws"]], rule)
        stored = data.get("best_index")
        if stored is not None and len(front):  # runs without it are picked again by the rule
            if isinstance(stored, bool) or not isinstance(stored, int) or not 0 <= stored < len(front):
                raise RunError(f"the front's best_index {stored!r} is not the position of one of its "
                               f"{len(front)} law(s) (0..{len(front) - 1}); the laws file was edited or damaged")
            front.best_index = stored
        return front
