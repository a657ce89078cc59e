"""Explain: put a law in context — black-box baselines on the same folds, and SHAP of the law next to a black box."""

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

st.subheader("SHAP: the law next to a black box")
if session.run_data is None:
    st.warning(f"The training data of this run could not be reopened: {session.run_data_error or 'no data'}")
else:
    from lawfind.baselines import default_models

    data = session.run_data
    names = [model.name for model in default_models(data.task)]
    session.setdefault("shap_model", "random forest")
    session.setdefault("shap_background", 100)
    session.setdefault("shap_rows", 300)
    if session.shap_model not in names:
        session.shap_model = names[0]
    st.caption("Interventional SHAP (lawfind.explain) of the law and of one black box fitted on all rows, against "
               "the same background rows: shap's TreeExplainer for tree models, its Exact or Permutation explainer "
               "otherwise (slow for k-NN, SVM, MLP and Gaussian processes), exact per-term values for an additive "
               "law. A classification law's decision score is explained next to the black box's output for the "
               "same class. `lawfind compare RUN_DIR` saves the same comparison in the run folder.")
    cols = st.columns([2, 1, 1])
    cols[0].selectbox("Black box", names, key="shap_model")
    cols[1].number_input("Background rows", min_value=10, max_value=1000, key="shap_background")
    cols[2].number_input("Rows to explain", min_value=10, max_value=5000, key="shap_rows")
    shap_key = f"shap_{state.run_key(run)}_{index}"
    if st.button("Explain with SHAP", key="run_shap"):
        session[shap_key] = (session.shap_model, int(session.get("baseline_folds", 5)), int(session.shap_background),
                             int(session.shap_rows))
    if shap_key in session:
        model, folds, background, rows = session[shap_key]
        try:
            result, figures = cached.comparison(state.run_key(run), index, model, folds, background, rows, run, data)
        except LawfindError as exc:
            st.error(str(exc))
        else:
            comparison = result.comparison
            st.markdown(result.summary())
            metrics = st.columns(3)
            metrics[0].metric("Spearman (importance ranks)", f"{comparison.spearman:.3f}")
            metrics[1].metric("Kendall (importance ranks)", f"{comparison.kendall:.3f}")
            metrics[2].metric(f"{model}'s importance on the law's features",
                              f"{100 * comparison.law_features_share:.1f} %")
            if comparison.ignored:
                st.warning(f"The {model} relies on {comparison.ignored}, which the law ignores.")
            st.dataframe(comparison.importance, hide_index=True, width="stretch")
            shown = ["importance"] + [name for name in figures if name.startswith("dependence_")]
            for row_start in range(0, len(shown), 2):
                for column, name in zip(st.columns(2), shown[row_start:row_start + 2]):
                    column.image(figures[name], width="stretch")
            st.markdown("**Rows where the law and the black box disagree most**")
            st.dataframe(comparison.disagreements, hide_index=True, width="stretch")
            law_e, model_e = result.law_explanation, result.model_explanation
            st.caption(f"Law: {law_e.method} SHAP of its {law_e.explained}; {model}: {model_e.method} SHAP of its "
                       f"{model_e.explained}; {law_e.background_size} background rows, {law_e.n_rows} rows; largest "
                       f"additivity errors {law_e.max_additivity_error:.1e} and {model_e.max_additivity_error:.1e}.")
