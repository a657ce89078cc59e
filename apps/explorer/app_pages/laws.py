"""Laws: the Pareto front (hover: equation, click: select), the law in LaTeX, parity and residuals, intervals."""

from __future__ import annotations

import streamlit as st

from explorer_ui import cached, state
from lawfind.exceptions import LawfindError
from lawfind.explore import FRONT_SELECTION, decision_chart, pareto_chart, parity_chart, residual_chart
from lawfind.export import constants_table, latex_symbol, latex_symbols, law_latex
from lawfind.run import run_notes

session = st.session_state
st.title("Laws")
run = session.run
if run is None:
    st.info("Run a search on the Search page, or reopen a saved run on the Export & runs page.")
    st.page_link("app_pages/search.py", label="Go to Search", icon=":material/search:")
    st.stop()

front = run.front
target = str(run.data.get("target"))
key = state.run_key(run)
if not 0 <= session.law_index < len(front):
    session.law_index = front.best_index
st.caption(f"{run.data.get('source')} · {run.config.get('engine', {}).get('name')} engine · {run.status} in "
           f"{run.seconds:.1f} s · {len(front)} laws" + (f" · {run.path}" if run.path else ""))
if run.status == "interrupted":
    st.warning("This run was stopped early: the front holds the best laws found until then.")
for note in run_notes(run.info, run.status):
    sentence = note.text[0].upper() + note.text[1:] + "."
    if note.level == "info":
        st.caption(sentence)
    elif run.status != "interrupted":  # an interrupted run is said just above
        st.warning(sentence)


def _chart_selected() -> None:
    points = session.front_chart.selection.get(FRONT_SELECTION) or []
    if points and "index" in points[0]:
        session.law_index = int(points[0]["index"])


def _picked_from_list() -> None:
    session.law_index = int(session.law_pick)


table = front.to_frame()
st.altair_chart(pareto_chart(table, session.law_index), key="front_chart", on_select=_chart_selected,
                selection_mode=FRONT_SELECTION)
st.caption("Hover a point to see its law; click it to select it. The blue point is the picked law "
           f"(the simplest within {front.rule.rel_tol:.0%} of the best error).")

session.law_pick = session.law_index
st.selectbox("Law", list(range(len(front))), key="law_pick", on_change=_picked_from_list,
             format_func=lambda i: f"#{i} · complexity {front[i].complexity} · {front[i].equation(4)}"
             + ("  (picked)" if i == front.best_index else ""))
index = session.law_index
law = front.law(index)

st.latex(f"{latex_symbol(target)} = {law.latex()}")
metrics = st.columns(4)
metrics[0].metric("complexity", law.complexity)
for slot, name in zip(metrics[1:], ("r2", "rmse", "balanced_accuracy") if law.decision is None
                      else ("accuracy", "balanced_accuracy")):
    if name in law.metrics:
        slot.metric({"r2": "R²", "rmse": "RMSE"}.get(name, name.replace("_", " ")), f"{law.metrics[name]:.6g}")
st.code(f"{target} = {law.equation()}", language=None)
units_check = law.check_units(run.data.get("units"))
if units_check.status == "inconsistent":
    st.warning(f"Units: {units_check.summary()} — this law's form depends on the units of the data.")
elif units_check.status == "consistent":
    st.caption(f"Units: {units_check.summary()}.")

data = session.run_data
if data is None:
    st.warning("The training data of this run could not be reopened, so there are no plots or intervals: "
               f"{session.run_data_error or 'no data'}")
    st.stop()

try:
    predicted = cached.predictions(key, index, run, data)
except LawfindError as exc:
    st.error(str(exc))
    st.stop()
if law.decision is None:
    plots = st.columns(2)
    plots[0].altair_chart(parity_chart(predicted, target))
    plots[1].altair_chart(residual_chart(predicted, target))
else:
    st.altair_chart(decision_chart(predicted, target, law.decision.threshold))
    st.caption(f"{int(predicted['correct'].sum())} of {len(predicted)} rows classified correctly.")

st.subheader("Coefficient intervals")
if law.decision is not None or not law.constants:
    st.caption("This law has no fitted constants to give intervals for.")
else:
    session.setdefault("ci_method", "asymptotic")
    session.setdefault("ci_resamples", 200)
    cols = st.columns([2, 1, 1])
    cols[0].radio("Method", ["asymptotic", "bootstrap"], key="ci_method", horizontal=True,
                  help="95 % intervals with the law's structure held fixed (lawfind.uncertainty).")
    cols[1].number_input("Bootstrap resamples", min_value=50, max_value=5000, step=50, key="ci_resamples",
                         disabled=session.ci_method != "bootstrap")
    if cols[2].button("Compute intervals", key="compute_ci"):
        session[f"ci_shown_{key}_{index}"] = (session.ci_method, int(session.ci_resamples))
    chosen = session.get(f"ci_shown_{key}_{index}")
    if chosen:
        try:
            found = cached.intervals(key, index, chosen[0], chosen[1], run, data)
        except LawfindError as exc:
            st.error(str(exc))
        else:
            st.latex(f"{latex_symbol(target)} = " + law_latex(law, found, symbol_names=latex_symbols(law.features)))
            st.dataframe(constants_table(law, [found]), hide_index=True, width="stretch")
            st.caption(f"{chosen[0]} 95 % intervals" + (f", {chosen[1]} resamples" if chosen[0] == "bootstrap"
                                                         else ""))

st.subheader("Structure stability")
st.caption("Repeats this run's search on bootstrap resamples of the data and counts how often each law "
           "structure comes back (lawfind.uncertainty.law_stability). It runs one search per resample.")
cols = st.columns([1, 1, 2])
n_resamples = cols[0].number_input("Resamples", min_value=2, max_value=50, value=5, key="stab_n")
seconds = cols[1].number_input("Seconds per search", min_value=1, max_value=600,
                               value=int(min(max(run.config.get("time_limit", 5), 1), 5)), key="stab_seconds")
stability_key = f"stability_{key}_{n_resamples}_{seconds}"
if cols[2].button(f"Run {n_resamples} searches (about {n_resamples * seconds} s)", key="run_stability"):
    from lawfind.uncertainty import law_stability

    bar = st.progress(0.0, text="stability: starting")
    try:
        result = law_stability(run, data, n_resamples=int(n_resamples), time_limit=float(seconds),
                               progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m))
    except LawfindError as exc:
        st.error(str(exc))
    else:
        session[stability_key] = (result.summary(), result.structures())
    bar.empty()
if stability_key in session:
    text, structures = session[stability_key]
    st.markdown(text)
    st.dataframe(structures, hide_index=True, width="stretch")
