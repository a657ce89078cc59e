"""Runs through the API: atomic saves, safe loads, interrupted searches, bad options."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import sympy as sp

import lawfind
from lawfind import ConfigError, DataError, RunError, discover
from lawfind.law._parse import internal_symbol
from lawfind.run import LAWS_SCHEMA, RUN_SCHEMA, Run
from lawfind.search import Engine, SearchResult

from conftest import FixedEngine, linear_frame


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ----------------------------------------------------------------- interrupted searches
@dataclass
class InterruptedEngine(Engine):
    """Pretends Ctrl-C stopped it after finding two candidates (real SymPy expressions)."""

    name = "interrupted"

    def search(self, X, y, *, time_limit, seed, progress):
        x0, x1 = internal_symbol(0), internal_symbol(1)
        return SearchResult([sp.Float(2.1) * x0, sp.Float(1.5) + 2 * x0 - sp.Float(0.7) * x1],
                            interrupted=True, info={"generations": 3})


def test_interrupted_search_is_saved_with_its_front(tmp_path):
    run = discover(linear_frame(), "y", engine=InterruptedEngine(), time_limit=1, out=tmp_path / "run")
    assert run.status == "interrupted" and len(run.front) == 2
    loaded = Run.load(tmp_path / "run")
    assert loaded.status == "interrupted"
    assert [law.equation() for law in loaded.front] == [law.equation() for law in run.front]
    assert loaded.best.equation() == "2*a - 0.7*b + 1.5"
    assert loaded.info["generations"] == 3
    assert json.loads((tmp_path / "run" / "run.json").read_text())["status"] == "interrupted"


@dataclass
class EmptyInterruptedEngine(Engine):
    name = "empty"

    def search(self, X, y, *, time_limit, seed, progress):
        return SearchResult([], interrupted=True)


def test_interrupted_before_any_candidate_says_so(tmp_path):
    with pytest.raises(lawfind.SearchError, match="no candidate law before it was interrupted"):
        discover(linear_frame(), "y", engine=EmptyInterruptedEngine(), time_limit=1, out=tmp_path / "run")
    assert not (tmp_path / "run").exists() and _leftovers(tmp_path) == []


# ----------------------------------------------------------------- atomic saves
def test_save_then_load_round_trip(run_dir):
    run = Run.load(run_dir)
    assert run.status == "completed" and run.best.equation() == "2*a - 0.7*b + 1.5"
    assert sorted(p.name for p in run_dir.iterdir()) == ["front.csv", "laws.json", "run.json"]


def test_failed_save_keeps_the_old_folder(run_dir, monkeypatch):
    import lawfind.run._run as run_module

    before = {p.name: p.read_bytes() for p in run_dir.iterdir()}
    real = run_module.write_json_atomic

    def broken(path, data):
        if Path(path).name == "laws.json":
            real(path, {"half": "written"})
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(run_module, "write_json_atomic", broken)
    run = Run.load(run_dir)
    run.status = "interrupted"
    with pytest.raises(RunError, match="cannot write the run folder .*No space left on device"):
        run.save(run_dir, overwrite=True)
    assert {p.name: p.read_bytes() for p in run_dir.iterdir()} == before
    assert _leftovers(run_dir.parent) == []


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_interrupted_save_leaves_nothing_half_written(tmp_path, run_dir, monkeypatch, error):
    import lawfind.run._run as run_module

    def broken(*args, **kwargs):
        raise error("stop")

    monkeypatch.setattr(run_module, "replace_dir_atomic", broken)
    run = Run.load(run_dir)
    with pytest.raises(error):
        run.save(tmp_path / "new")
    assert not (tmp_path / "new").exists()
    assert _leftovers(tmp_path) == []


def test_failed_swap_restores_the_old_folder(run_dir, monkeypatch):
    import os

    import lawfind.run._atomic as atomic

    before = {p.name: p.read_bytes() for p in run_dir.iterdir()}
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append((Path(src), Path(dst)))
        if Path(dst) == run_dir and Path(src).name.endswith(".tmp"):  # the new folder fails to move in
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    run = Run.load(run_dir)
    with pytest.raises(RunError, match="Input/output error"):
        run.save(run_dir, overwrite=True)
    monkeypatch.undo()
    aside, swap, back = calls[-3:]  # old folder moved aside, the swap failed, the old folder moved back
    assert aside[0] == run_dir and swap[1] == run_dir and back == (aside[1], run_dir)
    assert {p.name: p.read_bytes() for p in run_dir.iterdir()} == before
    assert _leftovers(run_dir.parent) == []


def test_existing_folder_is_refused_unless_overwrite(run_dir):
    run = Run.load(run_dir)
    with pytest.raises(RunError, match="already exists; choose another --out or pass --overwrite"):
        run.save(run_dir)
    run.status = "interrupted"
    run.save(run_dir, overwrite=True)
    assert Run.load(run_dir).status == "interrupted"


def test_overwrite_never_replaces_a_foreign_folder(tmp_path, run_dir):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    with pytest.raises(RunError, match="non-empty folder without run.json"):
        Run.load(run_dir).save(mine, overwrite=True)
    assert (mine / "thesis.tex").read_text() == "precious"


def test_discover_checks_the_destination_before_searching(tmp_path, csv_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")

    @dataclass
    class MustNotRun(Engine):
        name = "must_not_run"

        def search(self, X, y, *, time_limit, seed, progress):
            raise AssertionError("the search ran before the destination was checked")

    with pytest.raises(RunError, match="non-empty folder without run.json"):
        discover(csv_path, "y", engine=MustNotRun(), time_limit=1, out=mine, overwrite=True)
    with pytest.raises(RunError, match="is a file, not a run folder"):
        discover(csv_path, "y", engine=MustNotRun(), time_limit=1, out=csv_path, overwrite=True)
    with pytest.raises(RunError, match="cannot create"):
        discover(csv_path, "y", engine=MustNotRun(), time_limit=1, out=csv_path / "sub" / "run")


def test_discover_refuses_an_existing_run_and_overwrites_it(tmp_path, csv_path, run_dir):
    with pytest.raises(RunError, match="already exists"):
        discover(csv_path, "y", engine=FixedEngine(), time_limit=1, out=run_dir)
    run = discover(csv_path, "y", engine=FixedEngine(expressions=("2*x0",)), time_limit=1, out=run_dir,
                   overwrite=True)
    assert Run.load(run_dir).best.equation() == run.best.equation()
    assert _leftovers(tmp_path) == []


# ----------------------------------------------------------------- loading bad folders
def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_missing_folder(tmp_path):
    with pytest.raises(RunError, match="does not exist"):
        Run.load(tmp_path / "nope")


@pytest.mark.parametrize("name", ["run.json", "laws.json"])
def test_missing_file(run_dir, name):
    (run_dir / name).unlink()
    with pytest.raises(RunError, match=f"{name}' is missing; is .* a lawfind run folder"):
        Run.load(run_dir)


@pytest.mark.parametrize("content", [b"{not json", b"", b"\x00\xff\xfe", b"[" * 100_000])
@pytest.mark.parametrize("name", ["run.json", "laws.json"])
def test_corrupt_file(run_dir, name, content):
    (run_dir / name).write_bytes(content)
    with pytest.raises(RunError, match=f"{name}' is corrupt") as exc:
        Run.load(run_dir)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("name, schema", [("run.json", RUN_SCHEMA), ("laws.json", LAWS_SCHEMA)])
@pytest.mark.parametrize("foreign", [{"schema": "mlflow.run/3"}, {"name": "other tool"}, [1, 2], "text"])
def test_foreign_file(run_dir, name, schema, foreign):
    (run_dir / name).write_text(json.dumps(foreign))
    with pytest.raises(RunError, match=f"is not a lawfind file: .*expected .*'{schema}'"):
        Run.load(run_dir)


def test_newer_schema_asks_for_an_upgrade(run_dir):
    _edit(run_dir / "run.json", lambda d: d.update(schema="lawfind.run/99"))
    with pytest.raises(RunError, match="newer lawfind.*upgrade"):
        Run.load(run_dir)


@pytest.mark.parametrize("change", [
    lambda d: d.update(seconds="soon"),
    lambda d: d.update(info=[1, 2]),
    lambda d: d.update(versions="3.11"),
    lambda d: d.update(status="finished"),
    lambda d: d.pop("config"),
    lambda d: d.update(data=None),
])
def test_damaged_run_record(run_dir, change):
    _edit(run_dir / "run.json", change)
    with pytest.raises(RunError, match="run.json"):
        Run.load(run_dir)


@pytest.mark.parametrize("change", [
    lambda d: d.pop("front"),
    lambda d: d["front"].update(laws="none"),
    lambda d: d["front"]["laws"][0].pop("expression_internal"),
    lambda d: d["front"]["laws"][0].update(variables={"y0": "a"}),
    lambda d: d["front"]["laws"][0].update(metrics={"r2": "high"}),
    lambda d: d["front"]["laws"][0].update(expression_internal="x0 +"),
    lambda d: d["front"].update(rule={"rel_tol": -1}),
    lambda d: d["front"]["laws"].clear(),
    lambda d: d["front"].update(best_index=7),
    lambda d: d["front"].update(best_index="1"),
])
def test_damaged_laws_file(run_dir, change):
    _edit(run_dir / "laws.json", change)
    with pytest.raises(RunError, match="laws.json") as exc:
        Run.load(run_dir)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("code", [
    "__import__('os').system('touch {marker}')",
    "x0.__class__.__mro__[1].__subclasses__()",
    "(lambda: __import__('os').system('touch {marker}'))()",
    "eval(\"__import__('os').system('touch {marker}')\")",
    "exp(x0, __import__('os').system('touch {marker}'))",
])
def test_code_in_a_laws_file_is_refused(tmp_path, run_dir, code):
    marker = tmp_path / "pwned"
    _edit(run_dir / "laws.json",
          lambda d: d["front"]["laws"][0].update(expression_internal=code.format(marker=marker)))
    with pytest.raises(RunError, match="holds an invalid law"):
        Run.load(run_dir)
    assert not marker.exists()


# ----------------------------------------------------------------- bad options through discover
def test_unknown_engine_suggests_the_closest(csv_path):
    with pytest.raises(ConfigError, match=r"unknown engine 'operom'.*did you mean 'operon'"):
        discover(csv_path, "y", engine="operom")


@pytest.mark.parametrize("limit", [0, -1, 0.0, float("nan"), float("inf"), "10", True])
def test_bad_time_limit(csv_path, limit):
    with pytest.raises(ConfigError, match="time_limit must be a"):
        discover(csv_path, "y", engine=FixedEngine(), time_limit=limit)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None])
def test_bad_seed(csv_path, seed):
    with pytest.raises(ConfigError, match="seed must be an integer from 0 to 4294967295"):
        discover(csv_path, "y", engine=FixedEngine(), time_limit=1, seed=seed)


def test_missing_target_argument(csv_path):
    with pytest.raises(ConfigError, match="target is required"):
        discover(csv_path, engine=FixedEngine(), time_limit=1)


def test_discover_data_errors(tmp_path):
    frame = linear_frame()
    with pytest.raises(DataError, match=r"target column 'z' not found; columns are: \['a', 'b', 'y'\]"):
        discover(frame, "z", engine=FixedEngine(), time_limit=1)
    with pytest.raises(DataError, match="also listed as a feature"):
        discover(frame, "y", ["a", "y"], engine=FixedEngine(), time_limit=1)
    with pytest.raises(ConfigError, match="data must be a Dataset, a DataFrame or a CSV path"):
        discover([[1, 2]], "y", engine=FixedEngine(), time_limit=1)


def test_discover_dropna(tmp_path):
    frame = linear_frame()
    frame.loc[[0, 5], "b"] = float("nan")
    with pytest.raises(DataError, match=r"2 row\(s\).*--dropna"):
        discover(frame, "y", engine=FixedEngine(), time_limit=1)
    run = discover(frame, "y", engine=FixedEngine(), time_limit=1, dropna=True, out=tmp_path / "r")
    assert run.data["dropped_rows"] == 2 and run.data["n_rows"] == 28
    assert run.best.equation() == "2*a - 0.7*b + 1.5"


def test_ctrl_c_while_polishing_keeps_the_raw_candidates(tmp_path, monkeypatch):
    import lawfind._discover as discover_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(discover_module, "laws_from_expressions", interrupted)
    run = discover(linear_frame(), "y", engine=FixedEngine(), time_limit=1, out=tmp_path / "run")
    assert run.status == "interrupted" and run.info["polished"] is False
    loaded = Run.load(tmp_path / "run")
    assert loaded.status == "interrupted" and len(loaded.front) >= 2
    assert loaded.best.metrics["r2"] > 0.999999


def test_saved_files_follow_the_umask(run_dir):
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    assert (run_dir.stat().st_mode & 0o777) == 0o777 & ~mask
    assert ((run_dir / "run.json").stat().st_mode & 0o777) == 0o666 & ~mask
