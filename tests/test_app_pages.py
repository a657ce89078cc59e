"""The Streamlit explorer, page by page, with streamlit.testing.v1.AppTest (no browser)."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("streamlit")
pytest.importorskip("altair")

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from conftest import FixedEngine  # noqa: E402
from lawfind import discover  # noqa: E402
from lawfind.search import ENGINES  # noqa: E402

APP = Path(__file__).resolve().parents[1] / "apps" / "explorer" / "streamlit_app.py"
MIRROR = Path(os.environ.get("LAWFIND_DATA_DIR") or "/work/shared/data")
needs_mirror = pytest.mark.skipif(not (MIRROR / "bartel2019_perovskite_tau").is_dir(),
                                  reason=f"no dataset mirror with the Bartel tables at {MIRROR}")
UPLOAD, BUILTIN = "Upload a CSV", "Built-in dataset"


def planted_csv(n: int = 40, extra: bool = False) -> bytes:
    """y = 1.5 + 2·a − 0.7·b (plus a text column when ``extra``)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.uniform(1, 3, n), "b": rng.uniform(1, 3, n)})
    frame["y"] = 1.5 + 2 * frame["a"] - 0.7 * frame["b"]
    if extra:
        frame["name"] = [f"s{i}" for i in range(n)]
    return frame.to_csv(index=False).encode()


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch, tmp_path):
    """Every test starts with empty Streamlit caches and its own working directory."""
    if MIRROR.is_dir():
        monkeypatch.setenv("LAWFIND_DATA_DIR", str(MIRROR))
    monkeypatch.setenv("LAWFIND_CACHE_DIR", str(tmp_path / "cache"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def new_app(tmp_path: Path, source: str = UPLOAD) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["store"] = str(tmp_path / "runs")
    at.session_state["data_source"] = source
    at.run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    """No uncaught exception on the page."""
    assert not at.exception, [e.message for e in at.exception]


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="upload").set_value((name, content, "text/csv"))
    at.run()
    ok(at)
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    ok(at)
    return at


def search(at: AppTest, engine: str = "sparse", seconds: int = 1, max_terms: int = 1, wait: bool = True) -> AppTest:
    go(at, "search")
    at.selectbox(key="engine").select(engine)
    at.run()
    at.number_input(key="time_limit").set_value(seconds)
    if engine == "sparse":
        at.number_input(key="max_terms").set_value(max_terms)
    at.run()
    at.button(key="run_search").click()
    at.run()
    ok(at)
    if wait and at.session_state["job"] is not None:
        assert at.session_state["job"].wait(60)
        at.run()
        ok(at)
    return at


# ----------------------------------------------------------------- Data
@needs_mirror
def test_data_page_builtin_dataset(tmp_path):
    at = new_app(tmp_path, BUILTIN)
    assert at.title[0].value == "Data"
    assert at.session_state["data_label"] == "datasets:bartel_double_perovskites_predicted"
    assert at.selectbox(key="target").value == "tau" and at.radio(key="task").value == "regression"
    assert "Ready: 2021 rows, target 'tau' (regression), 4 features" in texts(at.success)
    assert at.session_state["units"]["rA (Ang)"] == "angstrom"
    assert "No missing values." in texts(at.caption)
    at.selectbox(key="builtin").select("bartel_perovskites")
    at.run()
    ok(at)
    assert at.selectbox(key="target").value == "exp_label" and at.radio(key="task").value == "classification"
    assert "Ready: 576 rows, target 'exp_label' (classification)" in texts(at.success)


def test_upload_a_valid_csv(tmp_path):
    at = new_app(tmp_path)
    assert at.session_state["frame"] is None and "upload a CSV" in texts(at.info)
    upload(at, "planted.csv", planted_csv())
    assert at.selectbox(key="target").value == "y"
    assert at.session_state["features"] == ["a", "b"]
    assert "Ready: 40 rows, target 'y' (regression), 2 features." in texts(at.success)
    kept = list((tmp_path / "runs" / "_uploads").glob("planted-*.csv"))
    assert len(kept) == 1 and at.session_state["data_label"] == str(kept[0])


@pytest.mark.parametrize(("name", "content", "message"), [
    ("data.csv", b'[{"a": 1, "y": 2}]', "is JSON, not CSV"),
    ("data.csv", b"\x00\x01binary", "is not a CSV file (it is binary)"),
    ("data.csv", b"", "'data.csv' is empty"),
    ("data.csv", b"a,a,y\n1,2,3\n", "duplicate column names in 'data.csv': ['a']"),
    ("data.csv", b"a,b,y\n", "has a header but no data rows"),
    ("data.csv", b"a,y\n" + b"1,2\n" * (11 * 1024 * 1024 // 2), "above the 20 MB limit"),
])
def test_upload_errors_are_shown_and_keep_the_previous_data(tmp_path, name, content, message):
    at = new_app(tmp_path)
    upload(at, "good.csv", planted_csv())
    upload(at, name, content)
    assert message in texts(at.error)
    assert at.session_state["data_label"].endswith(".csv") and "good-" in at.session_state["data_label"]
    assert "Ready: 40 rows" in texts(at.success)


def test_bad_target_and_units_are_reported(tmp_path):
    at = upload(new_app(tmp_path), "text.csv", planted_csv(extra=True))
    at.selectbox(key="target").select("name")
    at.run()
    ok(at)
    assert at.radio(key="task").value == "classification"  # a text target suggests classification
    at.radio(key="task").set_value("regression")
    at.run()
    assert "the target 'name' in" in texts(at.error) and "is not numeric" in texts(at.error)
    at.selectbox(key="target").select("y")
    at.run()
    at.session_state["units"] = {"a": "furlongs per blorb"}
    at.run()
    assert "unit 'furlongs per blorb' of column 'a' is not understood by pint" in texts(at.error)


# ----------------------------------------------------------------- Features
def test_features_page(tmp_path):
    at = go(upload(new_app(tmp_path), "text.csv", planted_csv(extra=True)), "features")
    assert at.multiselect(key="features").value == ["a", "b"]
    assert "Select automatically" in texts(at.caption)
    assert "`name`" in texts(at.caption)  # the text column is not offered
    assert at.get("vega_lite_chart"), "the correlation heatmap"
    at.button[1].click()  # None
    at.run()
    assert at.multiselect(key="features").value == []
    assert "Keep at least one feature column" in texts(at.warning)
    assert "no feature columns" in texts(at.error)
    at.button[0].click()  # all numeric
    at.run()
    assert at.multiselect(key="features").value == ["a", "b"]
    go(at, "data")  # the choice survives a page switch
    go(at, "features")
    assert at.multiselect(key="features").value == ["a", "b"]


def test_features_page_selects_automatically(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.uniform(1, 3, 150), "b": rng.uniform(1, 3, 150), "noise": rng.uniform(1, 3, 150),
                          "const": 4.0})
    frame["copy"] = 3 * frame["a"]
    frame["y"] = 2 * frame["a"] + frame["b"] ** 2 + 0.05 * rng.normal(size=150)
    at = go(upload(new_app(tmp_path), "sel.csv", frame.to_csv(index=False).encode()), "features")
    assert at.multiselect(key="features").value == ["a", "b", "noise", "const", "copy"]
    at.button(key="auto_select").click()
    at.run()
    ok(at)
    assert at.multiselect(key="features").value == ["a", "b"]  # the kept columns became the kept features
    assert "kept 2 of 5 features (a, b)" in texts(at.success)
    report = at.dataframe[0].value
    assert report.set_index("feature").loc["const", "reason"] == "constant (1 distinct value)"
    assert report.set_index("feature").loc["copy", "step"] == "correlation"
    at.multiselect(key="select_steps").set_value([])
    at.run()
    assert at.button(key="auto_select").disabled  # no step chosen
    go(at, "data")
    at.selectbox(key="target").select("const")
    at.run()
    go(at, "features")
    at.multiselect(key="select_steps").set_value(["constant", "lasso"])
    at.run()
    at.button(key="auto_select").click()
    at.run()
    ok(at)
    assert "the target 'const' is constant (4.0): no feature can explain it" in texts(at.error)  # select's error
    assert not at.dataframe  # no report for a failed selection


def test_pages_without_data_say_what_to_do(tmp_path):
    at = new_app(tmp_path)
    for page, expected in (("features", "Load data on the Data page"), ("laws", "Run a search"),
                           ("explain", "Run a search"), ("export", "No run yet")):
        go(at, page)
        assert expected in texts(at.info)
    go(at, "search")
    assert "no data loaded yet" in texts(at.error)


# ----------------------------------------------------------------- Search → Laws → Explain → Export
def test_search_laws_explain_export(tmp_path):
    at = search(upload(new_app(tmp_path), "planted.csv", planted_csv()), max_terms=2)
    assert "pysr" in texts(at.caption)  # shown as unavailable, with the reason
    notice = texts(at.success)
    assert "Search completed" in notice and str(tmp_path / "runs") in notice
    run = at.session_state["run"]
    assert run.status == "completed" and run.best.equation(6) == "2*a - 0.7*b + 1.5"
    assert any("\\mathrm{y}" in l.value or "y =" in l.value for l in at.latex)

    go(at, "laws")
    assert at.get("vega_lite_chart"), "Pareto, parity and residual charts"
    assert len(at.get("vega_lite_chart")) == 3
    assert at.selectbox(key="law_pick").value == run.front.best_index
    at.selectbox(key="law_pick").select(0)
    at.run()
    ok(at)
    assert at.session_state["law_index"] == 0
    first = run.front.law(0)
    assert any(first.latex() in l.value for l in at.latex)
    at.selectbox(key="law_pick").select(run.front.best_index)
    at.run()
    at.button(key="compute_ci").click()
    at.run()
    ok(at)
    assert any("\\pm" in l.value for l in at.latex), "the law with its intervals"

    go(at, "explain")
    at.multiselect(key="baseline_models").set_value(["linear"])
    at.button(key="run_baselines").click()
    at.run()
    ok(at)
    table = at.dataframe[0].value
    assert list(table["model"]) == [f"law {run.front.best_index}", "linear"]
    at.selectbox(key="shap_model").set_value("decision tree")  # TreeExplainer; the additive law in closed form
    at.number_input(key="shap_background").set_value(20)
    at.number_input(key="shap_rows").set_value(30)
    at.button(key="run_shap").click()
    at.run()
    ok(at)
    assert "Spearman" in [m.label.split(" (")[0] for m in at.metric]
    importance = at.dataframe[1].value
    assert set(importance["feature"]) == {"a", "b"} and importance["used_by_law"].all()
    assert len(at.get("image")) == 3  # importance + one dependence plot per law feature
    assert "tree SHAP" in texts(at.caption) and "additive SHAP" in texts(at.caption)

    go(at, "export")
    buttons = at.get("download_button")
    assert len(buttons) == 9
    assert "\\begin{equation}" in at.code[-1].value

    at.button(key="reopen").click()
    at.run()
    ok(at)
    assert "Reopened" in at.session_state["notice"]
    reopened = at.session_state["run"]
    assert reopened.path is not None and reopened.best.equation() == run.best.equation()
    assert at.session_state["run_data"] is not None  # the upload copy is the run's source


def test_identical_search_is_not_run_twice(tmp_path):
    at = search(upload(new_app(tmp_path), "planted.csv", planted_csv()))
    first_job = at.session_state["job"]
    at.button(key="run_search").click()
    at.run()
    ok(at)
    assert at.session_state["job"] is first_job  # no new search
    assert "its result is shown again" in texts(at.success)
    at.checkbox(key="force").check()
    at.run()
    at.button(key="run_search").click()
    at.run()
    assert at.session_state["job"] is not first_job
    assert at.session_state["job"].wait(60)


def test_stop_keeps_the_best_so_far_laws(tmp_path):
    at = search(upload(new_app(tmp_path), "planted.csv", planted_csv()), engine="operon", seconds=60, wait=False)
    job = at.session_state["job"]
    assert job is not None and not job.done
    assert "Stop" in [b.label for b in at.button]
    deadline = time.monotonic() + 30
    while job.fraction == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    at.button(key="stop_search").click()
    at.run()
    ok(at)
    assert job.stop_requested
    assert job.wait(30)
    at.run()
    ok(at)
    assert job.state == "interrupted" and job.elapsed < 30
    assert "stopped by you; the best-so-far laws were kept" in texts(at.success)
    assert "stopped early" in texts(at.warning)
    assert at.session_state["run"].status == "interrupted"


def test_search_errors_are_shown(tmp_path):
    at = upload(new_app(tmp_path), "tiny.csv", b"a,y\n1,1\n2,3\n3,2\n4,5\n5,4\n6,6\n")
    search(at, max_terms=4)
    assert "needs at least 6" in texts(at.error)
    assert at.session_state["run"] is None


@needs_mirror
def test_classification_target_lists_engines(tmp_path):
    at = new_app(tmp_path, BUILTIN)
    at.selectbox(key="builtin").select("bartel_perovskites")
    at.run()
    go(at, "search")
    if not any(cls.supports_classification for cls in ENGINES.values()):
        assert "No engine supports a classification target" in texts(at.error)
        assert "does not support classification" in texts(at.caption)
    else:
        assert at.selectbox(key="engine").options
        assert at.selectbox(key="engine").value == "sisso"  # what lawfind discover runs for classification


# ----------------------------------------------------------------- reopening runs
def test_reopen_a_run_whose_data_moved(tmp_path):
    csv = tmp_path / "table.csv"
    csv.write_bytes(planted_csv())
    discover(csv, "y", engine=FixedEngine(), time_limit=1, out=tmp_path / "runs" / "fixed")
    csv.unlink()
    at = go(new_app(tmp_path), "export")
    assert at.selectbox(key="reopen_choice").value == "fixed"
    at.button(key="reopen").click()
    at.run()
    ok(at)
    assert at.session_state["run"] is not None and at.session_state["run_data"] is None
    go(at, "laws")
    assert "could not be reopened" in texts(at.warning) and "no longer exists" in texts(at.warning)
    go(at, "export")
    disabled = {b.label: b.disabled for b in at.get("download_button")}
    assert disabled["Predictions (CSV)"] and disabled["Report (HTML)"] and not disabled["LaTeX equation"]


def test_laws_page_warns_when_a_law_depends_on_the_units(tmp_path):
    csv = tmp_path / "table.csv"
    frame = pd.read_csv(io.BytesIO(planted_csv()))
    frame.assign(y=1.5 + 2 * np.cos(frame["a"])).to_csv(csv, index=False)
    engine = FixedEngine(expressions=("1.5 + 2*cos(x0)", "2.5 - 0.8*x0"))
    discover(csv, "y", engine=engine, time_limit=1, units={"a": "eV", "b": "K"},
             out=tmp_path / "runs" / "fixed")
    at = go(new_app(tmp_path), "export")
    at.button(key="reopen").click()
    at.run()
    ok(at)
    at = go(at, "laws")
    front = at.session_state["run"].front
    at.selectbox(key="law_pick").select(1)  # the law with cos(a)
    at.run()
    ok(at)
    assert "cos" in front.law(1).equation()
    assert "Units: inconsistent: cos(a) needs a dimensionless argument, but a is in electron_volt" in texts(at.warning)
    at.selectbox(key="law_pick").select(0)
    at.run()
    ok(at)
    assert "Units: consistent" in texts(at.caption) and "Units:" not in texts(at.warning)


def test_laws_page_says_what_was_kept_off_the_front(tmp_path):
    csv = tmp_path / "table.csv"
    csv.write_bytes(planted_csv())
    discover(csv, "y", engine=FixedEngine(), time_limit=1, out=tmp_path / "runs" / "fixed")  # its bare x0 has R² < 0
    at = go(new_app(tmp_path), "export")
    at.button(key="reopen").click()
    at.run()
    ok(at)
    at = go(at, "laws")
    assert "1 candidate law less accurate than the mean of the target (R² ≤ 0) left off the front." in texts(at.caption)


def test_reopen_a_damaged_run(tmp_path):
    csv = tmp_path / "table.csv"
    csv.write_bytes(planted_csv())
    out = tmp_path / "runs" / "fixed"
    discover(csv, "y", engine=FixedEngine(), time_limit=1, out=out)
    (out / "laws.json").write_text('{"schema": "lawfind.laws/1", "front": {"laws": []}}', encoding="utf-8")
    at = go(new_app(tmp_path), "export")
    at.button(key="reopen").click()
    at.run()
    ok(at)
    assert "holds no law" in texts(at.error)
    assert at.session_state["run"] is None


def test_settings_changed_together_with_the_click_are_used(tmp_path):
    """The Run button's callback reads the settings of that very interaction, not of the previous run."""
    at = go(upload(new_app(tmp_path), "planted.csv", planted_csv()), "search")
    at.selectbox(key="engine").select("sparse")
    at.run()
    at.number_input(key="time_limit").set_value(2)
    at.number_input(key="max_terms").set_value(2)
    at.selectbox(key="sparse_method").select("beam")
    at.number_input(key="seed").set_value(7)
    at.button(key="run_search").click()  # no run in between
    at.run()
    job = at.session_state["job"]
    assert job.spec.time_limit == 2 and job.spec.seed == 7
    assert job.spec.engine_options() == {"max_terms": 2, "method": "beam"}
    assert job.wait(60) and job.run.info["method"] == "beam"


def test_changing_the_run_store_lists_its_runs(tmp_path):
    csv = tmp_path / "table.csv"
    csv.write_bytes(planted_csv())
    for store, name in (("runs", "first"), ("other", "second")):
        discover(csv, "y", engine=FixedEngine(), time_limit=1, out=tmp_path / store / name)
    at = go(new_app(tmp_path), "export")
    assert at.selectbox(key="reopen_choice").value == "first"
    at.text_input(key="store").set_value(str(tmp_path / "other"))
    at.run()
    ok(at)
    assert at.selectbox(key="reopen_choice").value == "second"
    at.text_input(key="store").set_value(str(tmp_path / "empty"))
    at.run()
    ok(at)
    assert "No runs in" in texts(at.caption)
