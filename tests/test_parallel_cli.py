"""The scale-out flags of the CLI: --workers, --dask-local, --dask-scheduler (one shared module)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from lawfind import discover
from lawfind.cli._case_study import register as register_case_study
from lawfind.cli._executor_options import check_executor_options, open_executor
from lawfind.cli._export import register as register_export
from lawfind.exceptions import ConfigError


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """lawfind (test app)."""

    register_export(app)
    register_case_study(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [*map(str, args)], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A sparse-engine run (deterministic, and its engine can be rebuilt from run.json)."""
    folder = tmp_path_factory.mktemp("parallel_cli")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"HV": rng.uniform(200, 400, 60), "T (K)": rng.uniform(300, 900, 60)})
    frame["UTS [MPa]"] = -40.0 + 3.2 * frame["HV"] + rng.normal(0, 15, 60)
    frame.to_csv(folder / "hardness.csv", index=False)
    discover(folder / "hardness.csv", "UTS [MPa]", engine="sparse", time_limit=5, max_terms=1, out=folder / "run")
    return folder / "run"


def one_error_line(result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_stability_on_worker_processes_equals_serial(cli, run_dir, tmp_path):
    common = ["export", run_dir, "-f", "markdown", "--stability", 3, "--stability-time", 2, "--resamples", 50]
    serial = cli(*common, "-o", tmp_path / "serial.md")
    parallel = cli(*common, "-o", tmp_path / "parallel.md", "--workers", 2)
    assert serial.exit_code == 0 and parallel.exit_code == 0, (serial.stderr, parallel.stderr)
    text = (tmp_path / "parallel.md").read_text()
    assert "found on 3 of 3 bootstrap resamples" in text and text == (tmp_path / "serial.md").read_text()


@pytest.mark.parametrize(("flags", "match"), [
    (["--workers", 0], "--workers must be a positive number of workers, got 0"),
    (["--dask-local", -1], "--dask-local must be a positive number"),
    (["--workers", 2, "--dask-local", 2], "--workers and --dask-local are alternatives"),
    (["--dask-scheduler", "127.0.0.1:8786"], "--dask-scheduler: Dask scheduler address '127.0.0.1:8786' is not"),
    (["--dask-scheduler", "tcp://127.0.0.1:8786", "--workers", 2], "alternatives"),
])
def test_bad_executor_flags_are_one_line(cli, run_dir, tmp_path, flags, match):
    line = one_error_line(cli("export", run_dir, "-f", "markdown", "-o", tmp_path / "r.md", "--stability", 2, *flags))
    assert match in line
    assert not (tmp_path / "r.md").exists()


def test_executor_flags_need_stability(cli, run_dir, tmp_path):
    line = one_error_line(cli("export", run_dir, "-f", "markdown", "-o", tmp_path / "r.md", "--workers", 2))
    assert "run the --stability searches" in line


def test_unreachable_scheduler_is_one_line(cli, run_dir, tmp_path):
    pytest.importorskip("distributed", reason="the dask executor needs lawfind[dask]")
    line = one_error_line(cli("export", run_dir, "-f", "markdown", "-o", tmp_path / "r.md", "--stability", 2,
                              "--dask-scheduler", "tcp://127.0.0.1:9"))
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 3 s" in line
    assert not (tmp_path / "r.md").exists()


def test_case_study_flags(cli, tmp_path):
    line = one_error_line(cli("case-study", "steel_composition", "--out", tmp_path / "cs", "--dask-local", 0))
    assert "--dask-local must be a positive number" in line
    line = one_error_line(cli("case-study", "no_such_study", "--dask-local", 2))
    assert "unknown case study 'no_such_study'" in line
    line = one_error_line(cli("case-study", "steel_composition", "--out", tmp_path / "cs",
                              "--dask-scheduler", "tcp://host-without-port"))
    assert "--dask-scheduler" in line and not (tmp_path / "cs").exists()


def test_a_case_study_without_independent_searches_ignores_the_flags_up_front(cli, tmp_path, monkeypatch):
    import lawfind.cli._case_study as case_study_cli
    from lawfind.casestudies import get_case_study

    assert not get_case_study("steel_hardness").parallel and get_case_study("steel_composition").parallel
    opened = []
    real_open = case_study_cli.open_executor
    monkeypatch.setattr(case_study_cli, "open_executor", lambda *a: opened.append(a) or real_open(*a))
    import lawfind.casestudies
    from lawfind.exceptions import DataError

    given = []

    def stop_at_once(name, **options):  # records what the study would get, then stops like a user error
        given.append(options["executor"])
        raise DataError("stopped by the test")

    monkeypatch.setattr(lawfind.casestudies, "run_case_study", stop_at_once)
    result = cli("case-study", "steel_hardness", "--quick", "--out", tmp_path / "cs", "--workers", 2)
    assert "note: case study steel_hardness runs no independent searches" in result.output
    assert "local processes" not in result.output and opened == [(None, None, None)] and given == [None]


def test_open_executor_kinds():
    with open_executor() as executor:
        assert executor.kind == "serial"
    with open_executor(workers=1) as executor:
        assert executor.kind == "processes" and executor.n_workers == 1
    with pytest.raises(ConfigError, match="alternatives"):
        check_executor_options(1, None, "tcp://127.0.0.1:8786")
