"""SHAP figures from arrays: a summary (beeswarm) and a law-versus-black-box dependence plot.

lawfind computes no SHAP values here: these functions draw values computed elsewhere
(the explain step), so a report can show them whenever a run has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize

from lawfind.exceptions import DataError
from lawfind.report._style import PALETTE, axis_label, new_axes, publication_style

__all__ = ["ShapArrays", "plot_shap_summary", "plot_law_dependence"]


@dataclass(frozen=True)
class ShapArrays:
    """SHAP values of a black-box model, optionally with the law's own attributions.

    Attributes
    ----------
    values : ndarray of shape (n_samples, n_features)
        SHAP values of the black box.
    data : ndarray of shape (n_samples, n_features)
        The feature values they explain.
    feature_names : sequence of str
    law_values : ndarray of shape (n_samples, n_features), optional
        The law's attributions (e.g. its SHAP values, or centred partial effects).
    model : str, default="black box"
        Name of the explained model, for legends.
    """

    values: np.ndarray
    data: np.ndarray
    feature_names: Sequence[str]
    law_values: np.ndarray | None = None
    model: str = "black box"

    def __post_init__(self) -> None:
        values, data = np.asarray(self.values, dtype=float), np.asarray(self.data, dtype=float)
        if values.ndim != 2 or values.shape != data.shape or values.shape[1] != len(self.feature_names):
            raise DataError(f"SHAP values {values.shape} and data {data.shape} must both be (n_samples, "
                            f"{len(self.feature_names)} features)")
        if self.law_values is not None and np.shape(self.law_values) != values.shape:
            raise DataError(f"law attributions have shape {np.shape(self.law_values)}, expected {values.shape}")

    def feature_index(self, name: str) -> int:
        """Column of feature ``name``."""
        try:
            return list(self.feature_names).index(name)
        except ValueError:
            raise DataError(f"no SHAP values for feature {name!r}; features: {list(self.feature_names)}") from None


def plot_shap_summary(shap: ShapArrays, *, ax: Axes | None = None, max_display: int = 10) -> Axes:
    """Beeswarm-style summary: one row per feature (largest mean |SHAP| on top), coloured by value."""
    values, data = np.asarray(shap.values, dtype=float), np.asarray(shap.data, dtype=float)
    order = np.argsort(-np.mean(np.abs(values), axis=0), kind="stable")[:max_display]
    rng = np.random.default_rng(0)
    with publication_style():
        ax = new_axes(ax)
        points = None
        for row, j in enumerate(order[::-1]):
            column = data[:, j]
            span = np.ptp(column) or 1.0
            jitter = rng.uniform(-0.3, 0.3, len(column))
            points = ax.scatter(values[:, j], np.full(len(column), row) + jitter, c=(column - column.min()) / span,
                                cmap="coolwarm", norm=Normalize(0, 1), s=5, alpha=0.8)
        ax.axvline(0.0, color="0.3", linewidth=0.6)
        ax.set_yticks(range(len(order)))
        ax.set_yticklabels([axis_label(shap.feature_names[j]) for j in order[::-1]])
        ax.set_xlabel(f"SHAP value ({shap.model})")
        if points is not None:
            bar = ax.figure.colorbar(points, ax=ax, ticks=[0, 1], aspect=30, pad=0.02)
            bar.ax.set_yticklabels(["low", "high"])
            bar.set_label("feature value")
            bar.outline.set_linewidth(0.4)
    return ax


def plot_law_dependence(shap: ShapArrays, feature: str, *, ax: Axes | None = None, unit: str | None = None) -> Axes:
    """SHAP dependence of the black box on ``feature``, with the law's attribution over it."""
    j = shap.feature_index(feature)
    x = np.asarray(shap.data, dtype=float)[:, j]
    with publication_style():
        ax = new_axes(ax)
        ax.scatter(x, np.asarray(shap.values, dtype=float)[:, j], s=6, alpha=0.5, color=PALETTE[0],
                   label=shap.model)
        if shap.law_values is not None:
            order = np.argsort(x, kind="stable")
            ax.plot(x[order], np.asarray(shap.law_values, dtype=float)[order, j], color=PALETTE[1], label="law")
        ax.axhline(0.0, color="0.3", linewidth=0.6, linestyle="--")
        ax.set_xlabel(axis_label(feature, unit))
        ax.set_ylabel("SHAP value")
        ax.legend(loc="upper left")
    return ax
