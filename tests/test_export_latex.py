"""The LaTeX exports compile with pdflatex, odd column names, units and intervals included."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lawfind import Law, discover
from lawfind.export import (
    constants_table, frame_table, front_table, latex_document, latex_equation, prepare_export, render_export,
)
from lawfind.law import Decision, regression_metrics
from lawfind.run import Run
from lawfind.search import ParetoFront
from lawfind.uncertainty import asymptotic_intervals, bootstrap_intervals

from conftest import FixedEngine

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                reason="pdflatex is not installed (apt-get install texlive-latex-base "
                                       "texlive-latex-recommended)")

NAMES = ["T (°C)", "d [µm]", "a&b_%", "σ_y", "x~y^z", "Α (K)", "lambda_0", "path\\to"]
UNITS = {"T (°C)": "degC", "d [µm]": "um", "a&b_%": "percent", "σ_y": "MPa", "E [GPa]": "GPa",
         "lambda_0": "angstrom", "path\\to": "ohm"}


def compile_latex(tmp_path: Path, text: str) -> None:
    source = tmp_path / "doc.tex"
    source.write_text(text, encoding="utf-8")
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=180, errors="replace")
    log = (tmp_path / "doc.log").read_text(errors="replace") if (tmp_path / "doc.log").exists() else result.stdout
    assert result.returncode == 0, log[-3000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 0
    assert "Missing character" not in log, [line for line in log.splitlines() if "Missing character" in line]


@pytest.fixture
def odd_data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({name: rng.uniform(1, 2, 40) for name in NAMES})
    frame["E [GPa]"] = (2.5 * frame["T (°C)"] - 0.3 * frame["d [µm]"] * frame["a&b_%"]
                        + 1.2 * np.exp(-0.8 * frame["σ_y"]) + 0.1 * frame["x~y^z"] + 4e-9 * frame["Α (K)"]
                        + 12000.0 * frame["lambda_0"] + frame["path\\to"] + rng.normal(0, 0.01, 40))
    return frame


def odd_law() -> Law:
    variables = {f"x{i}": name for i, name in enumerate(NAMES)}
    text = "2.5*x0 - 0.3*x1*x2 + 1.2*exp(-0.8*x3) + 0.1*x4 + 4e-9*x5 + 12000.0*x6 + x7"
    return Law.from_string(text, variables, target="E [GPa]")


def test_equation_and_tables_with_odd_names_units_and_intervals_compile(tmp_path, odd_data):
    law = odd_law().with_metrics(regression_metrics(odd_data["E [GPa]"], odd_law().predict(odd_data)))
    simple = Law.from_string("2.4*x0", {"x0": "T (°C)"}, target="E [GPa]")
    simple = simple.with_metrics(regression_metrics(odd_data["E [GPa]"], simple.predict(odd_data)))
    boot = bootstrap_intervals(law, odd_data, n_resamples=20)
    asym = asymptotic_intervals(law, odd_data)
    front = ParetoFront([simple, law])
    assert list(front) == [simple, law]
    classifier = Law.from_string("x0 - 1.5", {"x0": "σ_y"}, target="phase & 50%", decision=Decision(0.0, "α", "β"))
    baselines = pd.DataFrame({"model": ["k-NN & SVR", "GP (σ = 1)"], "cv_rmse [GPa]": [0.071, 0.065],
                              "note": ["50% of ~data", "x^2 #1 {a}"]})
    body = [
        latex_equation(law, boot, units=UNITS),
        latex_equation(law, asym, units=UNITS, symbol_names={"E [GPa]": r"E_\mathrm{el}"}, label="eq:asym"),
        latex_equation(law, None, units=UNITS, label=None),
        latex_equation(classifier, label="eq:class"),
        front_table(front, intervals={1: boot}),
        frame_table(constants_table(law, [boot, asym]), caption="Constants ± with σ", label="tab:c"),
        frame_table(baselines, caption="Baselines & more"),
    ]
    compile_latex(tmp_path, latex_document(*body, title="Export of E [GPa] & co."))


def test_cli_style_standalone_exports_compile(tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"T (°C)": rng.uniform(1, 3, 40), "σ_y": rng.uniform(1, 3, 40)})
    frame["E [GPa]"] = 1.5 + 2.0 * frame["T (°C)"] - 0.7 * frame["σ_y"] + rng.normal(0, 0.05, 40)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    run = discover(path, "E [GPa]", engine=FixedEngine(("1.5 + 2.0*x0 - 0.7*x1", "2*x0")), time_limit=1,
                   out=tmp_path / "run")
    run = Run.load(run.path)
    for fmt in ("latex", "table"):
        (text,) = render_export(prepare_export(run, fmt, n_resamples=20), fmt, standalone=True).values()
        folder = tmp_path / fmt
        folder.mkdir()
        compile_latex(folder, text)
