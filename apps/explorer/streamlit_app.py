"""lawfind explorer: data → features → search → laws → explain → export.

Start it with ``lawfind app`` (or ``streamlit run apps/explorer/streamlit_app.py``).
The pages only call the public lawfind API (and the app glue in :mod:`lawfind.explore`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the pages import explorer_ui wherever Streamlit was started
    sys.path.insert(0, str(HERE))

import lawfind  # noqa: E402
from explorer_ui import state  # noqa: E402

st.set_page_config(page_title="lawfind explorer", page_icon=":material/functions:", layout="wide")
state.init_state()
state.keep_widget_state()
state.collect_finished_job()

PAGES = [
    st.Page(str(HERE / "app_pages" / "data.py"), title="Data", icon=":material/table:", default=True),
    st.Page(str(HERE / "app_pages" / "features.py"), title="Features", icon=":material/view_column:"),
    st.Page(str(HERE / "app_pages" / "search.py"), title="Search", icon=":material/search:"),
    st.Page(str(HERE / "app_pages" / "laws.py"), title="Laws", icon=":material/functions:"),
    st.Page(str(HERE / "app_pages" / "explain.py"), title="Explain", icon=":material/insights:"),
    st.Page(str(HERE / "app_pages" / "export.py"), title="Export & runs", icon=":material/download:"),
]
page = st.navigation(PAGES)

with st.sidebar:
    st.text_input("Run store (folder of runs)", key="store",
                  help="Searches are saved here as run folders; the Export & runs page reopens them.")
    session = st.session_state
    if session.frame is not None:
        st.caption(f"**Data** {session.data_label} · {len(session.frame)} rows")
        st.caption(f"**Target** {session.target} ({session.task}) · {len(session.get('features') or [])} features")
    if session.run is not None:
        st.caption(f"**Run** {session.run.path.name if session.run.path else '(not saved)'} · "
                   f"{len(session.run.front)} laws · {session.run.status}")
    job = session.job
    if job is not None and not job.done:
        st.caption(f"**Searching…** {job.fraction:.0%}")
    st.caption(f"lawfind {lawfind.__version__}")

page.run()
