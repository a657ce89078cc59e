"""The CLI's bad-input contract: one ``error: ...`` line on stderr, exit code 2, no traceback.

Most tests run in-process with Typer's CliRunner and an instant test engine (``--engine
fixed``); a few run the real ``lawfind`` command in a subprocess, and one runs a real
(sparse or short operon) search on odd column names end to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lawfind.cli import app
from lawfind.run import Run
from lawfind.search import ENGINES

from conftest import FixedEngine, linear_frame

runner = CliRunner()


@pytest.fixture(autouse=True)
def fixed_engine(monkeypatch):
    """``--engine fixed``: an instant engine returning the planted law (no real search)."""
    monkeypatch.setitem(ENGINES, "fixed", FixedEngine)


def cli(*args) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def bad(*args, match: str | list[str]) -> str:
    """Run the CLI, expect exit code 2 and exactly one ``error:`` line; return it."""
    code, out, err = cli(*args)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err + out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for part in [match] if isinstance(match, str) else match:
        assert part in lines[0], lines[0]
    return lines[0]


def discover_args(data, out, *more):
    return ["discover", data, "--target", "y", "--engine", "fixed", "--time-limit", "1", "--out", out, *more]


def write(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


# ----------------------------------------------------------------- discover: bad data
def test_missing_target_lists_columns(csv_path, tmp_path):
    bad("discover", csv_path, "--target", "z", "--engine", "fixed", "--out", tmp_path / "r",
        match=["target column 'z' not found", "['a', 'b', 'y']", str(csv_path)])


def test_non_numeric_features_are_named(tmp_path):
    data = write(tmp_path / "d.csv", linear_frame().assign(kind=["fcc", "bcc"] * 15, phase="x"))
    bad(*discover_args(data, tmp_path / "r"), match=["non-numeric feature", "'kind'", "'phase'", "--features"])
    code, out, err = cli(*discover_args(data, tmp_path / "r", "--features", "a,b"))
    assert code == 0, err


@pytest.mark.parametrize("column, value", [("a", "nan"), ("b", "inf"), ("y", "-inf"), ("y", "")])
def test_nan_or_inf_then_dropna(tmp_path, column, value):
    frame = linear_frame().astype(object)
    frame.loc[[2, 9], column] = value
    data = write(tmp_path / "d.csv", frame)
    bad(*discover_args(data, tmp_path / "r"), match=["2 row(s)", f"['{column}']", "--dropna"])
    code, out, err = cli(*discover_args(data, tmp_path / "r", "--dropna", "--json"))
    assert code == 0, err
    assert Run.load(tmp_path / "r").data["dropped_rows"] == 2


def test_constant_target(tmp_path):
    data = write(tmp_path / "d.csv", linear_frame().assign(y=3.0))
    bad(*discover_args(data, tmp_path / "r"), match="target 'y' is constant")


def test_too_few_rows(tmp_path):
    data = write(tmp_path / "d.csv", linear_frame(n=4))
    bad(*discover_args(data, tmp_path / "r"), match=["only 4 usable row(s)", "at least 5"])


def test_duplicate_column_names(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("a,b,a,y\n" + "\n".join(f"{i},{i * i},{i},{2 * i}" for i in range(10)) + "\n")
    bad(*discover_args(data, tmp_path / "r"), match=["duplicate column names", "['a']"])


@pytest.mark.parametrize("content, match", [
    (b"", "is empty"),
    (b"\n \n", "is empty"),
    (bytes(range(256)) * 8, "is not a CSV file (it is binary)"),
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64, "is not a CSV file (it is binary)"),
    (b'{"a": [1, 2, 3], "y": [2, 4, 6]}', "is JSON, not CSV"),
    (b'[{"a": 1, "y": 2}]\n', "is JSON, not CSV"),
    (b"lorem ipsum dolor\nsit amet\n", "has 1 column"),
    (b"a,b,y\n", "has a header but no data rows"),
    (b"a,b,y\n1,2,3\n4,5,6,7,8\n", "is not a readable CSV file"),
    (b"\xff\xfe\xfa garbage \xc3\x28", "is not a UTF-8 text CSV file"),
])
def test_files_that_are_not_csv(tmp_path, content, match):
    data = tmp_path / "d.csv"
    data.write_bytes(content)
    bad(*discover_args(data, tmp_path / "r"), match=[match, str(data)])
    assert not (tmp_path / "r").exists()


def test_missing_data_file(tmp_path):
    bad(*discover_args(tmp_path / "nope.csv", tmp_path / "r"), match="does not exist")


def test_target_also_a_feature(csv_path, tmp_path):
    bad(*discover_args(csv_path, tmp_path / "r", "--features", "a,y"),
        match="target 'y' is also listed as a feature")


@pytest.mark.parametrize("features, match", [("a,,b", "has an empty name"), ("a,c", "['c'] not found"),
                                             ("a,a", "listed more than once")])
def test_bad_feature_lists(csv_path, tmp_path, features, match):
    bad(*discover_args(csv_path, tmp_path / "r", "--features", features), match=match)


# ----------------------------------------------------------------- discover: bad options
@pytest.mark.parametrize("engine, suggestion", [("operom", "operon"), ("Sparse", "sparse"), ("oprn", "operon")])
def test_unknown_engine_suggests_the_closest(csv_path, tmp_path, engine, suggestion):
    bad("discover", csv_path, "--target", "y", "--engine", engine, "--out", tmp_path / "r",
        match=[f"unknown engine {engine!r}", f"did you mean {suggestion!r}"])


@pytest.mark.parametrize("limit", ["0", "-5", "nan", "inf"])
def test_bad_time_limit(csv_path, tmp_path, limit):
    bad(*discover_args(csv_path, tmp_path / "r")[:-4], "--time-limit", limit, "--out", tmp_path / "r",
        match="time_limit must be a positive number of seconds")


def test_engine_specific_options_are_refused_elsewhere(csv_path, tmp_path):
    bad(*discover_args(csv_path, tmp_path / "r", "--max-terms", "2"),
        match="--max-terms applies to the sparse and sisso engines")
    bad(*discover_args(csv_path, tmp_path / "r", "--rung", "2"), match="--rung applies to the sisso engine")
    bad(*discover_args(csv_path, tmp_path / "r", "--max-size", "5"), match="--max-size applies to the sisso engine")
    bad(*discover_args(csv_path, tmp_path / "r", "--method", "omp"), match="--method applies to the sparse engine")
    bad(*discover_args(csv_path, tmp_path / "r", "--units", "x=metre,oops"), match="is not COLUMN=UNIT")
    bad(*discover_args(csv_path, tmp_path / "r", "--task", "clustering"), match="--task must be")


def test_usage_errors_are_one_line_too(csv_path):
    """Through the real entry point (``main``), Typer's usage errors are one line as well."""
    result = _lawfind("discover", "--target", "y", cwd=csv_path.parent)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: Missing argument 'data'; see 'lawfind discover --help'"
    result = _lawfind("discover", csv_path, cwd=csv_path.parent)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --target is required for a CSV file: name the column to explain"


