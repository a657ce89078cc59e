"""Features: the kept feature columns (by hand or by automatic selection) and their correlations."""

from __future__ import annotations

import streamlit as st

from explorer_ui import cached, state
from lawfind.exceptions import LawfindError
from lawfind.explore import correlation_heatmap, numeric_columns
from lawfind.features import AUTO_STEPS, STEPS, select

MAX_HEATMAP = 30
session = st.session_state

st.title("Features")
frame = session.frame
if frame is None:
    st.info("Load data on the Data page first.")
    st.page_link("app_pages/data.py", label="Go to Data", icon=":material/table:")
    st.stop()

target = session.target
candidates = [c for c in numeric_columns(frame) if c != target]
excluded = [str(c) for c in frame.columns if str(c) not in candidates and str(c) != target]
session.features = [f for f in (session.get("features") or []) if f in candidates]

st.caption("Keep the columns you want the search to use, by hand or with **Select automatically** "
           "(lawfind.features.select). Each kept column becomes a variable of the laws.")


def _set_features(values: list[str]) -> None:
    session.features = values


def _auto_select() -> None:
    """Run lawfind.features.select on every numeric column; its kept columns become the kept features."""
    steps = list(session.get("select_steps") or [])
    try:
        selection = select(frame, target, steps=steps, task=session.get("task"), features=candidates,
                           dropna=bool(session.get("dropna", False)), seed=int(session.get("seed", 0) or 0))
    except LawfindError as exc:
        session.selection = (session.data_key, target, None, str(exc))
        return
    session.selection = (session.data_key, target, selection, None)
    session.features = list(selection.kept)


info = session.get("data_info")
buttons = st.columns(3)
buttons[0].button("All numeric columns", on_click=_set_features, args=(candidates,))
buttons[1].button("None", on_click=_set_features, args=([],))
if info is not None and info.features:
    defaults = [f for f in info.features if f in candidates and f != target]
    buttons[2].button("Dataset's default features", on_click=_set_features, args=(defaults,),
                      help="The registry's default inputs of this dataset (derived columns left out).")
st.multiselect(f"Feature columns ({len(candidates)} numeric columns besides the target {target!r})",
               candidates, key="features")
if excluded:
    st.caption("Not offered (text, labels or booleans): " + ", ".join(f"`{c}`" for c in excluded))

with st.expander("Select automatically", expanded=session.get("selection") is not None):
    st.multiselect("Selection steps, run in this order", list(STEPS), default=list(AUTO_STEPS), key="select_steps",
                   help="auto = constant, correlation, mutual_info, lasso; stability, rfecv and permutation are slow.")
    st.button("Select automatically", key="auto_select", on_click=_auto_select,
              disabled=not candidates or not session.get("select_steps"),
              help="Runs the steps on every numeric column; the kept columns replace the choice above.")
    record = session.get("selection")
    if record is not None and record[:2] == (session.data_key, target):
        selection, problem = record[2], record[3]
        if problem:
            st.error(problem)
        else:
            st.success(selection.summary())
            st.dataframe(selection.report, hide_index=True)

dataset, error = state.current_dataset()
if error:
    st.error(error)

chosen = list(session.features)
if chosen:
    shown = chosen[:MAX_HEATMAP]
    st.subheader("Correlations (Pearson)")
    if len(chosen) > MAX_HEATMAP:
        st.caption(f"Showing the first {MAX_HEATMAP} of {len(chosen)} kept columns.")
    columns = [*shown, target] if target in numeric_columns(frame) else shown
    long = cached.correlations(session.data_key, frame, tuple(columns))
    st.altair_chart(correlation_heatmap(long))
    undefined = sorted(set(long.loc[long["r"].isna() & (long["x"] == long["y"]), "x"]))
    if undefined:
        st.caption("No correlation for constant column(s): " + ", ".join(f"`{c}`" for c in undefined)
                   + " (they cannot help a law on these rows).")
else:
    st.warning("Keep at least one feature column for the search.")
