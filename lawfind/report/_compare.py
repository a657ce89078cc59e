"""Figures of a law-versus-black-box comparison: importance side by side, SHAP dependence with the law's PD.

They draw tables and arrays computed by :mod:`lawfind.explain` (or read back from a run's
``compare/`` folder); nothing is fitted here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from lawfind.exceptions import DataError
from lawfind.report._document import Section
from lawfind.report._style import PALETTE, axis_label, new_axes, publication_style

__all__ = ["plot_importance_comparison", "plot_shap_dependence", "comparison_section"]


def plot_importance_comparison(importance: pd.DataFrame, *, ax: Axes | None = None, max_display: int = 12,
                               law_label: str = "law", model_label: str = "black box") -> Axes:
    """Horizontal bars of each feature's share of mean |SHAP|, law and black box side by side.

    Parameters
    ----------
    importance : DataFrame
        With columns ``feature``, ``law_share`` and ``black_box_share`` (as from
        :func:`lawfind.explain.importance_table`); the first ``max_display`` rows are drawn,
        the first on top.
    ax : Axes, optional
    max_display : int, default=12
    law_label, model_label : str
        Legend entries.

    Returns
    -------
    Axes
    """
    missing = {"feature", "law_share", "black_box_share"} - set(importance.columns)
    if missing:
        raise DataError(f"the importance table lacks the column(s) {sorted(missing)}")
    shown = importance.head(max_display)
    rows = np.arange(len(shown))[::-1]
    with publication_style():
        ax = new_axes(ax, figsize=(3.4, 0.6 + 0.28 * max(len(shown), 1)))
        ax.barh(rows + 0.2, 100 * shown["black_box_share"].to_numpy(float), height=0.4, color=PALETTE[0],
                label=model_label)
        ax.barh(rows - 0.2, 100 * shown["law_share"].to_numpy(float), height=0.4, color=PALETTE[1], label=law_label)
        ax.set_yticks(rows)
        ax.set_yticklabels([axis_label(f) for f in shown["feature"]])
        ax.set_xlabel("share of mean |SHAP| (%)")
        ax.legend(loc="lower right")
    return ax


def plot_shap_dependence(x: np.ndarray, shap_values: np.ndarray, *, feature: str, ax: Axes | None = None,
                         model: str = "black box", law_curve: tuple[np.ndarray, np.ndarray] | None = None,
                         law_values: np.ndarray | None = None, twin: bool = False, unit: str | None = None,
                         law_label: str = "law") -> Axes:
    """A black box's SHAP values of ``feature`` against its value, with the law over them.

    Parameters
    ----------
    x, shap_values : ndarray of shape (n_samples,)
        The feature's values and the black box's SHAP values of it.
    feature : str
    ax : Axes, optional
    model : str, default="black box"
    law_curve : (grid, pd), optional
        The law's centred partial dependence (a line).
    law_values : ndarray of shape (n_samples,), optional
        The law's SHAP values of ``feature`` on the same rows (small points).
    twin : bool, default=False
        Draw the law on a second y-axis (when the two models' outputs are different
        quantities, e.g. a classifier's probability and a law's decision score).
    unit : str, optional
        Unit of the feature.

    Returns
    -------
    Axes
        The black box's axes (the law's twin axes, if any, share its x-axis).
    """
    x, values = np.asarray(x, dtype=float), np.asarray(shap_values, dtype=float)
    if x.shape != values.shape:
        raise DataError(f"{len(x)} feature values but {len(values)} SHAP values")
    with publication_style():
        ax = new_axes(ax)
        handles = [ax.scatter(x, values, s=6, alpha=0.5, color=PALETTE[0], label=f"{model} (SHAP)")]
        ax.axhline(0.0, color="0.3", linewidth=0.6, linestyle="--")
        target = ax.twinx() if twin and (law_curve is not None or law_values is not None) else ax
        if law_values is not None:
            handles.append(target.scatter(x, np.asarray(law_values, dtype=float), s=4, alpha=0.6, color=PALETTE[1],
                                          marker="x", linewidths=0.5, label=f"{law_label} (SHAP)"))
        if law_curve is not None:
            grid, curve = (np.asarray(part, dtype=float) for part in law_curve)
            (line,) = target.plot(grid, curve, color=PALETTE[1], label=f"{law_label} (partial dependence)")
            handles.append(line)
        ax.set_xlabel(axis_label(feature, unit))
        ax.set_ylabel(f"SHAP value ({model})" if twin else "SHAP value")
        if target is not ax:
            target.set_ylabel(f"{law_label}, centred", color=PALETTE[1])
            target.spines["right"].set_visible(True)
        ax.legend(handles=handles, loc="best")
    return ax


def comparison_section(stored: Any) -> Section:
    """The report section of a saved comparison (:func:`lawfind.explain.read_comparison`).

    Its scores on the same folds, the importance table and agreement, the figures
    (named ``compare_<figure>``) and the rows where the law and the black box disagree most.
    """
    from lawfind.report._document import FigureBlock, Paragraph, Table

    info = stored.info
    config = info["config"]
    model = stored.model
    captions = {"importance": f"Share of mean |SHAP| of each feature: the law and the {model}",
                "shap_summary_black_box": f"SHAP summary of the {model}",
                "shap_summary_law": "SHAP summary of the law"}
    for k, feature in enumerate(info["dependence_features"]):
        captions[f"dependence_{k}"] = (f"SHAP dependence of the {model} on {feature}, with the law's centred "
                                       f"partial dependence")
    blocks: list = [
        Paragraph(info["summary"]),
        Paragraph(f"SHAP: {info['comparison']['law']['method']} for the law, "
                  f"{info['comparison']['black_box']['method']} for the {model}; interventional perturbation against the same {config['background_rows']} "
                  f"background rows, {config['explained_rows']} explained rows (lawfind compare, cv "
                  f"{config['cv']}, seed {config['seed']})."),
        Table(stored.baselines, f"The law and the black boxes on the same {config['cv']} folds"),
        Table(stored.importance, "Mean |SHAP| per feature, share of each model's total, rank"),
    ]
    for name, figure in stored.figures().items():
        blocks.append(FigureBlock(f"compare_{name}", figure, captions.get(name, name)))
    blocks.append(Table(stored.disagreements, "Rows where the law and the black box disagree most"))
    return Section("Law versus black box", tuple(blocks))