# ----------------------------------------------------------------- discover: run folders
def test_existing_run_folder_needs_overwrite(csv_path, run_dir):
    before = (run_dir / "run.json").read_text()
    bad(*discover_args(csv_path, run_dir), match=["already exists", "--overwrite"])
    assert (run_dir / "run.json").read_text() == before
    code, out, err = cli(*discover_args(csv_path, run_dir, "--overwrite", "--json"))
    assert code == 0, err
    assert json.loads((run_dir / "run.json").read_text())["created"]
    assert sorted(p.name for p in run_dir.parent.iterdir() if p.name.startswith(".")) == []


def test_overwrite_refuses_a_folder_that_is_not_a_run(csv_path, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "paper.tex").write_text("precious")
    bad(*discover_args(csv_path, mine, "--overwrite"), match="non-empty folder without run.json")
    assert (mine / "paper.tex").read_text() == "precious"


def test_json_output_is_one_object(csv_path, tmp_path):
    code, out, err = cli(*discover_args(csv_path, tmp_path / "r", "--json"))
    assert code == 0, err
    result = json.loads(out)  # the whole of stdout is one JSON object
    assert isinstance(result, dict) and {"best", "front"} <= set(result)
    assert result["best"] == result["front"][result["best_index"]]
    for law in result["front"]:
        assert {"expression", "latex", "complexity", "metrics"} <= set(law)
        assert isinstance(law["complexity"], int) and isinstance(law["metrics"]["r2"], float)
    assert result["best"]["expression"] == "2*a - 0.7*b + 1.5"
    assert result["status"] == "completed" and result["run_dir"] == str(tmp_path / "r")


