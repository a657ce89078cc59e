"""Cached calls into lawfind: datasets, validation, tables, predictions, intervals, exports, baselines.

``st.cache_data`` holds serializable results (tables, datasets, files); ``st.cache_resource``
holds the process-wide :class:`SearchCache` of finished runs, so the same search (same data,
columns and settings) is never run twice.  Arguments starting with ``_`` are not hashed:
the ``key`` / ``data_key`` argument next to them identifies them (a table is identified by
its built-in name or the hash of the uploaded bytes, never re-hashed on every rerun).
"""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd
import streamlit as st

from lawfind import datasets
from lawfind.data import Dataset
from lawfind.explore import column_summary, correlation_long, export_download
from lawfind.export import predictions_frame
from lawfind.run import Run


class SearchCache:
    """Finished runs by :meth:`lawfind.explore.SearchSpec.key` (thread-safe)."""

    def __init__(self) -> None:
        self._runs: dict[str, Run] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Run | None:
        """The run of an identical earlier search, if any."""
        with self._lock:
            return self._runs.get(key)

    def put(self, key: str, run: Run) -> None:
        """Remember a completed run."""
        with self._lock:
            self._runs[key] = run


@st.cache_resource
def search_cache() -> SearchCache:
    """The process-wide cache of finished searches."""
    return SearchCache()


@st.cache_data(show_spinner=False)
def dataset_names() -> list[str]:
    """Names of the built-in datasets."""
    return [entry.name for entry in datasets.list_datasets()]


@st.cache_data(show_spinner="Loading the dataset…")
def load_builtin(name: str) -> pd.DataFrame:
    """A built-in dataset as a DataFrame (checksum verified by lawfind)."""
    return datasets.load(name).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=32)
def validated_dataset(data_key: str, _frame: pd.DataFrame, label: str, target: str, features: tuple[str, ...],
                      task: str, units: tuple[tuple[str, str], ...], dropna: bool) -> Dataset:
    """:meth:`Dataset.from_frame` for the current choices (DataError when they are not valid)."""
    return Dataset.from_frame(_frame, target, list(features), task=task, units=dict(units), dropna=dropna,
                              source=label or "<DataFrame>")


@st.cache_data(show_spinner=False, max_entries=16)
def summary(data_key: str, _frame: pd.DataFrame, units: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """Column summary with missing values."""
    return column_summary(_frame, dict(units))


@st.cache_data(show_spinner=False, max_entries=16)
def correlations(data_key: str, _frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Pearson correlations in long form."""
    return correlation_long(_frame, list(columns))


@st.cache_data(show_spinner=False, max_entries=64)
def predictions(key: str, index: int, _run: Run, _data: Dataset) -> pd.DataFrame:
    """The law's predictions and residuals on its training data."""
    return predictions_frame(_run.front.law(index), _data)


@st.cache_data(show_spinner="Computing coefficient intervals…", max_entries=64)
def intervals(key: str, index: int, method: str, n_resamples: int, _run: Run, _data: Dataset) -> Any:
    """Bootstrap or asymptotic 95 % intervals of the law's constants."""
    from lawfind.uncertainty import asymptotic_intervals, bootstrap_intervals

    law = _run.front.law(index)
    if method == "bootstrap":
        return bootstrap_intervals(law, _data, n_resamples=n_resamples, seed=0)
    return asymptotic_intervals(law, _data)


@st.cache_data(show_spinner=False, max_entries=128)
def export_file(key: str, fmt: str, index: int, intervals_choice: str, _run: Run, _data: Any) -> tuple[str, bytes, str]:
    """One export file: (file name, bytes, MIME type)."""
    download = export_download(_run, fmt, law=index, data=_data, intervals=intervals_choice)
    return download.file_name, download.data, download.mime


@st.cache_data(show_spinner="Cross-validating the law and the black-box models…", max_entries=32)
def baselines(key: str, index: int, models: tuple[str, ...], folds: int, _run: Run, _data: Dataset) -> pd.DataFrame:
    """The law's structure and black-box models scored on the same cross-validation folds."""
    from lawfind.baselines import cross_validate_baselines, cross_validate_law, make_folds

    X = _data.frame[list(_data.features)]
    splits = make_folds(_data.y, task=_data.task, cv=folds, seed=0, X=X)
    table = cross_validate_baselines(X, _data.y, task=_data.task, cv=splits, models=list(models), seed=0)
    law = _run.front.law(index)
    if law.decision is None:
        row = cross_validate_law(law, X, _data.y, splits, name=f"law {index}")
        table = pd.concat([pd.DataFrame([row]), table], ignore_index=True)
    return table


@st.cache_data(show_spinner="Cross-validating, fitting the black box and computing SHAP values…", max_entries=16)
def comparison(key: str, index: int, model: str, folds: int, background: int, rows: int, _run: Run,
               _data: Dataset) -> tuple[Any, dict[str, bytes]]:
    """:func:`lawfind.explain.compare` of law ``index`` with one black box (not saved), and its figures as PNG."""
    from lawfind.explain import compare
    from lawfind.report import figure_bytes

    result = compare(_run, data=_data, law=index, models=[model], cv=folds, seed=0, background=background,
                     max_rows=rows, save=False)
    return result, {name: figure_bytes(figure, "png") for name, figure in result.figures().items()}
