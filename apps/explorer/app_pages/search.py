"""Search: engine, budget and options; the search runs in the background with live progress and Stop."""

from __future__ import annotations

import streamlit as st

from explorer_ui import cached, state
from lawfind.exceptions import LawfindError
from lawfind.export import latex_symbol
from lawfind.explore import SPARSE_METHODS, SearchJob, SearchSpec, default_engine, engine_choices, new_run_path
from lawfind.search import OPERON_OPERATORS, OperonEngine

session = st.session_state
st.title("Search")

dataset, error = state.current_dataset()
if error:
    st.error(error)
    st.page_link("app_pages/data.py", label="Go to Data", icon=":material/table:")
    st.stop()
st.caption(f"{dataset.source} · target {dataset.target!r} ({dataset.task}) · {dataset.n_rows} rows · "
           f"features: {', '.join(dataset.features)}")

choices = engine_choices(dataset.task)
available = [c.name for c in choices if c.available]
descriptions = {c.name: c.description for c in choices}
unavailable = [c for c in choices if not c.available]
if not available:
    st.error(f"No engine supports a {dataset.task} target in this version of lawfind.")
    for choice in unavailable:
        st.caption(f"**{choice.name}**: {choice.reason}")
    st.stop()

defaults = {"engine": default_engine(choices, dataset.task), "time_limit": 10, "seed": 0,
            "operators": list(OperonEngine().operators), "max_length": 30, "max_terms": 3, "sparse_method": "auto", "save_runs": True, "force": False}
for key, value in defaults.items():
    session.setdefault(key, value)
if session.engine not in available:
    session.engine = default_engine(choices, dataset.task)

job = session.job
running = job is not None and not job.done
left, right = st.columns(2)
with left:
    st.selectbox("Engine", available, key="engine", format_func=lambda n: f"{n} — {descriptions[n]}",
                 disabled=running)
    if unavailable:
        st.caption("Not available here: " + "; ".join(f"**{c.name}** — {c.reason}" for c in unavailable))
    st.number_input("Budget (seconds of search)", min_value=1, max_value=3600, step=1, key="time_limit",
                    disabled=running, help="Simplification and refitting of the candidates come on top.")
    st.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key="seed", disabled=running)
with right:
    if session.engine == "operon":
        st.multiselect("Operators", list(OPERON_OPERATORS), key="operators", disabled=running)
        st.number_input("Largest expression (nodes)", min_value=3, max_value=100, key="max_length",
                        disabled=running)
    elif session.engine == "sparse":
        st.number_input("Largest number of terms", min_value=1, max_value=6, key="max_terms", disabled=running,
                        help="The number of terms is then chosen by cross-validation.")
        st.selectbox("Term selection", list(SPARSE_METHODS), key="sparse_method", disabled=running,
                     format_func=lambda m: f"{m} — {SPARSE_METHODS[m]}")
    else:
        st.caption(f"The {session.engine} engine runs with its default options here.")
    st.checkbox("Save runs to the run store", key="save_runs", disabled=running)
    st.checkbox("Search again even if an identical search is cached", key="force", disabled=running)


def _spec() -> SearchSpec:
    """The search settings as they are now (callbacks run before the page: never use stale values)."""
    options: tuple = ()
    if session.engine == "operon":
        options = (("operators", tuple(session.operators)), ("max_length", int(session.max_length)))
    elif session.engine == "sparse":
        options = (("max_terms", int(session.max_terms)), ("method", str(session.sparse_method)))
    return SearchSpec(session.engine, float(session.time_limit), int(session.seed), options)


def _start() -> None:
    dataset, error = state.current_dataset()
    if dataset is None:
        session.search_error = error
        return
    spec = _spec()
    key = spec.key(dataset)
    session.notice = session.search_error = None
    earlier = cached.search_cache().get(key)
    if earlier is not None and not session.force:
        state.set_run(earlier, dataset)
        session.notice = ("Same data, columns and settings as an earlier search: its result is shown again "
                          "(tick 'Search again' to rerun).")
        return
    out = new_run_path(state.store(), dataset.source, dataset.target) if session.save_runs else None
    try:
        session.job = SearchJob(dataset, spec, out).start()
        session.job_collected = False
    except LawfindError as exc:
        session.search_error = str(exc)
        return
    session.job_key = key


def _stop() -> None:
    if session.job is not None:
        session.job.stop()


buttons = st.columns([1, 1, 4])
buttons[0].button("Run search", type="primary", on_click=_start, disabled=running, key="run_search")
buttons[1].button("Stop", on_click=_stop, disabled=not running, key="stop_search",
                  help="Stops the engine at its next progress report and keeps the best-so-far laws "
                       "(they are then simplified and refit; click again to skip that).")


@st.fragment(run_every=0.5 if running else None)
def _progress() -> None:
    current = session.job
    if current is None:
        return
    if not current.done:
        if current.stop_requested and current.phase == "polish":
            text = (f"Search stopped; simplifying and refitting the laws found so far ({current.message}). "
                    f"Click Stop again to keep them as they are.")
        elif current.stop_requested:
            text = "Stopping: the engine finishes its current step (about a second)…"
        else:
            text = f"{current.message or 'starting'} · {current.elapsed:.0f} s of {current.spec.time_limit:.0f} s"
        st.progress(current.fraction, text=text)
        return
    if not session.get("job_collected", True):
        st.rerun(scope="app")


_progress()

if session.search_error:
    st.error(session.search_error)
if session.notice:
    st.success(session.notice)
run = session.run
if run is not None and not running:
    if run.status == "interrupted":
        st.warning("This run was stopped early: its front holds the best laws found until then.")
    st.subheader(f"Pareto front ({len(run.front)} laws)")
    st.dataframe(run.front.to_frame(), hide_index=True, width="stretch")
    st.markdown("**Picked law**")
    st.latex(f"{latex_symbol(str(run.data.get('target')))} = {run.best.latex()}")
    st.page_link("app_pages/laws.py", label="Inspect the laws", icon=":material/functions:")
