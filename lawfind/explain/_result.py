"""The :class:`Explanation`: SHAP values of one model, with what exactly they explain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import DataError

__all__ = ["Explanation", "additivity_error", "PERTURBATION"]

#: The only perturbation lawfind uses, for black boxes and laws alike: features outside a
#: coalition take values from background rows, independently of the features inside it
#: (``shap.maskers.Independent``; ``feature_perturbation="interventional"`` for trees).
PERTURBATION = "interventional"


def additivity_error(values: np.ndarray, base_values: np.ndarray, output: np.ndarray) -> float:
    """The largest ``|Σ_j φ_j(x) + base(x) − f(x)|`` over the rows (NaN rows count as infinite)."""
    gap = np.abs(np.asarray(values, dtype=float).sum(axis=1) + np.asarray(base_values, dtype=float)
                 - np.asarray(output, dtype=float))
    if gap.size == 0:
        return 0.0
    return float(np.max(np.where(np.isfinite(gap), gap, np.inf)))


@dataclass(frozen=True, eq=False)
class Explanation:
    """SHAP values of one model on some rows, against one background.

    Attributes
    ----------
    values : ndarray of shape (n_samples, n_features)
        SHAP value of each feature on each row.
    base_values : ndarray of shape (n_samples,)
        The expected output over the background (the same for every row here).
    data : ndarray of shape (n_samples, n_features)
        The explained rows.
    feature_names : tuple of str
    output : ndarray of shape (n_samples,)
        The explained output computed directly from the model, ``f(x)``:
        ``values.sum(1) + base_values`` equals it within :attr:`max_additivity_error`.
    model : str
        Name of the explained model (``"random forest"``, ``"law"``...).
    explained : str
        What ``f`` is: ``"prediction"``, ``"probability of class 1"``,
        ``"decision function (log-odds) of class 1"``, ``"law value (decision score)"``...
    method : str
        How the values were computed: ``"tree"`` (``shap.TreeExplainer``), ``"exact"``
        (``shap.explainers.Exact``), ``"permutation"`` (``shap.explainers.Permutation``)
        ``"additive"`` (closed form per separable term of a law) or ``"linear"`` (closed form
        for a linear model).
    background_size : int
        Rows of the background data.
    perturbation : str, default="interventional"
        See :data:`PERTURBATION`.
    max_additivity_error : float
        Largest gap between ``values.sum(1) + base_values`` and ``output``.
    tolerance : float
        The gap allowed; :attr:`additive` tells whether it was met.
    seconds : float
        Time taken to compute the values.
    index : ndarray of shape (n_samples,)
        Row labels of the explained rows in the source table.
    notes : tuple of str
        Anything worth knowing (e.g. which features a law ignores).
    threshold : float, optional
        For classifiers: the output value above which the explained class is predicted
        (0.5 for a probability, 0 for a decision function, a law's threshold).
    """

    values: np.ndarray
    base_values: np.ndarray
    data: np.ndarray
    feature_names: tuple[str, ...]
    output: np.ndarray
    model: str
    explained: str
    method: str
    background_size: int
    perturbation: str = PERTURBATION
    max_additivity_error: float = 0.0
    tolerance: float = 0.0
    seconds: float = 0.0
    index: np.ndarray | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    threshold: float | None = None

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=float)
        data = np.asarray(self.data, dtype=float)
        names = tuple(str(n) for n in self.feature_names)
        if values.ndim != 2 or values.shape != data.shape or values.shape[1] != len(names):
            raise DataError(f"SHAP values {values.shape} and data {data.shape} must both be (n_samples, "
                            f"{len(names)} features)")
        base = np.broadcast_to(np.asarray(self.base_values, dtype=float), (len(values),)).copy()
        output = np.asarray(self.output, dtype=float).reshape(-1)
        if len(output) != len(values):
            raise DataError(f"{len(output)} outputs for {len(values)} explained rows")
        index = np.arange(len(values)) if self.index is None else np.asarray(self.index)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "base_values", base)
        object.__setattr__(self, "output", output)
        object.__setattr__(self, "feature_names", names)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def additive(self) -> bool:
        """True when the values add up to the output within :attr:`tolerance`."""
        return bool(self.max_additivity_error <= self.tolerance)

    @property
    def n_rows(self) -> int:
        """Number of explained rows."""
        return int(self.values.shape[0])

    def importance(self) -> pd.Series:
        """Mean |SHAP| of each feature (in the order of :attr:`feature_names`)."""
        return pd.Series(np.mean(np.abs(self.values), axis=0), index=list(self.feature_names), name=self.model)

    def to_frame(self, prefix: str = "shap: ") -> pd.DataFrame:
        """One row per explained row: its label, the output, the base value and the SHAP values."""
        frame = pd.DataFrame(self.values, columns=[prefix + name for name in self.feature_names])
        frame.insert(0, "base_value", self.base_values)
        frame.insert(0, "output", self.output)
        frame.insert(0, "row", self.index)
        return frame

    def describe(self) -> dict[str, Any]:
        """The facts of the explanation, without the arrays (JSON-ready)."""
        return {
            "model": self.model,
            "explained": self.explained,
            "method": self.method,
            "perturbation": self.perturbation,
            "background_size": int(self.background_size),
            "rows": self.n_rows,
            "base_value": float(self.base_values[0]) if self.n_rows else float("nan"),
            "max_additivity_error": float(self.max_additivity_error),
            "tolerance": float(self.tolerance),
            "additive": self.additive,
            "seconds": round(float(self.seconds), 4),
            "notes": list(self.notes),
            **({"threshold": float(self.threshold)} if self.threshold is not None else {}),
        }

    def to_shap(self) -> Any:
        """The same values as a ``shap.Explanation`` (for shap's own plots)."""
        from lawfind.explain._shap import import_shap

        shap = import_shap()
        return shap.Explanation(self.values, base_values=self.base_values, data=self.data,
                                feature_names=list(self.feature_names))

    def select(self, features: Sequence[str]) -> np.ndarray:
        """Column indices of ``features`` (DataError for an unknown name)."""
        names = list(self.feature_names)
        missing = [f for f in features if f not in names]
        if missing:
            raise DataError(f"no SHAP values for feature(s) {missing}; features: {names}")
        return np.array([names.index(f) for f in features], dtype=int)
