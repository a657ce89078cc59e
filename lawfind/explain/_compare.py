"""Compare a law's SHAP values with a black box's: importance, rank agreement, ignored descriptors, disagreements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError, DataError
from lawfind.explain._result import Explanation

__all__ = ["Comparison", "compare_explanations", "importance_table"]


def importance_table(law: Explanation, black_box: Explanation) -> pd.DataFrame:
    """Mean |SHAP| of each feature for both models, its share of the model's total and its rank (1 = first).

    Rows are ordered by the black box's importance.  ``used_by_law`` is False for the
    features whose law SHAP values are all exactly zero (features the law does not use).
    """
    law_imp, bb_imp = law.importance().to_numpy(), black_box.importance().to_numpy()

    def share(values: np.ndarray) -> np.ndarray:
        total = values.sum()
        return values / total if total > 0 else np.zeros_like(values)

    frame = pd.DataFrame({
        "feature": list(law.feature_names),
        "law": law_imp,
        "law_share": share(law_imp),
        "law_rank": pd.Series(-law_imp).rank(method="min").astype(int).to_numpy(),
        "black_box": bb_imp,
        "black_box_share": share(bb_imp),
        "black_box_rank": pd.Series(-bb_imp).rank(method="min").astype(int).to_numpy(),
        "used_by_law": np.any(law.values != 0.0, axis=0),
    })
    return frame.sort_values(["black_box_rank", "law_rank", "feature"], kind="stable", ignore_index=True)


@dataclass(frozen=True)
class Comparison:
    """How a law and a black box explain the same rows.

    Attributes
    ----------
    importance : DataFrame
        See :func:`importance_table`.
    spearman, kendall : float
        Rank correlation of the two importance vectors over all features (NaN when one
        of them is constant); ties, e.g. the features a law ignores, share their rank.
    spearman_p, kendall_p : float
        Their p-values (scipy; small samples of features make them rough).
    ignored : list of str
        Features carrying at least ``min_share`` of the black box's importance that the law
        does not use, most important first.
    law_features_share : float
        The share of the black box's importance carried by the features the law uses.
    disagreements : DataFrame
        The ``top`` rows where the two models disagree most (see :func:`compare_explanations`).
    task : {"regression", "classification"}
    same_scale : bool
        True when both explanations are of the same quantity (regression predictions), so
        their SHAP values can share an axis.
    min_share : float
    law, black_box : dict
        :meth:`Explanation.describe` of each explanation.
    """

    importance: pd.DataFrame
    spearman: float
    spearman_p: float
    kendall: float
    kendall_p: float
    ignored: list[str]
    law_features_share: float
    disagreements: pd.DataFrame
    task: str
    same_scale: bool
    min_share: float
    law: dict[str, Any]
    black_box: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The numbers and facts (JSON-ready; tables go to CSV files)."""
        def number(value: float) -> float | None:
            return None if not np.isfinite(value) else float(value)

        return {
            "task": self.task,
            "spearman": number(self.spearman), "spearman_p": number(self.spearman_p),
            "kendall": number(self.kendall), "kendall_p": number(self.kendall_p),
            "ignored": list(self.ignored), "min_share": self.min_share,
            "law_features_share": number(self.law_features_share),
            "same_scale": self.same_scale,
            "law": self.law, "black_box": self.black_box,
        }

    def summary(self) -> str:
        """A few sentences for a terminal or a report."""
        model = self.black_box.get("model", "black box")
        n = len(self.importance)
        if np.isfinite(self.spearman):
            agreement = (f"Importance rank agreement (mean |SHAP|, {n} features): Spearman {self.spearman:.3f}, "
                         f"Kendall {self.kendall:.3f}.")
        else:  # one feature, or one side gives every feature the same importance
            agreement = (f"Importance rank agreement (mean |SHAP|, {n} feature{'s' if n != 1 else ''}): not defined, "
                         + ("a ranking needs two features." if n < 2 else "one side gives every feature the same "
                            "importance."))
        lines = [agreement,
                 f"The law's features carry {100 * self.law_features_share:.1f} % of the {model}'s importance."]
        if self.ignored:
            lines.append(f"The {model} uses {self.ignored} (each ≥ {100 * self.min_share:.0f} % of its importance), "
                         f"which the law ignores.")
        else:
            lines.append(f"No feature with ≥ {100 * self.min_share:.0f} % of the {model}'s importance is ignored by "
                         f"the law.")
        return " ".join(lines)


def _rank_correlations(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float, float]:
    from scipy.stats import kendalltau, spearmanr

    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return (np.nan,) * 4
    rho = spearmanr(a, b)
    tau = kendalltau(a, b)
    return float(rho.statistic), float(rho.pvalue), float(tau.statistic), float(tau.pvalue)


def _normalised(expl: Explanation) -> np.ndarray:
    total = expl.importance().sum()
    return expl.values / total if total > 0 else expl.values


