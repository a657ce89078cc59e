"""Error metrics shared by laws, fronts and engines."""

from __future__ import annotations

import numpy as np

__all__ = ["regression_metrics", "nrmse"]


def nrmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root-mean-square error divided by the standard deviation of ``y_true``.

    0 is a perfect fit; 1 is no better than predicting the mean.  Non-finite
    predictions give ``inf``.
    """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.broadcast_to(np.asarray(y_pred, dtype=float), y_true.shape)
    if not np.all(np.isfinite(y_pred)):
        return float("inf")
    scale = float(np.std(y_true)) or 1.0
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)) / scale)


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """R², RMSE, MAE, NRMSE and maximum absolute error of a prediction.

    Returns ``inf``/``-inf`` entries (never NaN) when the prediction is not finite.
    """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.broadcast_to(np.asarray(y_pred, dtype=float), y_true.shape)
    if not np.all(np.isfinite(y_pred)):
        return {"r2": float("-inf"), "rmse": float("inf"), "mae": float("inf"),
                "nrmse": float("inf"), "max_abs_error": float("inf")}
    residual = y_true - y_pred
    sse = float(np.sum(residual**2))
    sst = float(np.sum((y_true - y_true.mean()) ** 2))
    return {
        "r2": 1.0 - sse / sst if sst > 0 else float("nan"),
        "rmse": float(np.sqrt(np.mean(residual**2))),
        "mae": float(np.mean(np.abs(residual))),
        "nrmse": nrmse(y_true, y_pred),
        "max_abs_error": float(np.max(np.abs(residual))),
    }
