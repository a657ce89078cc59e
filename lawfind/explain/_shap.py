"""Shared plumbing: the lazy shap import, the background and the masker, the additivity tolerance."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lawfind._progress import ProgressCallback, no_progress
from lawfind.exceptions import ConfigError, DataError, MissingDependencyError

__all__ = ["import_shap", "as_matrix", "sample_rows", "masker", "tolerance", "run_in_chunks", "EXACT_MAX_FEATURES"]

#: shap's Exact explainer evaluates the model on 2^p coalitions x background rows per explained
#: row; above this many features the Permutation explainer is used instead.
EXACT_MAX_FEATURES = 10


def import_shap() -> Any:
    """``import shap`` (slow the first time: numba compiles), or a clear error when it is missing."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import shap
    except ImportError as exc:
        raise MissingDependencyError(f"SHAP explanations need the shap package ({exc}); pip install shap") from None
    return shap


def as_matrix(X: Any, feature_names: Any = None, what: str = "X") -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """``X`` as a finite float matrix, its feature names and its row labels."""
    if isinstance(X, pd.DataFrame):
        names = tuple(str(c) for c in X.columns) if feature_names is None else tuple(feature_names)
        index = X.index.to_numpy()
        try:
            matrix = X.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise DataError(f"{what} has non-numeric columns; SHAP needs numbers in every feature column") from None
    else:
        matrix = np.asarray(X, dtype=float)
        if matrix.ndim != 2:
            raise DataError(f"{what} must be 2-D (rows x features), got shape {matrix.shape}")
        names = tuple(f"x{i}" for i in range(matrix.shape[1])) if feature_names is None else tuple(feature_names)
        index = np.arange(len(matrix))
    if matrix.ndim != 2 or matrix.shape[1] != len(names):
        raise DataError(f"{what} has {matrix.shape[1] if matrix.ndim == 2 else '?'} columns but "
                        f"{len(names)} feature names were given")
    if len(matrix) == 0:
        raise DataError(f"{what} has no rows")
    if not np.all(np.isfinite(matrix)):
        raise DataError(f"{what} has missing or infinite values; drop or impute them first")
    return matrix, names, index


def sample_rows(n: int, size: int | None, seed: int) -> np.ndarray:
    """Sorted indices of ``size`` rows out of ``n`` drawn without replacement (all rows if ``size`` is None)."""
    if size is None or size >= n:
        return np.arange(n)
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ConfigError(f"a row count must be a positive integer, got {size!r}")
    return np.sort(np.random.default_rng(seed).choice(n, size=int(size), replace=False))


def masker(background: np.ndarray) -> Any:
    """``shap.maskers.Independent`` over every background row (interventional perturbation)."""
    shap = import_shap()
    return shap.maskers.Independent(background, max_samples=len(background))


def tolerance(output: np.ndarray) -> float:
    """The additivity gap allowed: 1e-6 of the output's scale (at least 1e-9)."""
    finite = np.abs(output[np.isfinite(output)])
    scale = float(finite.max()) if finite.size else 1.0
    return max(1e-6 * scale, 1e-9)


def run_in_chunks(explain: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], X: np.ndarray, *,
                  progress: ProgressCallback | None, label: str,
                  chunk: int = 64) -> tuple[np.ndarray, np.ndarray, float]:
    """Call ``explain(rows) -> (values, base_values)`` on chunks of ``X``, reporting progress.

    Returns the stacked values, base values and the seconds taken.
    """
    progress = progress or no_progress
    started = time.perf_counter()
    values, bases = [], []
    for start in range(0, len(X), chunk):
        part_values, part_base = explain(X[start:start + chunk])
        values.append(np.asarray(part_values, dtype=float))
        bases.append(np.broadcast_to(np.asarray(part_base, dtype=float), (len(part_values),)))
        done = min(start + chunk, len(X))
        progress(done / len(X), f"{label}: {done}/{len(X)} rows")
    return np.vstack(values), np.concatenate(bases), time.perf_counter() - started
