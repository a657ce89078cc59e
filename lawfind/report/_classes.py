"""Figure of a classification law: descriptor values per class, with the threshold."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from lawfind.exceptions import DataError
from lawfind.report._style import PALETTE, axis_label, new_axes, publication_style

__all__ = ["plot_class_separation"]


def plot_class_separation(
    values: object,
    labels: Sequence[object],
    threshold: float,
    *,
    ax: Axes | None = None,
    name: str = "descriptor",
    unit: str | None = None,
    bins: int = 40,
    clip_quantiles: tuple[float, float] = (0.01, 0.99),
) -> Axes:
    """Histograms of a descriptor for each class, with the decision threshold as a vertical line.

    Parameters
    ----------
    values : array-like of shape (n_samples,)
        The law's values (``law.decision_function(data)``).
    labels : sequence
        The true class of each sample.
    threshold : float
        The decision threshold (``law.decision.threshold``).
    ax : Axes, optional
    name, unit : str
        Axis label.
    bins : int, default=40
    clip_quantiles : (float, float), default=(0.01, 0.99)
        The x range shown (descriptors such as τ have long tails); values outside are
        drawn in the first or last bin.

    Returns
    -------
    Axes
    """
    x = np.asarray(values, dtype=float).ravel()
    y = np.asarray(labels, dtype=object).ravel()
    if x.shape != y.shape:
        raise DataError(f"values and labels must have the same length, got {x.size} and {y.size}")
    finite = np.isfinite(x)
    if not finite.any():
        raise DataError("the descriptor has no finite value to plot")
    low, high = np.quantile(x[finite], clip_quantiles)
    low, high = min(low, threshold), max(high, threshold)
    edges = np.linspace(low, high, bins + 1)
    with publication_style():
        ax = new_axes(ax)
        for k, label in enumerate(sorted({str(v) for v in y[finite]})):
            chosen = np.clip(x[finite][y[finite].astype(str) == label], low, high)
            ax.hist(chosen, bins=edges, alpha=0.55, color=PALETTE[k % len(PALETTE)],
                    label=f"{label} ({chosen.size})")
        ax.axvline(threshold, color="0.2", linestyle="--", linewidth=1.2, label=f"threshold {threshold:.4g}")
        ax.set_xlabel(axis_label(name, unit))
        ax.set_ylabel("count")
        ax.legend(loc="upper right")
    return ax
