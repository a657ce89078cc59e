"""Checks of the ``sisso`` engine's options and input data, before any work is done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from lawfind.exceptions import ConfigError, DataError
from lawfind.search._unit_options import check_unit_options
from lawfind.search.sisso._operators import resolve_operators
from lawfind.search.sisso._threshold import CLASSIFICATION_METRICS

if TYPE_CHECKING:
    from lawfind.search.sisso._engine import SissoEngine

__all__ = ["check_options", "check_data", "TASKS", "MAX_RUNG", "MAX_SIZE", "DEFAULT_RUNG"]

TASKS = ("regression", "classification")
MAX_RUNG = 3
#: The rung of a search that gives neither ``rung`` nor ``max_size``.
DEFAULT_RUNG = 2
#: Largest ``max_size`` (nodes); a size-15 space is beyond any memory budget except for very few features.
MAX_SIZE = 15
_MIN_BUDGET = 2**20


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_options(engine: "SissoEngine") -> None:
    """Raise :class:`ConfigError` naming the first bad option of ``engine``, what is allowed and what was given."""
    resolve_operators(engine.operators)
    if engine.rung is not None and (not _is_int(engine.rung) or not 1 <= engine.rung <= MAX_RUNG):
        raise ConfigError(f"sisso engine: rung must be an integer from 1 to {MAX_RUNG}, got {engine.rung!r}")
    if engine.max_size is not None:
        if not _is_int(engine.max_size) or not 2 <= engine.max_size <= MAX_SIZE:
            raise ConfigError(f"sisso engine: max_size must be None or an integer from 2 to {MAX_SIZE} (nodes of "
                              f"an expression tree), got {engine.max_size!r}")
        if engine.rung is not None:
            raise ConfigError(f"sisso engine: give rung (grow the space by rungs) or max_size (by expression "
                              f"size), not both; got rung={engine.rung!r} and max_size={engine.max_size!r}")
    for name, low in (("max_dimension", 1), ("sis_size", 1), ("n_models", 1), ("n_residuals", 1)):
        value = getattr(engine, name)
        if not _is_int(value) or value < low:
            cli = " (CLI: --max-terms)" if name == "max_dimension" else ""
            raise ConfigError(f"sisso engine: {name}{cli} must be an integer >= {low}, got {value!r}")
    if engine.n_residuals > engine.n_models:
        raise ConfigError(f"sisso engine: n_residuals={engine.n_residuals} cannot exceed n_models={engine.n_models} "
                          f"(only the n_models best models of a dimension are kept); raise n_models")
    rung = engine.rung if engine.rung is not None else (1 if engine.max_size is not None else DEFAULT_RUNG)
    if engine.max_complexity is not None and (not _is_int(engine.max_complexity)
                                              or engine.max_complexity < rung):
        raise ConfigError(f"sisso engine: max_complexity must be None or an integer >= rung={rung} "
                          f"(a rung-{rung} feature has at least {rung} operators), "
                          f"got {engine.max_complexity!r}")
    if engine.n_threads is not None and (not _is_int(engine.n_threads) or engine.n_threads < 1):
        raise ConfigError(f"sisso engine: n_threads must be a positive integer or None (one per core), "
                          f"got {engine.n_threads!r}")
    if not _is_int(engine.memory_budget) or engine.memory_budget < _MIN_BUDGET:
        raise ConfigError(f"sisso engine: memory_budget must be a number of bytes >= {_MIN_BUDGET:,} (1 MiB), "
                          f"got {engine.memory_budget!r}")
    if engine.task not in TASKS:
        raise ConfigError(f"sisso engine: task must be one of {list(TASKS)}, got {engine.task!r}")
    if engine.metric not in CLASSIFICATION_METRICS:
        raise ConfigError(f"sisso engine: metric must be one of {list(CLASSIFICATION_METRICS)}, got {engine.metric!r}")
    check_unit_options("sisso", engine.feature_units, engine.target_unit)


def check_data(X: np.ndarray, y: np.ndarray, engine: "SissoEngine"
               ) -> tuple[np.ndarray, np.ndarray, tuple[Any, Any] | None]:
    """Validated ``X`` (float), ``y`` (float, or labels) and, for classification, the two classes (sorted).

    Raises
    ------
    DataError
        For shapes that do not match, non-finite features, or a regression target that
        is not numeric, not finite or constant.
    ConfigError
        For a classification target without exactly two classes.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise DataError(f"sisso engine: X must be 2-D and y 1-D with as many rows, got X {X.shape} and y {y.shape}")
    if X.shape[1] == 0:
        raise DataError("sisso engine: X has no feature columns")
    if X.shape[0] < 3:
        raise DataError(f"sisso engine: {X.shape[0]} rows are too few; at least 3 are needed")
    if not np.all(np.isfinite(X)):
        raise DataError("sisso engine: X must be finite; drop or impute the rows with NaN/inf first")
    if engine.task == "regression":
        try:
            y = y.astype(float)
        except (TypeError, ValueError):
            raise DataError("sisso engine: the target is not numeric; for class labels use "
                            "task='classification' (CLI: --task classification)") from None
        if not np.all(np.isfinite(y)):
            raise DataError("sisso engine: the target must be finite; drop or impute the rows with NaN/inf first")
        if np.std(y) == 0:
            raise DataError("sisso engine: the target is constant; there is no law to find")
        if X.shape[0] < engine.max_dimension + 2:
            raise DataError(f"sisso engine: {X.shape[0]} rows cannot fit max_dimension={engine.max_dimension} "
                            f"descriptors plus an intercept; lower max_dimension")
        return X, y, None
    labels = [v.item() if isinstance(v, np.generic) else v for v in y.tolist()]
    if any(v is None or (isinstance(v, float) and not np.isfinite(v)) for v in labels):
        raise DataError("sisso engine: the class labels contain missing values; drop those rows first")
    classes = sorted(set(labels), key=lambda v: (type(v).__name__, v))
    if len(classes) != 2:
        shown = ", ".join(repr(c) for c in classes[:6]) + (", ..." if len(classes) > 6 else "")
        raise ConfigError(f"sisso engine: classification needs exactly two classes, the target has {len(classes)} "
                          f"({shown}); merge classes into two (one-vs-rest) or use task='regression' for a "
                          f"numeric target")
    out = np.empty(len(labels), dtype=object)
    out[:] = labels
    return X, out, (classes[0], classes[1])
