"""Data: a built-in dataset or an uploaded CSV; target, task, units; summary and missing values."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from explorer_ui import cached, state
from lawfind import datasets
from lawfind.exceptions import LawfindError
from lawfind.explore import MAX_UPLOAD_MB, numeric_columns, read_upload, store_upload

BUILTIN, UPLOAD = "Built-in dataset", "Upload a CSV"
session = st.session_state

st.title("Data")
st.session_state.setdefault("data_source", BUILTIN)
source = st.radio("Source", [BUILTIN, UPLOAD], key="data_source", horizontal=True)


def _load_builtin(name: str) -> None:
    info = datasets.info(name)
    try:
        frame = cached.load_builtin(name)
    except LawfindError as exc:
        st.error(str(exc))
        return
    state.set_data(frame, f"datasets:{name}", target=info.target, features=list(info.features) or None,
                   task=info.task, units=info.units, info=info)


if source == BUILTIN:
    names = cached.dataset_names()
    st.session_state.setdefault("builtin", "bartel_double_perovskites_predicted"
                                if "bartel_double_perovskites_predicted" in names else names[0])
    name = st.selectbox("Dataset", names, key="builtin",
                        format_func=lambda n: f"{n} — {datasets.info(n).description[:90]}")
    if session.data_label != f"datasets:{name}":
        _load_builtin(name)
    info = datasets.info(name)
    with st.expander("Provenance, citation and notes"):
        st.markdown(f"**{info.description}**\n\n*Source:* `{info.source}`  \n*Licence:* {info.licence}  \n"
                    f"*Cite:* {info.citation}")
        for note in info.notes:
            st.markdown(f"- {note}")
else:
    upload = st.file_uploader(f"CSV file with a header row (at most {MAX_UPLOAD_MB} MB)", type=["csv"],
                              key="upload", max_upload_size=MAX_UPLOAD_MB)
    if upload is not None and session.get("upload_id") != upload.file_id:
        content = upload.getvalue()
        try:
            frame = read_upload(upload.name, content)
        except LawfindError as exc:
            session.upload_error = str(exc)
        else:
            session.upload_error = None
            digest = hashlib.sha256(content).hexdigest()
            try:
                label = str(store_upload(state.store(), upload.name, content))
            except OSError as exc:
                st.warning(f"could not keep a copy in the run store ({exc.strerror or exc}); runs on this upload "
                           f"cannot be reopened with their data later")
                label = f"upload:{upload.name}"
            state.set_data(frame, label, key=f"upload:{digest}")
        session.upload_id = upload.file_id
    if session.get("upload_error"):
        st.error(session.upload_error)

frame: pd.DataFrame | None = session.frame
if frame is None:
    st.info("Choose a built-in dataset or upload a CSV file to start.")
    st.stop()

st.subheader("Preview")
st.caption(f"{session.data_label} · {frame.shape[0]} rows × {frame.shape[1]} columns")
st.dataframe(frame.head(200), height=240)

st.subheader("Target and task")
columns = [str(c) for c in frame.columns]
if session.get("target") not in columns:
    session.target = columns[-1]


def _target_changed() -> None:
    session.task = "regression" if session.target in numeric_columns(session.frame) else "classification"
    session.features = [f for f in (session.get("features") or []) if f != session.target]


left, middle, right = st.columns([2, 2, 2])
left.selectbox("Target (the column to explain)", columns, key="target", on_change=_target_changed)
middle.radio("Task", ["regression", "classification"], key="task", horizontal=True,
             help="Classification needs an engine that supports it (see the Search page).")
right.checkbox("Drop rows with missing values", key="dropna",
               help="Otherwise rows with missing or infinite values in the used columns are refused.")

st.subheader("Units")
st.caption("Units in pint syntax (e.g. `MPa`, `angstrom`, `eV`); recorded in the run and used in the exports.")
used = [session.target, *[f for f in (session.get("features") or []) if f != session.target]]
editor = st.data_editor(
    pd.DataFrame({"column": used, "unit": [session.units.get(c, "") for c in used]}),
    key=f"units_{hash((session.data_label, tuple(used)))}", hide_index=True, disabled=["column"], width="stretch",
)
edited = {str(c): str(u).strip() for c, u in zip(editor["column"], editor["unit"]) if u and str(u).strip()}
session.units = {**{c: u for c, u in session.units.items() if c not in used}, **edited}

dataset, error = state.current_dataset()
if error:
    st.error(error)
else:
    dropped = f"; {dataset.dropped_rows} row(s) with missing values dropped" if dataset.dropped_rows else ""
    st.success(f"Ready: {dataset.n_rows} rows, target {dataset.target!r} ({dataset.task}), "
               f"{len(dataset.features)} features{dropped}.")

st.subheader("Summary statistics and missing values")
table = cached.summary(session.data_key, frame, tuple(sorted(session.units.items())))
missing = int(table["missing"].sum())
st.caption(f"{missing} missing value(s) in {int((table['missing'] > 0).sum())} column(s)." if missing
           else "No missing values.")
st.dataframe(table, hide_index=True, width="stretch")