def test_table_output_shows_the_picked_law(csv_path, tmp_path):
    code, out, err = cli(*discover_args(csv_path, tmp_path / "r"))
    assert code == 0, err
    assert "picked: y = 2*a - 0.7*b + 1.5" in out


@dataclass
class WorseThanTheMeanEngine(FixedEngine):
    expressions: tuple[str, ...] = ("x0", "x1 - x0")


def test_laws_worse_than_the_mean_are_kept_off_the_front(csv_path, tmp_path, monkeypatch):
    """FixedEngine's bare ``x0`` has R² < 0 (a, without an intercept, is no model of y = 1.5 + 2a - 0.7b)."""
    code, out, err = cli(*discover_args(csv_path, tmp_path / "r"))
    assert code == 0, err
    run = Run.load(tmp_path / "r")
    assert [law.equation() for law in run.front] == ["2*a", "2*a - 0.7*b + 1.5"]
    assert run.info["worse_than_the_mean"] == 1
    assert "1 candidate law less accurate than the mean of the target (R² ≤ 0) left off the front" in out
    monkeypatch.setitem(ENGINES, "fixed", WorseThanTheMeanEngine)
    bad(*discover_args(csv_path, tmp_path / "r2"), match=["found no law more accurate than the mean of the target",
                                                         "try a longer --time-limit"])


def test_the_time_of_the_search_and_of_polishing_are_reported_apart(csv_path, tmp_path):
    """--time-limit bounds the engine's search; polishing comes on top, so the run says how long each took."""
    code, out, err = cli(*discover_args(csv_path, tmp_path / "r"))
    assert code == 0, err
    info = Run.load(tmp_path / "r").info
    assert 0 <= info["search_seconds"] and 0 < info["polish_seconds"]
    assert f"(search {info['search_seconds']:.1f} s, polishing {info['polish_seconds']:.1f} s)" in out


@dataclass
class InterruptedFixedEngine(FixedEngine):
    name = "fixed_interrupted"
    interrupted: bool = True


@dataclass
class CtrlCEngine(FixedEngine):
    """A badly behaved engine that lets Ctrl-C escape instead of returning its front."""

    name = "ctrl_c"

    def search(self, X, y, *, time_limit, seed, progress):
        raise KeyboardInterrupt


def test_interrupted_search_is_saved_and_reported(csv_path, tmp_path, monkeypatch):
    monkeypatch.setitem(ENGINES, "fixed_interrupted", InterruptedFixedEngine)
    code, out, err = cli("discover", csv_path, "-t", "y", "--engine", "fixed_interrupted", "--out", tmp_path / "r")
    assert code == 0, err
    assert "interrupted: this is the best-so-far front" in out.replace("\n", " ")
    run = Run.load(tmp_path / "r")
    assert run.status == "interrupted" and run.best.equation() == "2*a - 0.7*b + 1.5"


def test_escaped_ctrl_c_exits_130_and_writes_nothing(csv_path, tmp_path, monkeypatch):
    monkeypatch.setitem(ENGINES, "ctrl_c", CtrlCEngine)
    code, out, err = cli("discover", csv_path, "-t", "y", "--engine", "ctrl_c", "--out", tmp_path / "r")
    assert code == 130 and err.strip() == "interrupted" and "Traceback" not in err
    assert not (tmp_path / "r").exists()


# ----------------------------------------------------------------- show
def test_show(run_dir):
    code, out, err = cli("show", run_dir)
    assert code == 0 and "2*a - 0.7*b + 1.5" in out
    code, out, err = cli("show", run_dir, "--json")
    assert json.loads(out)["best"]["expression"] == "2*a - 0.7*b + 1.5"


