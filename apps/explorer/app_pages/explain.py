"""Explain: what this version of lawfind offers to put a law in context — black-box baselines; no SHAP yet."""

from __future__ import annotations

import importlib.util

import streamlit as st

from explorer_ui import cached, state
from lawfind.exceptions import LawfindError

session = st.session_state
st.title("Explain")
run = session.run
if run is None:
    st.info("Run a search (or reopen a run) first.")
    st.page_link("app_pages/search.py", label="Go to Search", icon=":material/search:")
    st.stop()

index = session.law_index
law = run.front.law(index)
st.markdown(f"**Law #{index}** (select another on the Laws page)")
st.code(f"{run.data.get('target')} = {law.equation(6)}", language=None)

st.subheader("Black-box baselines")
if importlib.util.find_spec("lawfind.baselines") is None:
    st.info("Black-box baselines are not available in this version of lawfind.")
elif session.run_data is None:
    st.warning(f"The training data of this run could not be reopened: {session.run_data_error or 'no data'}")
else:
    from lawfind.baselines import default_models

    data = session.run_data
    names = [model.name for model in default_models(data.task)]
    session.setdefault("baseline_models", [n for n in ("linear", "ridge", "logistic", "decision tree")
                                           if n in names])
    session.setdefault("baseline_folds", 5)
    session.baseline_models = [m for m in session.baseline_models if m in names]  # the task may have changed
    st.caption("The law's structure (constants refit on each training fold) and black-box models, scored on "
               "the same cross-validation folds (lawfind.baselines). Slow models (random forest, Gaussian "
               "process, MLP) take a while on large tables.")
    cols = st.columns([3, 1])
    cols[0].multiselect("Models", names, key="baseline_models")
    cols[1].number_input("Folds", min_value=2, max_value=10, key="baseline_folds")
    shown_key = f"baselines_{state.run_key(run)}_{index}"
    if st.button("Compare", key="run_baselines", disabled=not session.baseline_models):
        session[shown_key] = (tuple(session.baseline_models), int(session.baseline_folds))
    if shown_key in session:
        models, folds = session[shown_key]
        try:
            table = cached.baselines(state.run_key(run), index, models, folds, run, data)
        except LawfindError as exc:
            st.error(str(exc))
        else:
            st.dataframe(table, hide_index=True, width="stretch")
            if law.decision is not None:
                st.caption("Cross-validating a classification law's structure is not available in this version; "
                           "only the black boxes are scored.")

st.subheader("SHAP explanations")
st.info("Not available in this version of lawfind: it computes no SHAP values yet, so none are shown.")
