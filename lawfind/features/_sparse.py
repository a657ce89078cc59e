"""The LASSO / elastic-net path step (L1-logistic for classes)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError
from lawfind.features._base import BaseSelector, Task, check_cv
from lawfind.features._path import RegPath, cv_path

__all__ = ["LassoSelector", "check_l1_ratio", "check_int"]


def check_int(value: Any, name: str, owner: str, low: int) -> None:
    """ConfigError unless ``value`` is an integer >= ``low``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ConfigError(f"{name} of {owner} must be an integer >= {low}, got {value!r}")


def check_l1_ratio(value: Any, owner: str) -> tuple[float, ...]:
    """The l1_ratio option as a tuple of numbers in (0, 1]."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values or any(isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 1 for v in values):
        raise ConfigError(f"l1_ratio of {owner} must be a number in (0, 1] or a list of them, got {value!r}")
    return tuple(float(v) for v in values)


def _ordinal(k: int) -> str:
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


class LassoSelector(BaseSelector):
    """Keep the columns with a nonzero coefficient on a cross-validated sparse path.

    Regression: an elastic-net path (``ElasticNetCV``; ``l1_ratio=1`` is the LASSO) on
    standardized columns and target.  Classification: an L1-penalised logistic
    regression path, cross-validated on the log-loss.  The penalty is chosen by the
    one-standard-error rule (the sparsest model within one SE of the best CV loss) or
    at the best CV loss.  The report also says where on the path each column enters.

    Parameters
    ----------
    l1_ratio : float or sequence of float, default=(0.5, 0.9, 1.0)
        Elastic-net mixing values tried by cross-validation (regression only;
        classification uses the pure L1 penalty).
    cv : int, default=5
        Folds (shuffled; stratified for classification).
    rule : {"1se", "min"}, default="1se"
        How the penalty is picked from the cross-validated path.
    n_alphas : int, default=50
        Points on the path.
    random_state : int, default=0
        Seed of the folds.
    task : {"regression", "classification"}, optional
        Inferred from the target when None.

    Attributes
    ----------
    path_ : RegPath
        The cross-validated path.
    penalty_ : float
        The chosen alpha (regression) or C (classification).
    decisions_ : DataFrame
        ``score`` is the absolute standardized coefficient at the chosen penalty.
    """

    step = "lasso"
    metric = "|standardized coefficient|"

    def __init__(self, l1_ratio: float | tuple[float, ...] = (0.5, 0.9, 1.0), cv: int = 5,
                 rule: Literal["1se", "min"] = "1se", n_alphas: int = 50, random_state: int = 0,
                 task: Task | None = None) -> None:
        self.l1_ratio = l1_ratio
        self.cv = cv
        self.rule = rule
        self.n_alphas = n_alphas
        self.random_state = random_state
        self.task = task

    def _check_params(self) -> None:
        check_l1_ratio(self.l1_ratio, "LassoSelector")
        if self.rule not in ("1se", "min"):
            raise ConfigError(f"rule of LassoSelector must be '1se' or 'min', got {self.rule!r}")
        check_int(self.n_alphas, "n_alphas", "LassoSelector", 5)
        check_int(self.random_state, "random_state", "LassoSelector", 0)

    def _loosen(self) -> str:
        return ("the sparse linear path keeps no column at the chosen penalty; use rule='min', or leave the step "
                "'lasso' out (the target may not depend linearly or monotonically on any single column)")

    def _decide(self, X: pd.DataFrame, y: np.ndarray, task: Task):
        cv = check_cv(self.cv, y, task, self.step)
        path = cv_path(X.to_numpy(), y, task, l1_ratios=check_l1_ratio(self.l1_ratio, "LassoSelector"), cv=cv,
                       seed=int(self.random_state), n_grid=int(self.n_alphas))
        chosen = path.choose(self.rule)
        self.path_, self.penalty_ = path, float(path.grid[chosen])
        coef = path.coefs[:, chosen]
        kept = coef > 1e-10
        return kept, coef, self._reasons(path, chosen, kept)

    def _reasons(self, path: RegPath, chosen: int, kept: np.ndarray) -> list[str]:
        entry = path.entry()
        order = {i: k + 1 for k, i in enumerate(np.argsort(entry, kind="stable"))}
        at = f"{path.name}={path.grid[chosen]:.3g}"
        mix = f", l1_ratio={path.l1_ratio:g}" if path.name == "alpha" and path.l1_ratio != 1 else ""
        where = f"the cross-validated {at}{mix} ({'1-SE rule' if self.rule == '1se' else 'lowest CV loss'})"
        reasons = []
        for i, keep in enumerate(kept):
            if keep:
                reasons.append(f"coefficient {path.coefs[i, chosen]:.3g} at {where}; enters the path "
                               f"{_ordinal(order[i])} of {len(kept)}")
            elif entry[i] < chosen:
                reasons.append(f"coefficient 0 at {where}; it entered the path at {path.name}="
                               f"{path.grid[entry[i]]:.3g} and left it again")
            elif entry[i] < len(path.grid):
                reasons.append(f"coefficient 0 at {where}; enters the path only at {path.name}="
                               f"{path.grid[entry[i]]:.3g}")
            else:
                reasons.append(f"coefficient 0 at {where}; never enters the path")
        return reasons