def test_show_interrupted_run(run_dir):
    path = run_dir / "run.json"
    path.write_text(path.read_text().replace('"completed"', '"interrupted"'))
    code, out, err = cli("show", run_dir)
    assert code == 0 and "interrupted" in out and "best-so-far" in out


@pytest.mark.parametrize("command", ["show", "predict"])
def test_missing_folder(tmp_path, csv_path, command):
    args = [command, tmp_path / "nope"] + ([csv_path, "-o", tmp_path / "p.csv"] if command == "predict" else [])
    bad(*args, match="does not exist")


@pytest.mark.parametrize("command", ["show", "predict"])
@pytest.mark.parametrize("damage, match", [
    ("corrupt run.json", "run.json' is corrupt (not valid JSON"),
    ("foreign run.json", "is not a lawfind file: schema 'mlflow.run/3', expected 'lawfind.run/1'"),
    ("missing laws.json", "laws.json' is missing; is"),
    ("corrupt laws.json", "laws.json' is corrupt (not valid JSON"),
])
def test_damaged_run_folder(run_dir, tmp_path, csv_path, command, damage, match):
    if damage == "corrupt run.json":
        (run_dir / "run.json").write_text('{"schema": "lawfind.run/1", "status": ')
    elif damage == "foreign run.json":
        (run_dir / "run.json").write_text(json.dumps({"schema": "mlflow.run/3", "metrics": {}}))
    elif damage == "missing laws.json":
        (run_dir / "laws.json").unlink()
    else:
        (run_dir / "laws.json").write_bytes(b"\x00\x01binary")
    out_csv = tmp_path / "p.csv"
    args = [command, run_dir] + ([csv_path, "-o", out_csv] if command == "predict" else [])
    bad(*args, match=match)
    assert not out_csv.exists()


@pytest.mark.parametrize("command", ["show", "predict"])
def test_code_in_laws_json_is_refused(run_dir, tmp_path, csv_path, command):
    marker = tmp_path / "pwned"
    laws = json.loads((run_dir / "laws.json").read_text())
    for law in laws["front"]["laws"]:
        law["expression_internal"] = f"__import__('os').system('touch {marker}')"
    (run_dir / "laws.json").write_text(json.dumps(laws))
    out_csv = tmp_path / "p.csv"
    args = [command, run_dir] + ([csv_path, "-o", out_csv] if command == "predict" else [])
    bad(*args, match=["holds an invalid law", "__import__"])
    assert not marker.exists() and not out_csv.exists()


# ----------------------------------------------------------------- predict
def test_predict_writes_inputs_plus_prediction(run_dir, tmp_path):
    data = write(tmp_path / "new.csv", linear_frame(n=12, seed=5).drop(columns="y").assign(note="x"))
    out_csv = tmp_path / "out" / "p.csv"
    code, out, err = cli("predict", run_dir, data, "-o", out_csv)
    assert code == 0, err
    written, given = pd.read_csv(out_csv), pd.read_csv(data)
    assert list(written.columns) == list(given.columns) + ["prediction"]
    pd.testing.assert_frame_equal(written[given.columns], given)
    expected = Run.load(run_dir).best.predict(given)
    np.testing.assert_allclose(written["prediction"], expected, rtol=1e-12)
    np.testing.assert_allclose(written["prediction"], 1.5 + 2 * given["a"] - 0.7 * given["b"], rtol=1e-12)


def test_predict_with_another_law(run_dir, tmp_path, csv_path):
    front = Run.load(run_dir).front
    code, out, err = cli("predict", run_dir, csv_path, "-o", tmp_path / "p.csv", "--law", "0")
    assert code == 0, err
    np.testing.assert_allclose(pd.read_csv(tmp_path / "p.csv")["prediction"],
                               front.law(0).predict(pd.read_csv(csv_path)), rtol=1e-12)


def test_predict_data_lacks_a_column(run_dir, tmp_path):
    data = write(tmp_path / "new.csv", linear_frame().drop(columns=["b", "y"]))
    bad("predict", run_dir, data, "-o", tmp_path / "p.csv",
        match=["lack the column(s) ['b']", "available columns: ['a']"])
    assert not (tmp_path / "p.csv").exists()


