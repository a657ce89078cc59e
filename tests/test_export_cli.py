"""``lawfind export``: every format from the command line, and one clear line for bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from lawfind import discover
from lawfind.cli._export import register
from lawfind.data import Dataset
from lawfind.export import FORMATS, read_law_document
from lawfind.run import Run
from lawfind.search import ParetoFront

from conftest import FixedEngine


@pytest.fixture
def cli():
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """lawfind (test app)."""

    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["export", *map(str, args)], env={"COLUMNS": "200"})


@pytest.fixture
def data_path(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"HV": rng.uniform(200, 400, 60), "T (K)": rng.uniform(300, 900, 60)})
    frame["UTS [MPa]"] = -40.0 + 3.2 * frame["HV"] + rng.normal(0, 15, 60)
    path = tmp_path / "hardness.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def run_dir(tmp_path: Path, data_path: Path) -> Path:
    """A sparse-engine run (its engine can be rebuilt from run.json, so stability works)."""
    out = tmp_path / "run"
    discover(data_path, "UTS [MPa]", engine="sparse", time_limit=5, max_terms=1, out=out)
    return out


def one_error_line(result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_latex_goes_to_stdout_with_intervals_and_symbols(cli, run_dir):
    result = cli(run_dir, "--format", "latex", "--resamples", 50, "--symbol", r"HV=\mathrm{HV}",
                 "--symbol", r"UTS [MPa]=\mathrm{UTS}")
    assert result.exit_code == 0, result.stderr
    assert r"\mathrm{UTS} = \left(" in result.stdout and r"\pm" in result.stdout
    assert r"\mathrm{UTS}$ in $\mathrm{MPa}$" not in result.stdout  # CSV runs have no units


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "figures"])
def test_every_text_format_writes_one_file(cli, run_dir, tmp_path, fmt):
    out = tmp_path / f"law.{fmt}"
    result = cli(run_dir, "-f", fmt, "-o", out, "--resamples", 20)
    assert result.exit_code == 0, result.stderr
    assert out.is_file() and out.stat().st_size > 0
    assert f"wrote 1 file(s) ({fmt}) to {out}" in result.stdout


def test_python_and_json_exports_from_the_cli_reproduce_the_law(cli, run_dir, data_path, tmp_path):
    run = Run.load(run_dir)
    frame = pd.read_csv(data_path)
    assert cli(run_dir, "-f", "python", "-o", tmp_path / "law.py", "--intervals", "asymptotic").exit_code == 0
    namespace: dict = {}
    exec((tmp_path / "law.py").read_text(), namespace)  # our own generated code, under test
    np.testing.assert_allclose(namespace["predict"](frame), run.best.predict(frame), rtol=1e-12, atol=0)
    assert cli(run_dir, "-f", "json", "-o", tmp_path / "law.json", "--resamples", 20).exit_code == 0
    law, intervals = read_law_document((tmp_path / "law.json").read_text())
    assert law == run.best and [ci.method for ci in intervals] == ["bootstrap", "asymptotic"]


def test_figures_are_written_as_pdf_svg_and_png(cli, run_dir, tmp_path):
    one_error_line(cli(run_dir, "-f", "figures"))
    out = tmp_path / "figures"
    result = cli(run_dir, "-f", "figures", "-o", out)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{stem}.{ext}" for stem in ("pareto_front", "parity", "residuals")
                           for ext in ("pdf", "svg", "png"))
    assert (out / "parity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "parity.pdf").read_bytes()[:5] == b"%PDF-"
    assert b"<svg" in (out / "parity.svg").read_bytes()[:500]


def test_html_report_with_reference_and_stability(cli, run_dir, tmp_path):
    out = tmp_path / "report.html"
    result = cli(run_dir, "-f", "html", "-o", out, "--resamples", 20, "--reference", "Textbook=-99.8 + 3.734*H",
                 "--alias", "H=HV", "--stability", 2, "--stability-time", 1)
    assert result.exit_code == 0, result.stderr
    page = out.read_text()
    for text in ("Comparison with published laws", "Textbook", "3.734*HV - 99.8", "Stability", "Methods",
                 "data:image/svg+xml;base64,"):
        assert text in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


# ----------------------------------------------------------------- bad input: one line, exit 2
def test_unknown_format_lists_the_valid_ones(cli, run_dir):
    line = one_error_line(cli(run_dir, "--format", "pdf"))
    assert "unknown export format 'pdf'" in line and ", ".join(FORMATS) in line


def test_law_index_out_of_range(cli, run_dir):
    line = one_error_line(cli(run_dir, "-f", "latex", "--law", 7))
    assert "--law 7 is not on the front" in line


def test_run_folder_without_laws(cli, tmp_path, data_path):
    data = Dataset.from_csv(data_path, "UTS [MPa]")
    empty = tmp_path / "empty"
    Run(front=ParetoFront([]), data=data.describe(), config={"engine": {"name": "sparse"}}).save(empty)
    assert "holds no law" in one_error_line(cli(empty, "-f", "latex"))
    assert "does not exist" in one_error_line(cli(tmp_path / "nowhere", "-f", "latex"))


def test_existing_output_is_refused_unless_overwrite(cli, run_dir, tmp_path):
    out = tmp_path / "law.tex"
    out.write_text("keep me")
    assert "exists; choose another -o or pass --overwrite" in one_error_line(cli(run_dir, "-f", "latex", "-o", out))
    assert out.read_text() == "keep me"
    result = cli(run_dir, "-f", "latex", "-o", out, "--overwrite", "--intervals", "none")
    assert result.exit_code == 0 and r"\begin{equation}" in out.read_text()


def test_moved_data_are_found_again_with_data_option(cli, run_dir, data_path, tmp_path):
    moved = tmp_path / "moved.csv"
    shutil.move(data_path, moved)
    line = one_error_line(cli(run_dir, "-f", "csv", "-o", tmp_path / "p.csv"))
    assert "no longer exists" in line and "--data PATH" in line
    assert cli(run_dir, "-f", "csv", "-o", tmp_path / "p.csv", "--data", moved).exit_code == 0
    changed = pd.read_csv(moved)
    changed.loc[3, "HV"] = 1.0
    changed.to_csv(moved, index=False)
    assert "differ from the data" in one_error_line(cli(run_dir, "-f", "csv", "-o", tmp_path / "q.csv",
                                                        "--data", moved))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reference", "Paper=3*Vickers"], "unknown name 'Vickers'"),
        (["--reference", "no equals sign"], "must look like 'LABEL=EXPRESSION'"),
        (["--alias", "H=Knoop", "--reference", "P=H"], "alias 'H' names the column 'Knoop'"),
        (["--symbol", "Knoop=K"], "not columns of the run"),
        (["--intervals", "jackknife"], "intervals must be one of"),
        (["--stability", 2], "--stability applies to the markdown, html and figures exports"),
    ],
)
def test_bad_options_fail_early_with_one_line(cli, run_dir, args, message):
    assert message in one_error_line(cli(run_dir, "-f", "latex", *args))


def test_fixed_engine_runs_cannot_be_searched_again(cli, tmp_path, data_path):
    out = tmp_path / "fixed"
    discover(data_path, "UTS [MPa]", engine=FixedEngine(("-40.0 + 3.2*x0",)), time_limit=1, out=out)
    line = one_error_line(cli(out, "-f", "markdown", "--stability", 2, "--resamples", 20))
    assert "cannot rebuild the run's engine" in line
    text = cli(out, "-f", "markdown", "--resamples", 20)
    assert text.exit_code == 0 and "## Law" in text.stdout and "data:image/png;base64," in text.stdout


def test_json_output_is_valid(cli, run_dir):
    result = cli(run_dir, "-f", "json", "--intervals", "none")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["intervals"] == []
