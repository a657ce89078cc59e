"""Altair charts of the explorer: Pareto front, parity, residuals, decision values, correlations.

The charts only draw tables computed by the library (``ParetoFront.to_frame()``,
:func:`lawfind.export.predictions_frame`, :func:`correlation_long`).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FRONT_SELECTION", "MAX_POINTS", "pareto_chart", "parity_chart", "residual_chart", "decision_chart",
           "correlation_heatmap", "error_column"]

#: Name of the click selection on the Pareto chart (``event.selection[FRONT_SELECTION]``).
FRONT_SELECTION = "law"
#: Rows drawn at most in a scatter plot (a seeded sample beyond).
MAX_POINTS = 5000


def _alt():
    import altair as alt

    return alt


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sample(MAX_POINTS, random_state=0) if len(frame) > MAX_POINTS else frame


def error_column(front: pd.DataFrame) -> tuple[str, str]:
    """The column of ``front`` to draw as the error, and its axis title."""
    if "nrmse" in front.columns:
        return "nrmse", "NRMSE (RMSE / std of the target)"
    return "balanced_accuracy", "balanced accuracy"


def pareto_chart(front: pd.DataFrame, selected: int | None = None):
    """Complexity against error; hover shows the equation, a click selects a law.

    Parameters
    ----------
    front : DataFrame
        ``ParetoFront.to_frame()``.
    selected : int, optional
        Index of the law drawn highlighted.
    """
    alt = _alt()
    column, title = error_column(front)
    data = front.assign(
        role=["selected" if i == selected else ("picked" if p else "on the front")
              for i, p in zip(front["index"], front["picked"])])
    pick = alt.selection_point(name=FRONT_SELECTION, fields=["index"], on="click", clear=False)
    tooltip = [alt.Tooltip("index:Q", title="law"), alt.Tooltip("equation:N", title="equation"),
               alt.Tooltip("complexity:Q")]
    tooltip += [alt.Tooltip(f"{c}:Q", format=".6g") for c in ("r2", "rmse", "nrmse", "balanced_accuracy")
                if c in front.columns]
    x = alt.X("complexity:Q", title="complexity (expression nodes)", scale=alt.Scale(zero=False))
    y = alt.Y(f"{column}:Q", title=title)
    line = alt.Chart(data).mark_line(color="#9aa5b1", interpolate="step-after").encode(x=x, y=y)
    points = alt.Chart(data).mark_point(filled=True, size=160).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("role:N", title="", scale=alt.Scale(domain=["selected", "picked", "on the front"],
                                                             range=["#d62728", "#1f77b4", "#7f7f7f"])),
    ).add_params(pick)
    return (line + points).properties(height=320)


def parity_chart(predictions: pd.DataFrame, target: str):
    """Observed against predicted values, with the line y = x."""
    alt = _alt()
    data = _sample(predictions[[target, "prediction"]].rename(columns={target: "observed"}))
    low = float(min(data["observed"].min(), data["prediction"].min()))
    high = float(max(data["observed"].max(), data["prediction"].max()))
    diagonal = alt.Chart(pd.DataFrame({"observed": [low, high], "prediction": [low, high]})).mark_line(
        color="#9aa5b1", strokeDash=[4, 4]).encode(x="observed:Q", y="prediction:Q")
    points = alt.Chart(data).mark_circle(size=28, opacity=0.6).encode(
        x=alt.X("observed:Q", title=f"observed {target}", scale=alt.Scale(zero=False)),
        y=alt.Y("prediction:Q", title="predicted", scale=alt.Scale(zero=False)),
        tooltip=["observed:Q", "prediction:Q"])
    return (diagonal + points).properties(height=320, title="Parity")


def residual_chart(predictions: pd.DataFrame, target: str):
    """Residuals (observed − predicted) against the predicted values."""
    alt = _alt()
    data = _sample(predictions[["prediction", "residual"]])
    zero = alt.Chart(pd.DataFrame({"residual": [0.0]})).mark_rule(color="#9aa5b1").encode(y="residual:Q")
    points = alt.Chart(data).mark_circle(size=28, opacity=0.6).encode(
        x=alt.X("prediction:Q", title="predicted", scale=alt.Scale(zero=False)),
        y=alt.Y("residual:Q", title=f"residual ({target}, observed − predicted)"),
        tooltip=["prediction:Q", "residual:Q"])
    return (zero + points).properties(height=320, title="Residuals")


def decision_chart(predictions: pd.DataFrame, target: str, threshold: float):
    """A classification law's value per observed class, with its threshold."""
    alt = _alt()
    data = _sample(predictions[[target, "decision_value", "correct"]].rename(columns={target: "class"}))
    data = data.assign(**{"class": data["class"].astype(str)})
    rule = alt.Chart(pd.DataFrame({"decision_value": [threshold]})).mark_rule(color="#d62728").encode(
        x="decision_value:Q")
    points = alt.Chart(data).mark_tick(opacity=0.6).encode(
        x=alt.X("decision_value:Q", title="law value"), y=alt.Y("class:N", title=f"observed {target}"),
        color=alt.Color("correct:N", title="correctly classified"))
    return (points + rule).properties(height=200, title="Law value by class (red: threshold)")


def correlation_heatmap(long: pd.DataFrame):
    """Pearson correlations from :func:`correlation_long`, coloured from −1 to 1 (undefined ones left blank)."""
    alt = _alt()
    order = list(dict.fromkeys(long["x"]))
    long = long.dropna(subset=["r"])  # constant columns have no correlation: their cells stay empty
    base = alt.Chart(long).encode(x=alt.X("x:N", sort=order, title=""), y=alt.Y("y:N", sort=order, title=""))
    cells = base.mark_rect().encode(
        color=alt.Color("r:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue", reverse=True), title="r"),
        tooltip=["x:N", "y:N", alt.Tooltip("r:Q", format=".3f")])
    labels = base.mark_text(fontSize=10).encode(text=alt.Text("r:Q", format=".2f")) if len(order) <= 12 else None
    chart = cells + labels if labels is not None else cells
    side = max(240, min(700, 40 * len(order)))
    return chart.properties(width=side, height=side)