def test_predict_non_numeric_column(run_dir, tmp_path):
    data = write(tmp_path / "new.csv", linear_frame().assign(b="high"))
    bad("predict", run_dir, data, "-o", tmp_path / "p.csv", match="column 'b' is not numeric")


@pytest.mark.parametrize("index", ["2", "99", "-1", "-3"])
def test_predict_law_index_out_of_range(run_dir, csv_path, tmp_path, index):
    bad("predict", run_dir, csv_path, "-o", tmp_path / "p.csv", "--law", index,
        match=[f"--law {index} is not on the front", "it has 2 law(s), numbered 0..1 in the '#' column"])


def test_predict_output_exists(run_dir, csv_path, tmp_path):
    out_csv = tmp_path / "p.csv"
    out_csv.write_text("keep me")
    bad("predict", run_dir, csv_path, "-o", out_csv, match=["exists", "--overwrite"])
    assert out_csv.read_text() == "keep me"
    code, out, err = cli("predict", run_dir, csv_path, "-o", out_csv, "--overwrite")
    assert code == 0 and "prediction" in out_csv.read_text()


def test_predict_refuses_a_prediction_column(run_dir, csv_path, tmp_path):
    data = write(tmp_path / "new.csv", pd.read_csv(csv_path).assign(prediction=0.0))
    bad("predict", run_dir, data, "-o", tmp_path / "p.csv", match="already has a 'prediction' column")


@pytest.mark.parametrize("content, match", [(b"", "is empty"), (b'{"a": [1]}', "is JSON, not CSV"),
                                            (b"\x00\x01\x02", "is not a CSV file (it is binary)")])
def test_predict_data_not_csv(run_dir, tmp_path, content, match):
    data = tmp_path / "new.csv"
    data.write_bytes(content)
    bad("predict", run_dir, data, "-o", tmp_path / "p.csv", match=match)


