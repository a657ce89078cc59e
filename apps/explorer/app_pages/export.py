"""Export & runs: one download button per export format; reopen earlier runs from the run store."""

from __future__ import annotations

import streamlit as st

from explorer_ui import cached, state
from lawfind.exceptions import LawfindError
from lawfind.explore import NEEDS_DATA, format_label, list_runs
from lawfind.export import FORMATS, SUFFIXES
from lawfind.run import Run
from lawfind.uncertainty import ParametrizedLaw, open_training_data

session = st.session_state
st.title("Export & runs")


def _exports() -> None:
    run = session.run
    front = run.front
    index = session.law_index
    law = front.law(index)
    st.markdown(f"**Law #{index}** (select another on the Laws page)")
    st.code(f"{run.data.get('target')} = {law.equation(6)}", language=None)
    session.setdefault("export_intervals", "none")
    has_constants = law.decision is None and ParametrizedLaw(law).n_parameters > 0
    st.radio("Coefficient intervals in the exports", ["none", "asymptotic", "bootstrap"], key="export_intervals",
             horizontal=True, disabled=not has_constants,
             help="Written as value ± half width in the LaTeX, Python, SymPy, JSON and report exports "
                  "(bootstrap: 200 resamples).")
    choice = session.export_intervals if has_constants else "none"
    data = session.run_data
    key = state.run_key(run)
    columns = st.columns(3)
    for number, fmt in enumerate(FORMATS):
        name = f"law{index}-figures.zip" if fmt == "figures" else f"law{index}{SUFFIXES.get(fmt, '')}"
        missing_data = fmt in NEEDS_DATA and data is None

        def render(fmt: str = fmt) -> bytes:
            return cached.export_file(key, fmt, index, choice, run, data)[1]

        columns[number % 3].download_button(
            format_label(fmt), data=render, file_name=name, key=f"download_{fmt}", on_click="ignore",
            disabled=missing_data, icon=":material/download:",
            help="needs the training data, which could not be reopened" if missing_data else f"{name}",
        )
    try:
        latex = cached.export_file(key, "latex", index, choice, run, data)[1].decode()
    except LawfindError as exc:
        st.error(str(exc))
    else:
        st.code(latex, language="latex")


if session.run is None:
    st.info("No run yet: run a search, or reopen one below.")
else:
    st.subheader("Download")
    _exports()

st.subheader("Reopen a run")
store = state.store()
runs = list_runs(store)
if runs.empty:
    st.caption(f"No runs in {store!r} yet.")
else:
    st.dataframe(runs.drop(columns=["path"]), hide_index=True, width="stretch")
    if session.get("reopen_choice") not in set(runs["run"]):  # another store, or a run deleted meanwhile
        session.reopen_choice = runs["run"].iloc[0]
    chosen = st.selectbox("Run", list(runs["run"]), key="reopen_choice")
    if st.button("Open run", key="reopen"):
        path = runs.loc[runs["run"] == chosen, "path"].iloc[0]
        try:
            run = Run.load(path)
        except LawfindError as exc:
            st.error(str(exc))
        else:
            try:
                data, problem = open_training_data(run), None
            except LawfindError as exc:
                data, problem = None, str(exc)
            state.set_run(run, data, problem)
            session.notice = f"Reopened {path}."
            st.rerun()
