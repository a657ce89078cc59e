"""lawfind.explore: the app glue (background search with stop, uploads, run store, engines, exports, charts)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("altair")

from conftest import linear_frame  # noqa: E402
from lawfind import make_demo  # noqa: E402
from lawfind.data import Dataset  # noqa: E402
from lawfind.exceptions import ConfigError, DataError  # noqa: E402
from lawfind.explore import (  # noqa: E402
    EngineChoice, SearchJob, SearchSpec, column_summary, correlation_heatmap, correlation_long, default_engine,
    engine_choices, export_download, list_runs, new_run_path, numeric_columns, pareto_chart, parity_chart,
    pysr_status, read_upload, residual_chart, store_upload,
)
from lawfind.export import FORMATS  # noqa: E402
from lawfind.law import parse_expression  # noqa: E402
from lawfind.search import ENGINES, Engine, SearchResult  # noqa: E402
from lawfind.run import Run  # noqa: E402


@pytest.fixture(scope="module")
def hall_petch() -> Dataset:
    return Dataset.from_frame(make_demo("hall_petch", n=60), "sigma_y [MPa]", units={"d [um]": "um"})


@pytest.fixture(scope="module")
def finished(hall_petch, tmp_path_factory) -> SearchJob:
    out = tmp_path_factory.mktemp("store") / "run"
    job = SearchJob(hall_petch, SearchSpec("sparse", time_limit=2, options=(("max_terms", 1),)), out).start()
    assert job.wait(60)
    return job


# ----------------------------------------------------------------- SearchJob
def test_job_runs_in_background_and_saves(finished):
    assert finished.state == "completed" and finished.error is None
    assert finished.run.best.equation() == "70 + 600/sqrt(`d [um]`)"
    assert finished.fraction == 1.0 and finished.elapsed > 0
    assert Run.load(finished.out).best.equation() == finished.run.best.equation()
    # the run records the real engine, not the stoppable wrapper
    assert finished.run.config["engine"]["name"] == "sparse"
    assert finished.run.front[0].origin == "sparse"


def test_stop_keeps_the_best_so_far_front():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.uniform(1, 2, (80, 8)), columns=[f"f{i}" for i in range(8)])
    frame["y"] = 2 * frame["f0"] / frame["f1"] + rng.normal(0, 0.05, 80)
    data = Dataset.from_frame(frame, "y")
    spec = SearchSpec("sparse", time_limit=60, options=(("max_terms", 4), ("method", "best_subset")))
    job = SearchJob(data, spec).start()
    deadline = time.monotonic() + 30
    while job.fraction < 0.05 and time.monotonic() < deadline:  # let the search get going
        time.sleep(0.05)
    job.stop()
    assert job.state == "stopping" and job.stop_requested
    assert job.wait(30)
    assert job.state == "interrupted", job.error
    assert job.run.status == "interrupted" and len(job.run.front) >= 1
    assert job.elapsed < 30


@dataclass
class _SlowEngine(Engine):
    """Reports progress for a second; on Ctrl-C returns fixed candidates (like every engine)."""

    name = "slow"

    def search(self, X, y, *, time_limit, seed, progress):  # noqa: N803
        candidates = [parse_expression("1.5 + 2*x0 - 0.7*x1"), parse_expression("2*x0")]
        try:
            for step in range(100):
                progress(step / 100, f"step {step}")
                time.sleep(0.01)
        except KeyboardInterrupt:
            return SearchResult(candidates, interrupted=True)
        return SearchResult(candidates)


def test_second_stop_skips_the_polishing(monkeypatch):
    monkeypatch.setitem(ENGINES, "slow", _SlowEngine)
    job = SearchJob(Dataset.from_frame(linear_frame(), "y"), SearchSpec("slow", time_limit=5)).start()
    job.stop()
    job.stop()  # two requests: the first ends the search, the second the polishing
    assert job.wait(30)
    assert job.state == "interrupted" and job.phase == "polish"
    assert job.run.info.get("polished") is False
    assert {law.equation() for law in job.run.front} >= {"2*a"}


def test_one_stop_polishes_the_best_so_far(monkeypatch):
    monkeypatch.setitem(ENGINES, "slow", _SlowEngine)
    job = SearchJob(Dataset.from_frame(linear_frame(), "y"), SearchSpec("slow", time_limit=5)).start()
    job.stop()
    assert job.wait(30)
    assert job.state == "interrupted" and "polished" not in job.run.info
    assert job.run.best.equation() == "2*a - 0.7*b + 1.5"


@dataclass
class _TaskAwareEngine(Engine):
    """Records the task lawfind.discover hands to engines with a ``task`` field."""

    name = "taskaware"
    task: str = "unset"
    seen: ClassVar[list] = []

    def search(self, X, y, *, time_limit, seed, progress):  # noqa: N803
        type(self).seen.append(self.task)
        progress(0.5, "half way")
        return SearchResult([parse_expression("1.5 + 2*x0 - 0.7*x1")])


def test_the_stoppable_engine_is_still_the_real_engine(monkeypatch):
    import dataclasses

    monkeypatch.setitem(ENGINES, "taskaware", _TaskAwareEngine)
    _TaskAwareEngine.seen.clear()
    job = SearchJob(Dataset.from_frame(linear_frame(), "y"), SearchSpec("taskaware", time_limit=5)).start()
    assert job.wait(30) and job.state == "completed"
    assert _TaskAwareEngine.seen == ["regression"]  # discover adapted the engine through the wrapper
    assert job.phase == "polish" and job.run.config["engine"] == {"name": "taskaware", "task": "regression"}
    assert isinstance(job._engine, _TaskAwareEngine) and job._engine.name == "taskaware"
    assert [f.name for f in dataclasses.fields(job._engine)] == ["task"]


def test_stop_before_any_candidate_is_an_honest_error(hall_petch):
    job = SearchJob(hall_petch, SearchSpec("sparse", time_limit=5))
    job.stop()  # not started: nothing to stop
    assert job.state == "pending"
    job._stops = 1  # a stop requested before the engine's first progress report
    job.start()
    assert job.wait(30)
    assert job.state == "failed" and job.run is None
    assert "interrupted" in job.error


def test_bad_engine_option_fails_at_start(hall_petch):
    with pytest.raises(ConfigError, match="max_terms"):
        SearchJob(hall_petch, SearchSpec("sparse", options=(("max_terms", 0),))).start()
    with pytest.raises(ConfigError, match="did you mean 'sparse'"):
        SearchJob(hall_petch, SearchSpec("sprase")).start()


def test_search_errors_are_reported_not_raised():
    frame = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": [1.0, 3, 2, 5, 4, 6]})
    spec = SearchSpec("sparse", time_limit=2, options=(("cv_folds", 10),))
    job = SearchJob(Dataset.from_frame(frame, "y"), spec).start()
    assert job.wait(30)
    assert job.state == "failed" and "cannot be split into cv_folds=10" in job.error


def test_spec_key_changes_with_data_and_settings(hall_petch):
    spec = SearchSpec("sparse", 2, 0, (("max_terms", 1),))
    assert spec.key(hall_petch) == SearchSpec("sparse", 2.0, 0, (("max_terms", 1),)).key(hall_petch)
    assert spec.key(hall_petch) != SearchSpec("sparse", 2, 1, (("max_terms", 1),)).key(hall_petch)
    assert spec.key(hall_petch) != SearchSpec("sparse", 2, 0, (("max_terms", 2),)).key(hall_petch)
    other = Dataset.from_frame(make_demo("hall_petch", n=61), "sigma_y [MPa]")
    assert spec.key(hall_petch) != spec.key(other)
    assert SearchSpec("operon", options=(("operators", ["add", "mul"]),)).engine_options() == {
        "operators": ("add", "mul")}


# ----------------------------------------------------------------- uploads
def test_read_upload_reads_a_csv():
    frame = read_upload("table.csv", b"a,b,y\n1,2,3\n4,5,6\n")
    assert list(frame.columns) == ["a", "b", "y"] and len(frame) == 2


@pytest.mark.parametrize(("name", "content", "message"), [
    ("big.csv", b"a,y\n" + b"1,2\n" * 10, r"above the 1e-05 MB limit"),
    ("table.xlsx", b"PK\x03\x04", r"is a \.xlsx file, not a CSV file"),
    ("empty.csv", b"", r"'empty.csv' is empty"),
    ("blank.csv", b"  \n\n", r"is empty"),
    ("binary.csv", b"\x00\x01\x02abc", r"'binary.csv' is not a CSV file \(it is binary\)"),
    ("data.csv", b'{"a": [1, 2]}', r"is JSON, not CSV"),
    ("latin.csv", "é,y\n1,2\n".encode("latin-1"), r"not a UTF-8 text CSV"),
    ("dup.csv", b"a,a,y\n1,2,3\n", r"duplicate column names in 'dup.csv': \['a'\]"),
    ("header.csv", b"a,b,y\n", r"'header.csv' has a header but no data rows"),
    ("one.csv", b"y\n1\n2\n", r"'one.csv' has 1 column"),
    ("index.csv", b",a,y\n0,1,2\n", r"have no name in the header row"),
])
def test_read_upload_errors_are_one_clear_message(name, content, message):
    max_mb = 1e-5 if name == "big.csv" else 20
    with pytest.raises(DataError, match=message) as info:
        read_upload(name, content, max_mb=max_mb)
    assert "lawfind-upload-" not in str(info.value)  # the temporary file name never shows


def test_store_upload_is_content_addressed(tmp_path):
    first = store_upload(tmp_path, "my data (1).csv", b"a,y\n1,2\n")
    again = store_upload(tmp_path, "my data (1).csv", b"a,y\n1,2\n")
    other = store_upload(tmp_path, "my data (1).csv", b"a,y\n1,3\n")
    assert first == again != other
    assert first.parent == tmp_path / "_uploads" and first.name.startswith("my_data_1-")
    assert first.read_bytes() == b"a,y\n1,2\n"


# ----------------------------------------------------------------- run store
def test_list_runs_and_new_run_path(finished, tmp_path):
    store = finished.out.parent
    (store / "not_a_run").mkdir()
    (store / "broken").mkdir()
    (store / "broken" / "run.json").write_text("{", encoding="utf-8")
    (store / "broken" / "laws.json").write_text("{}", encoding="utf-8")
    table = list_runs(store)
    assert list(table["run"]) == ["run"]
    assert table.loc[0, "engine"] == "sparse" and table.loc[0, "status"] == "completed"
    assert table.loc[0, "target"] == "sigma_y [MPa]"
    assert list_runs(tmp_path / "missing").empty
    path = new_run_path(tmp_path, "datasets:steel_hardness_nims", "Tensile Strength")
    assert path.parent == tmp_path and path.name.startswith("steel_hardness_nims-Tensile_Strength-")
    path.mkdir()
    assert new_run_path(tmp_path, "datasets:steel_hardness_nims", "Tensile Strength") != path
    assert new_run_path(tmp_path, "/x/_uploads/my-table.csv", "y").name.startswith("my_table-y-")


# ----------------------------------------------------------------- engines
def test_engine_choices_explain_what_is_unavailable():
    regression = {c.name: c for c in engine_choices("regression")}
    assert regression["sparse"].available and regression["operon"].available
    assert not regression["pysr"].available and regression["pysr"].reason == pysr_status()
    assert "PySR" in regression["pysr"].reason or "Julia" in regression["pysr"].reason
    for choice in engine_choices("classification"):
        if not choice.available:
            assert choice.reason
    # the first selection is what lawfind discover runs by default for the task
    assert default_engine(engine_choices("regression"), "regression") == "portfolio"
    assert default_engine(engine_choices("classification"), "classification") == "sisso"
    only_sparse = [c if c.name == "sparse" else EngineChoice(c.name, c.description, False, "off")
                   for c in engine_choices("regression")]
    assert default_engine(only_sparse, "regression") == "sparse"


def test_pysr_status_never_imports_pysr(monkeypatch):
    import importlib.util
    import sys

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object() if name == "pysr" else real(name, *a))
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("PYTHON_JULIAPKG_EXE", raising=False)
    assert "needs Julia" in pysr_status()
    assert "pysr" not in sys.modules
    choice = {c.name: c for c in engine_choices()}["pysr"]
    assert not choice.available and "needs Julia" in choice.reason


# ----------------------------------------------------------------- tables and charts
def test_tables():
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1, 2, 3], "s": ["x", "y", None], "t": [True, False, True]})
    assert numeric_columns(frame) == ["a", "b"]
    table = column_summary(frame, {"a": "MPa"}).set_index("column")
    assert table.loc["a", "missing"] == 1 and table.loc["s", "missing"] == 1 and table.loc["a", "unit"] == "MPa"
    assert table.loc["a", "mean"] == 2.0 and np.isnan(table.loc["s", "mean"])
    long = correlation_long(frame, ["a", "b"])
    assert len(long) == 4 and long.set_index(["x", "y"]).loc[("a", "b"), "r"] == pytest.approx(1.0)
    assert correlation_heatmap(long).to_dict()["width"] >= 240


def test_charts(finished, hall_petch):
    from lawfind.explore import FRONT_SELECTION
    from lawfind.export import predictions_frame

    front = finished.run.front.to_frame()
    spec = pareto_chart(front, selected=0).to_dict()
    assert FRONT_SELECTION in json.dumps(spec["params"])
    predictions = predictions_frame(finished.run.best, hall_petch)
    assert parity_chart(predictions, "sigma_y [MPa]").to_dict()
    assert residual_chart(predictions, "sigma_y [MPa]").to_dict()


# ----------------------------------------------------------------- exports
@pytest.mark.parametrize("fmt", ["latex", "table", "python", "sympy", "json", "csv"])
def test_export_download(finished, hall_petch, fmt):
    download = export_download(finished.run, fmt, data=hall_petch)
    assert download.file_name.startswith("law") and download.data and download.mime
    if fmt == "latex":
        assert b"\\begin{equation}" in download.data and download.file_name.endswith(".tex")
    if fmt == "csv":
        assert pd.read_csv(io.BytesIO(download.data))["residual"].abs().max() < 1e-9


def test_export_download_with_intervals(finished, hall_petch):
    law = finished.run.front.law(0)
    assert law.constants
    download = export_download(finished.run, "json", law=0, data=hall_petch, intervals="asymptotic")
    assert "asymptotic" in download.data.decode()


@pytest.mark.slow
def test_export_download_figures_zip(finished, hall_petch):
    download = export_download(finished.run, "figures", data=hall_petch)
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert download.file_name.endswith(".zip") and any(n.endswith(".png") for n in names)


def test_every_export_format_has_a_label():
    from lawfind.explore import FORMAT_LABELS, format_label

    assert set(FORMATS) <= set(FORMAT_LABELS)
    assert format_label("new-format") == "new-format"