# ----------------------------------------------------------------- true end to end (subprocess)
def _lawfind(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("lawfind")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c", "from lawfind.cli import main; main()"]
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(command + [str(a) for a in args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env)


@pytest.mark.parametrize("case", ["missing target", "code in laws.json"])
def test_subprocess_exit_code_2_without_traceback(tmp_path, csv_path, run_dir, case):
    marker = tmp_path / "pwned"
    if case == "missing target":
        args = ["discover", csv_path, "--target", "nope", "--out", tmp_path / "r"]
    else:
        laws = json.loads((run_dir / "laws.json").read_text())
        laws["front"]["laws"][0]["expression_internal"] = f"__import__('os').system('touch {marker}')"
        (run_dir / "laws.json").write_text(json.dumps(laws))
        args = ["predict", run_dir, csv_path, "-o", tmp_path / "p.csv"]
    result = _lawfind(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert not marker.exists() and not (tmp_path / "r").exists() and not (tmp_path / "p.csv").exists()


# ----------------------------------------------------------------- odd column names, end to end
ODD = [("E", "I", "σ_y"), ("S", "N", "YS [MPa]"), ("beta", "lambda", "T (K)"), ("T (K)", "YS [MPa]", "σ_y"),
       ("σ_y", "beta", "E")]
LATEX = {"E": "E", "I": "I", "S": "S", "N": "N", "beta": r"\beta", "lambda": r"\lambda", "σ_y": r"\sigma_{y}",
         "T (K)": r"\mathrm{T\ (K)}", "YS [MPa]": r"\mathrm{YS\ [MPa]}"}


def _sparse_ready() -> bool:
    from lawfind.search import SparseEngine

    try:
        SparseEngine().search(np.arange(40.0).reshape(20, 2) + 1, np.arange(20.0), time_limit=1, seed=0,
                              progress=lambda f, m: None)
    except NotImplementedError:
        return False
    return True


def _quoted(name: str) -> str:
    return name if name.isidentifier() else f"`{name}`"


@pytest.mark.parametrize("a, b, target", ODD, ids=lambda v: v)
def test_odd_column_names_end_to_end(tmp_path, a, b, target):
    engine = ["--engine", "sparse", "--time-limit", "2"] if _sparse_ready() else \
        ["--engine", "operon", "--time-limit", "3"]
    data = write(tmp_path / "d.csv", linear_frame(a, b, target, n=40))
    code, out, err = cli("discover", data, "--target", target, *engine, "--out", tmp_path / "r", "--json")
    assert code == 0, err
    best = json.loads(out)["best"]
    assert set(best["features"]) == {a, b}
    assert _quoted(a) in best["expression"] and _quoted(b) in best["expression"]
    assert LATEX[a] in best["latex"] and LATEX[b] in best["latex"]

    code, shown, err = cli("show", tmp_path / "r")
    assert code == 0 and a in shown and b in shown and target in shown

    new = linear_frame(a, b, target, n=8, seed=3)
    code, out, err = cli("predict", tmp_path / "r", write(tmp_path / "new.csv", new.drop(columns=target)),
                         "-o", tmp_path / "p.csv")
    assert code == 0, err
    written = pd.read_csv(tmp_path / "p.csv")
    assert list(written.columns) == [a, b, "prediction"]
    np.testing.assert_allclose(written["prediction"], new[target], rtol=1e-6, atol=1e-6)


def test_predict_warns_about_rows_without_a_prediction(run_dir, tmp_path):
    frame = linear_frame(n=6).drop(columns="y")
    frame.loc[[1, 4], "a"] = np.nan
    code, out, err = cli("predict", run_dir, write(tmp_path / "new.csv", frame), "-o", tmp_path / "p.csv")
    assert code == 0
    assert "warning: 2 row(s) have no finite prediction" in err
    assert pd.read_csv(tmp_path / "p.csv")["prediction"].isna().sum() == 2


def test_predict_with_a_single_column_file(tmp_path):
    from lawfind import discover

    data = write(tmp_path / "d.csv", linear_frame().assign(y=lambda f: 3 * f["a"]).drop(columns="b"))
    discover(data, "y", engine=FixedEngine(expressions=("3*x0",)), time_limit=1, out=tmp_path / "r")
    code, out, err = cli("predict", tmp_path / "r", write(tmp_path / "new.csv", pd.DataFrame({"a": [1.0, 2.0]})),
                         "-o", tmp_path / "p.csv")
    assert code == 0, err
    assert pd.read_csv(tmp_path / "p.csv")["prediction"].tolist() == [3.0, 6.0]


def test_sisso_max_size_grows_the_space_by_expression_size(csv_path, tmp_path):
    base = ["discover", csv_path, "--target", "y", "--engine", "sisso", "--time-limit", "30", "--json"]
    bad(*base, "--rung", "2", "--max-size", "5", "--out", tmp_path / "both", match="or max_size (by expression size), not both")
    code, out, err = cli(*base, "--max-size", "5", "--out", tmp_path / "r")
    assert code == 0, err
    run = json.loads((tmp_path / "r" / "run.json").read_text())
    assert run["config"]["engine"]["max_size"] == 5 and run["config"]["engine"]["rung"] is None
    assert run["info"]["feature_space"]["growth"] == "size"


def test_a_search_cut_short_by_the_time_limit_says_so(csv_path, tmp_path):
    from rich.console import Console

    from lawfind import discover
    from lawfind.cli._format import print_run

    run = discover(csv_path, "y", engine="sparse", time_limit=10)
    console = Console(record=True, width=200)
    print_run(run, console)
    assert "time limit ended the search" not in console.export_text()
    run.info["time_limit_reached"] = True
    console = Console(record=True, width=200)
    print_run(run, console)
    text = console.export_text()
    assert "the time limit ended the search before it was complete" in text and "raise --time-limit" in text


def test_sparse_method_option_selects_forward_stepwise_and_refuses_unknown_methods(csv_path, tmp_path):
    base = ["discover", csv_path, "--target", "y", "--engine", "sparse", "--time-limit", "10", "--json"]
    bad(*base, "--method", "stepwise", "--out", tmp_path / "bad", match="method must be one of")
    code, out, err = cli(*base, "--method", "forward", "--out", tmp_path / "r")
    assert code == 0, err
    run = json.loads((tmp_path / "r" / "run.json").read_text())
    assert run["config"]["engine"]["method"] == "forward" and run["info"]["method"] == "forward"
    code, out, err = cli(*base, "--method", "beam", "--out", tmp_path / "b")
    assert code == 0, err
    run = json.loads((tmp_path / "b" / "run.json").read_text())
    assert run["info"]["method"] == "beam" and run["config"]["engine"]["beam_width"] == 10


# ----------------------------------------------------------------- found by exploratory testing
@pytest.mark.parametrize("units, match", [
    ("a=1/0", ["unit '1/0' of column 'a' is not understood by pint: division by zero"]),
    ("a=m/s**", ["unit 'm/s**' of column 'a' is not understood by pint"]),
    ("a=eV**", ["unit 'eV**' of column 'a' is not understood by pint: not a valid unit expression"]),
    ("a=meter;b=second", ["holds two '='", "separate the items with commas"]),
    ("a=meter,a=second", ["--units gives column 'a' twice ('meter' and 'second')"]),
])
def test_bad_units_are_one_line(csv_path, tmp_path, units, match):
    bad(*discover_args(csv_path, tmp_path / "r", "--units", units), match=match)


@pytest.mark.parametrize("seed", ["-1", "4294967296", "99999999999999999999"])
def test_seeds_outside_32_bits_are_refused_by_every_command(run_dir, csv_path, tmp_path, seed):
    message = ["seed must be an integer from 0 to 4294967295 (CLI: --seed)"]
    bad(*discover_args(csv_path, tmp_path / "r", "--seed", seed), match=message)
    bad("compare", run_dir, "--models", "linear", "--cv", "2", "--seed", seed, match=message)
    bad("export", run_dir, "-f", "latex", "--seed", seed, match=message)


@pytest.mark.parametrize("args, match", [
    (["--resamples", "0"], "--resamples must be an integer ≥ 10"),
    (["--stability", "-1"], "--stability must be 0 (no stability section) or a number of resampled searches ≥ 2"),
    (["--stability", "2", "--stability-time", "0"], "--stability-time must be a positive number of seconds"),
    (["--law", "-1"], "--law -1 is not on the front"),
])
def test_export_options_are_named_as_on_the_command_line(run_dir, args, match):
    bad("export", run_dir, "-f", "html", "-o", str(run_dir.parent / "r.html"), *args, match=match)


def test_a_file_is_not_a_run_folder_and_an_output_folder_is_not_a_csv(run_dir, csv_path, tmp_path):
    bad("show", csv_path, match=["is a file; give a run folder"])
    bad("predict", run_dir, csv_path, "-o", tmp_path, match=["is a folder; give the CSV file to write"])
    bad(*discover_args(csv_path, csv_path, "--overwrite"), match="exists and is a file, not a run folder")
    bad(*discover_args(csv_path, csv_path), match="exists and is a file, not a run folder")


def test_an_unwritable_out_is_found_before_the_search(csv_path, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    bad(*discover_args(csv_path, tmp_path / "r"), match=["is not writable (Read-only file system)",
                                                          "choose another --out"])


def test_predict_warns_about_missing_or_infinite_inputs(run_dir, tmp_path):
    data = write(tmp_path / "new.csv", pd.DataFrame({"a": [1.0, np.inf, 2.0], "b": [1.0, 2.0, np.nan]}))
    code, out, err = cli("predict", run_dir, data, "-o", tmp_path / "p.csv")
    assert code == 0, err
    assert "2 row(s) have a missing or infinite value in the law's columns ['a', 'b'] (file lines 3, 4)" in err
    strings = write(tmp_path / "s.csv", pd.DataFrame({"a": ["1", "x"], "b": [1.0, 2.0]}))
    bad("predict", run_dir, strings, "-o", tmp_path / "q.csv", match="column 'a' is not numeric ('x' at position 1)")


def test_a_constant_target_is_shown_as_written(tmp_path):
    data = write(tmp_path / "c.csv", linear_frame().assign(y=5.0))
    line = bad(*discover_args(data, tmp_path / "r"), match="the target 'y' is constant (5.0)")
    assert "np.float64" not in line
