"""Session state of the explorer: one place for the keys, their defaults and the derived dataset.

Streamlit forgets the value of a widget when its page is not shown; :func:`keep_widget_state`
(called at the top of every run by the entry script) re-assigns the persistent keys so
choices survive page switches.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import streamlit as st

from lawfind.data import Dataset
from lawfind.exceptions import LawfindError
from lawfind.explore import DEFAULT_STORE, SearchJob, numeric_columns
from lawfind.run import Run

#: Widget keys whose values must survive page switches.
PERSISTENT = (
    "store", "data_source", "builtin", "target", "task", "dropna", "features",
    "engine", "time_limit", "seed", "operators", "max_length", "max_terms", "save_runs", "force",
    "export_intervals", "ci_method", "ci_resamples", "baseline_models", "baseline_folds",
)
STORE_ENV = "LAWFIND_RUN_STORE"


def init_state() -> None:
    """Defaults of the keys that are not widgets, and of the run store."""
    st.session_state.setdefault("store", os.environ.get(STORE_ENV, DEFAULT_STORE))
    for key, value in (("frame", None), ("data_label", None), ("data_key", None), ("data_info", None),
                       ("units", {}), ("job", None), ("job_key", None), ("run", None), ("run_data", None),
                       ("run_data_error", None), ("law_index", 0), ("notice", None), ("search_error", None)):
        st.session_state.setdefault(key, value)


def keep_widget_state() -> None:
    """Re-assign persistent widget values so Streamlit keeps them on pages that do not show them."""
    for key in PERSISTENT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def store() -> str:
    """The run store folder chosen in the sidebar."""
    return str(st.session_state.get("store") or DEFAULT_STORE)


def set_data(frame: pd.DataFrame, label: str, *, key: str | None = None, target: str | None = None,
             features: list[str] | None = None, task: str | None = None, units: dict[str, str] | None = None,
             info: Any = None) -> None:
    """Make ``frame`` the current table and reset the choices that depend on it.

    ``key`` identifies the table's content for the caches (default: ``label``).
    """
    numeric = numeric_columns(frame)
    columns = [str(c) for c in frame.columns]
    if target is None or target not in columns:
        target = numeric[-1] if numeric else columns[-1]
    if features is None:
        features = [c for c in numeric if c != target]
    if task is None:
        task = "regression" if target in numeric else "classification"
    state = st.session_state
    state.frame, state.data_label, state.data_info, state.data_key = frame, label, info, key or label
    state.target, state.task, state.features = target, task, [f for f in features if f != target]
    state.units = {k: v for k, v in (units or {}).items() if k in columns}
    state.dropna = False


def current_dataset() -> tuple[Dataset | None, str | None]:
    """The validated dataset for the current choices, or the one-line reason it is not valid."""
    state = st.session_state
    if state.get("frame") is None:
        return None, "no data loaded yet: choose a built-in dataset or upload a CSV file on the Data page"
    from explorer_ui.cached import validated_dataset

    features = tuple(state.get("features") or ())
    used = {state.target, *features}
    units = tuple(sorted((c, u) for c, u in state.units.items() if c in used))
    try:
        return validated_dataset(state.data_key, state.frame, state.data_label, state.target, features,
                                 state.get("task", "regression"), units, bool(state.get("dropna", False))), None
    except LawfindError as exc:
        return None, str(exc)


def set_run(run: Run, data: Dataset | None, data_error: str | None = None) -> None:
    """Make ``run`` the current run (its picked law selected)."""
    state = st.session_state
    state.run, state.run_data, state.run_data_error = run, data, data_error
    state.law_index = run.front.best_index


def collect_finished_job() -> None:
    """Move the result of a finished background search into the session (once)."""
    state = st.session_state
    job: SearchJob | None = state.get("job")
    if job is None or not job.done or state.get("job_collected", True):
        return
    state.job_collected = True
    if job.run is not None:
        set_run(job.run, job.dataset)
        if job.state == "completed" and state.get("job_key"):
            from explorer_ui.cached import search_cache

            search_cache().put(state.job_key, job.run)
        stopped = "stopped by you; the best-so-far laws were kept" if job.state == "interrupted" else "completed"
        saved = f", saved to {job.run.path}" if job.run.path else ""
        state.notice = f"Search {stopped} in {job.elapsed:.1f} s{saved}."
        state.search_error = None
    else:
        state.search_error = job.error


def run_key(run: Run) -> str:
    """An identity for cached results about ``run``."""
    return f"{run.path}|{run.created}|{run.data.get('hash')}|{run.seconds}"
