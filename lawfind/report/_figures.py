"""Figures of a run: Pareto front, front variation, parity, residuals, law versus a feature.

Every function takes arrays or result objects, draws on ``ax`` (a new figure when
None) inside :func:`publication_style`, and returns the Axes; none calls ``plt.show``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from lawfind.exceptions import DataError
from lawfind.law import regression_metrics
from lawfind.report._style import PALETTE, axis_label, new_axes, publication_style
from lawfind.search import ParetoFront
from lawfind.uncertainty import StabilityResult

__all__ = ["plot_pareto_front", "plot_front_variation", "plot_parity", "plot_residuals", "plot_versus_feature"]


def _arrays(*arrays: object) -> list[np.ndarray]:
    out = [np.asarray(a, dtype=float).ravel() for a in arrays]
    if len({a.shape for a in out}) != 1:
        raise DataError(f"the arrays to plot must have the same length, got {[a.size for a in out]}")
    return out


def _error_axes(ax: Axes, errors: np.ndarray, front: ParetoFront) -> None:
    """Complexity on x (integers), error on y: logarithmic when it spans more than a decade."""
    errors = errors[np.isfinite(errors)]
    if len(errors) and np.all(errors > 0) and errors.max() > 10 * errors.min():
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("complexity (expression nodes)")
    ax.set_ylabel(_error_label(front))


def _error_label(front: ParetoFront) -> str:
    return "NRMSE" if all(law.decision is None for law in front) else "1 − balanced accuracy"


def plot_pareto_front(front: ParetoFront, *, ax: Axes | None = None, annotate: bool = True) -> Axes:
    """Error against complexity for every law of ``front``; the picked law is ringed.

    Parameters
    ----------
    front : ParetoFront
    ax : Axes, optional
    annotate : bool, default=True
        Write each law's index next to its point.
    """
    with publication_style():
        ax = new_axes(ax)
        complexity = np.array([law.complexity for law in front], dtype=float)
        error = np.array([law.error for law in front], dtype=float)
        ax.step(complexity, error, where="post", color=PALETTE[0], alpha=0.5)
        ax.scatter(complexity, error, color=PALETTE[0], zorder=3, label="Pareto front")
        if len(front):
            best = front.best_index
            ax.scatter([complexity[best]], [error[best]], s=60, facecolors="none", edgecolors=PALETTE[1],
                       linewidths=1.2, zorder=4, label="picked law")
        if annotate:
            for i, (c, e) in enumerate(zip(complexity, error)):
                ax.annotate(str(i), (c, e), textcoords="offset points", xytext=(3, 3), fontsize=6)
        _error_axes(ax, error, front)
        ax.legend(loc="best")
    return ax


def plot_front_variation(stability: StabilityResult, *, ax: Axes | None = None) -> Axes:
    """The run's front (bold) over the fronts found on each resample (thin)."""
    with publication_style():
        ax = new_axes(ax)
        table = stability.front_variation()
        for first, (_, rows) in enumerate(table[table["resample"] >= 0].groupby("resample")):
            ax.step(rows["complexity"], rows["error"], where="post", color="0.6", linewidth=0.6, alpha=0.8,
                    marker=".", markersize=3, label=None if first else "resampled fronts")
        own = table[table["resample"] == -1]
        ax.step(own["complexity"], own["error"], where="post", color=PALETTE[0], linewidth=1.4, marker="o",
                label="run's front", zorder=3)
        _error_axes(ax, table["error"].to_numpy(dtype=float), stability.reference)
        ax.legend(loc="best")
    return ax


def plot_parity(
    y_true: object,
    y_pred: object,
    *,
    ax: Axes | None = None,
    name: str = "y",
    unit: str | None = None,
    label: str | None = None,
    color: str | None = None,
) -> Axes:
    """Predicted against observed values, with the identity line and R²/RMSE in the corner.

    Call it again on the same ``ax`` with another ``label`` and ``color`` to compare laws.
    """
    y_true, y_pred = _arrays(y_true, y_pred)
    with publication_style():
        ax = new_axes(ax)
        metrics = regression_metrics(y_true, y_pred)
        text = f"R² = {metrics['r2']:.3f}, RMSE = {metrics['rmse']:.3g}"
        ax.scatter(y_true, y_pred, s=8, alpha=0.6, color=color, label=f"{label}: {text}" if label else None)
        low = float(np.nanmin([y_true.min(), y_pred.min()]))
        high = float(np.nanmax([y_true.max(), y_pred.max()]))
        if not any(line.get_gid() == "identity" for line in ax.lines):
            ax.plot([low, high], [low, high], color="0.3", linewidth=0.7, linestyle="--", gid="identity")
        if label:
            ax.legend(loc="upper left")
        else:
            ax.text(0.03, 0.97, text, transform=ax.transAxes, va="top", ha="left")
        ax.set_xlabel("observed " + axis_label(name, unit))
        ax.set_ylabel("predicted " + axis_label(name, unit))
    return ax


def plot_residuals(
    y_true: object,
    y_pred: object,
    *,
    ax: Axes | None = None,
    name: str = "y",
    unit: str | None = None,
) -> Axes:
    """Residuals (observed − predicted) against predicted values, with the zero line."""
    y_true, y_pred = _arrays(y_true, y_pred)
    with publication_style():
        ax = new_axes(ax)
        ax.scatter(y_pred, y_true - y_pred, s=8, alpha=0.6)
        ax.axhline(0.0, color="0.3", linewidth=0.7, linestyle="--")
        ax.set_xlabel("predicted " + axis_label(name, unit))
        ax.set_ylabel("residual " + axis_label("", unit).strip() if unit else "residual")
    return ax


def plot_versus_feature(
    x: object,
    y: object,
    curves: Mapping[str, object],
    *,
    ax: Axes | None = None,
    x_name: str = "x",
    x_unit: str | None = None,
    y_name: str = "y",
    y_unit: str | None = None,
) -> Axes:
    """The data (``y`` against one feature ``x``) with one line per law.

    Parameters
    ----------
    x, y : array-like
    curves : mapping of label to array-like
        Each law's predictions at ``x`` (laws of ``x`` alone); drawn sorted by ``x``.
    """
    x, y = _arrays(x, y)
    with publication_style():
        ax = new_axes(ax)
        ax.scatter(x, y, s=8, alpha=0.45, color="0.45", label="data")
        order = np.argsort(x, kind="stable")
        for k, (label, values) in enumerate(curves.items()):
            (values,) = _arrays(values)
            if values.shape != x.shape:
                raise DataError(f"curve {label!r} has {values.size} values for {x.size} points")
            ax.plot(x[order], values[order], color=PALETTE[k % len(PALETTE)], linestyle=("-", "--", ":", "-.")[k % 4],
                    label=label)
        ax.set_xlabel(axis_label(x_name, x_unit))
        ax.set_ylabel(axis_label(y_name, y_unit))
        ax.legend(loc="upper left")
    return ax