def _disagreements(law: Explanation, black_box: Explanation, law_pred: np.ndarray, bb_pred: np.ndarray,
                   y: np.ndarray | None, task: str, top: int, same_scale: bool) -> pd.DataFrame:
    law_phi, bb_phi = (law.values, black_box.values) if same_scale else (_normalised(law), _normalised(black_box))
    gap = np.abs(bb_phi - law_phi)
    feature = np.asarray(law.feature_names, dtype=object)[np.argmax(gap, axis=1)]
    frame = pd.DataFrame({"row": law.index})
    if y is not None:
        frame["y"] = y
    frame["law"] = law_pred
    frame["black_box"] = bb_pred
    if task == "regression":
        frame["difference"] = np.asarray(bb_pred, dtype=float) - np.asarray(law_pred, dtype=float)
        order = np.argsort(-np.abs(frame["difference"].to_numpy()), kind="stable")
    else:
        differ = np.array([a != b for a, b in zip(law_pred, bb_pred)], dtype=bool)
        margins = []
        for expl in (law, black_box):
            spread = float(np.std(expl.output)) or 1.0
            margins.append((expl.output - (expl.threshold if expl.threshold is not None else 0.0)) / spread)
        frame["labels_differ"] = differ
        frame["law_margin"], frame["black_box_margin"] = margins
        strength = np.abs(margins[0]) + np.abs(margins[1])
        order = np.lexsort((-strength, ~differ))
    frame["most_different_attribution"] = feature
    frame["attribution_gap"] = gap.max(axis=1)
    for j, name in enumerate(law.feature_names):
        frame[name] = law.data[:, j]
    return frame.iloc[order[:top]].reset_index(drop=True)


def compare_explanations(
    law_expl: Explanation,
    bb_expl: Explanation,
    law_pred: Any,
    bb_pred: Any,
    *,
    y: Any = None,
    top: int = 10,
    min_share: float = 0.05,
) -> Comparison:
    """Compare the SHAP explanations of a law and a black box on the same rows and background.

    Parameters
    ----------
    law_expl, bb_expl : Explanation
        From :func:`explain_law` and :func:`explain_model` on the same rows, features and
        background.
    law_pred, bb_pred : array-like of shape (n_samples,)
        The models' predictions on those rows (class labels for classifiers).
    y : array-like of shape (n_samples,), optional
        True values, shown next to the disagreements.
    top : int, default=10
        Rows in :attr:`Comparison.disagreements`.
    min_share : float, default=0.05
        Share of the black box's total mean |SHAP| from which an ignored feature is reported.

    Returns
    -------
    Comparison
        Regression: the disagreements are the rows with the largest |black box − law|.
        Classification: rows whose labels differ come first, most confident first (sum of
        both models' margins from their thresholds, in standard deviations of their outputs).
        ``most_different_attribution`` names the feature whose SHAP values differ most on
        the row (as shares of each model's total importance when the outputs differ in kind).
    """
    if law_expl.feature_names != bb_expl.feature_names:
        raise DataError(f"the explanations cover different features: {list(law_expl.feature_names)} and "
                        f"{list(bb_expl.feature_names)}")
    if law_expl.n_rows != bb_expl.n_rows or not np.array_equal(law_expl.data, bb_expl.data):
        raise DataError("the law and the black box must be explained on the same rows (the data differ)")
    if law_expl.background_size != bb_expl.background_size or law_expl.perturbation != bb_expl.perturbation:
        raise DataError("the law and the black box must be explained against the same background and perturbation")
    if not 0 <= min_share < 1:
        raise ConfigError(f"min_share must be in [0, 1), got {min_share!r}")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ConfigError(f"top must be a positive integer, got {top!r}")
    law_pred, bb_pred = np.asarray(law_pred), np.asarray(bb_pred)
    y_arr = None if y is None else np.asarray(y)
    for label, values in (("law_pred", law_pred), ("bb_pred", bb_pred), ("y", y_arr)):
        if values is not None and len(values) != law_expl.n_rows:
            raise DataError(f"{label} has {len(values)} values for {law_expl.n_rows} explained rows")
    task = "classification" if law_expl.threshold is not None or bb_expl.threshold is not None else "regression"
    same_scale = law_expl.explained == bb_expl.explained
    table = importance_table(law_expl, bb_expl)
    by_feature = table.set_index("feature")
    order = list(law_expl.feature_names)
    rho, rho_p, tau, tau_p = _rank_correlations(by_feature.loc[order, "law"].to_numpy(),
                                                by_feature.loc[order, "black_box"].to_numpy())
    ignored = table.loc[~table["used_by_law"] & (table["black_box_share"] >= min_share), "feature"].tolist()
    share = float(table.loc[table["used_by_law"], "black_box_share"].sum())
    return Comparison(table, rho, rho_p, tau, tau_p, ignored, share,
                      _disagreements(law_expl, bb_expl, law_pred, bb_pred, y_arr, task, int(top), same_scale),
                      task, same_scale, float(min_share), law_expl.describe(), bb_expl.describe())
