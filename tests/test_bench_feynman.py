"""The Feynman benchmark: SRBench's exact-recovery rule, data generation, the table reader and a CLI smoke run."""

from __future__ import annotations

import csv
import math
import os
import re
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
import sympy as sp
from typer.testing import CliRunner

from lawfind.bench import (
    COLUMNS,
    FeynmanConfig,
    SympyTimeout,
    assess_model,
    call_with_timeout,
    format_summary,
    generate_data,
    parse_formula,
    read_equations,
    read_rows,
    round_floats,
    run_feynman,
    select_equations,
    summarize,
    symbolic_match,
)
from lawfind.cli import app
from lawfind.exceptions import ConfigError, DataError, ExpressionError
from lawfind.law import parse_expression
from lawfind.search import ENGINES, Engine, SearchResult

runner = CliRunner()
x, y = sp.symbols("x y")

HEADER = ["Filename", "Number", "Output", "Formula", "# variables"] + [
    f"v{i}_{part}" for i in range(1, 4) for part in ("name", "low", "high")]
# three easy rows in the format of FeynmanEquations.csv (formulas I.12.1, I.14.3, I.12.5)
ROWS = [
    ["I.12.1", "1", "F", "mu*Nn", "2", "mu", "1", "5", "Nn", "1", "5", "", "", ""],
    ["I.14.3", "2", "U", "m*g*z", "3", "m", "1", "5", "g", "1", "5", "z", "1", "5"],
    ["I.12.5", "3", "F", "q2*Ef", "2", "q2", "1", "5", "Ef", "1", "5", "", "", ""],
]


def write_table(path: Path, rows: list[list[str]] = ROWS, header: list[str] = HEADER, bom: bool = False) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# ----------------------------------------------------------------------------- SRBench's rule
def test_rounding_makes_a_tiny_coefficient_exact():
    assert symbolic_match(x * y, 1.0000001 * x * y) in ("zero", "ratio")
    # a 1e-7 term is neither a constant difference nor ratio until the floats are rounded
    assert not (x * y + 1e-7 * x - x * y).is_constant()
    assert round_floats(x * y + 1e-7 * x) == 1.0 * x * y or round_floats(x * y + 1e-7 * x) == x * y
    assert symbolic_match(x * y, x * y + 1e-7 * x) == "zero"


@pytest.mark.parametrize("true, model, expected", [
    (x + y, x + y + 3, "difference"),
    (x * y, x + y, ""),
    (x * y, 2.5 * x * y, "ratio"),
    (sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi), 0.398942 * sp.exp(-0.5 * x**2), "ratio"),
    (sp.sqrt(x), x**0.5, "difference"),  # SymPy keeps the float exponent: a (zero) constant difference
    (x / y, x * y, ""),
    # SRBench writes pi as 3.1415926535 in the true formula: a fitted pi**2 matches after rounding
    (sp.sqrt(x**2 - sp.pi**2 / y**2), sp.sqrt(x**2 - 9.869604 / y**2), "zero"),
    (sp.sqrt(x**2 - sp.pi**2 / y**2), sp.sqrt(x**2 - 9.8696 / y**2), ""),
    # without assumptions sqrt(x**(-2)) is not 1/x (the 2021 rule)
    (x / sp.sqrt(1 - x**2 / y**2), 1 / sp.sqrt(x**-2 - y**-2), ""),
])
def test_symbolic_match_on_hand_cases(true, model, expected):
    assert symbolic_match(true, model) == expected


def test_assess_model_follows_the_gates():
    exact = assess_model(x * y, 2.0 * x * y, r2_test=0.99)
    assert exact.exact and exact.match == "ratio" and exact.size == 5
    low_r2 = assess_model(x * y, 2.0 * x * y, r2_test=0.4)
    assert not low_r2.exact and "R²" in low_r2.note
    assert not assess_model(x * y, sp.Integer(0), r2_test=0.99).exact  # the model 0 is never a solution
    assert not assess_model(x * y, None, r2_test=math.nan).exact
    # symbols with assumptions are compared by name, as SRBench does
    assert assess_model(x * y, sp.Symbol("x", real=True) * sp.Symbol("y", positive=True), r2_test=1.0).exact


def test_positive_symbols_give_the_second_verdict():
    relativistic = assess_model(x / sp.sqrt(1 - x**2 / y**2), 1 / sp.sqrt(x**-2 - y**-2), r2_test=1.0)
    assert not relativistic.exact and relativistic.exact_positive
    logs = assess_model(x * sp.log(y / x), -x * sp.log(x / y), r2_test=1.0)
    assert not logs.exact and logs.exact_positive
    assert assess_model(x * y, 2.0 * x * y, r2_test=0.99).exact_positive  # exact implies exact_positive
    assert not assess_model(x * y, x + y, r2_test=1.0).exact_positive
    # below R² 0.999 the positive check is not tried
    assert not assess_model(x / sp.sqrt(1 - x**2 / y**2), 1 / sp.sqrt(x**-2 - y**-2), r2_test=0.99).exact_positive


def test_sympy_time_guard_stops_a_long_call():
    started = time.monotonic()
    with pytest.raises(SympyTimeout):
        call_with_timeout(time.sleep, 5, seconds=0.2)
    assert call_with_timeout(sum, [1, 2], seconds=1) == 3
    outcome = {}

    def in_thread() -> None:  # worker threads use a forked child instead of SIGALRM
        try:
            call_with_timeout(time.sleep, 5, seconds=0.2)
        except SympyTimeout:
            outcome["timed_out"] = True
        outcome["answer"] = call_with_timeout(sum, [2, 3], seconds=5)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(10)
    assert outcome == {"timed_out": True, "answer": 5}
    assert time.monotonic() - started < 5


def test_a_timed_out_check_is_recorded_not_raised():
    hard = sp.sin(x) ** 2 + sp.cos(x) ** 2 + sp.exp(sp.log(x * y) + sp.log(x))
    verdict = assess_model(x, hard, r2_test=0.9, timeout=1e-4)
    assert not verdict.exact and "timed out" in verdict.note


# ----------------------------------------------------------------------------- the table
def test_formulas_use_numpy_names_and_the_bonus_minus():
    theta, r = sp.Symbol("theta"), sp.Symbol("r")
    assert parse_formula("arcsin(theta)+ln(r)+arccos(theta)", ["theta", "r"]) == sp.asin(theta) + sp.log(r) + sp.acos(theta)
    assert parse_formula("~r+1", ["r"]) == 1 - r
    assert parse_formula("gamma*x1", ["gamma", "x1"]) == sp.Symbol("gamma") * sp.Symbol("x1")
    for bad in ("__import__('os').system('true')", "r.real", "lambda: r", "unknown*r"):
        with pytest.raises(ExpressionError):
            parse_formula(bad, ["r"])


def test_read_equations_and_select(tmp_path):
    equations = read_equations(write_table(tmp_path / "t.csv", bom=True))
    assert [eq.name for eq in equations] == ["I.12.1", "I.14.3", "I.12.5"]
    assert equations[1].names == ["m", "g", "z"] and equations[1].variables[0].high == 5.0
    assert [eq.name for eq in select_equations(equations, names=["I.12.5"])] == ["I.12.5"]
    assert [eq.name for eq in select_equations(equations, subset=2)] == ["I.12.1", "I.14.3"]
    with pytest.raises(ConfigError, match="did you mean 'I.12.5'"):
        select_equations(equations, names=["I.12.6"])
    with pytest.raises(ConfigError, match="subset"):
        select_equations(equations, subset=4)


@pytest.mark.parametrize("rows, header, message", [
    ([["I.1", "1", "F", "m*", "1", "m", "1", "5"] + [""] * 6], HEADER, "not valid syntax"),
    ([["I.1", "1", "F", "m*q", "1", "m", "1", "5"] + [""] * 6], HEADER, "unknown name 'q'"),
    ([["I.1", "1", "F", "m", "1", "m", "5", "1"] + [""] * 6], HEADER, "low must not exceed high"),
    ([["I.1", "1", "F", "m", "1", "m", "a", "5"] + [""] * 6], HEADER, "is not a number"),
    ([["I.1", "1", "F", "m"]], HEADER[:4], "lacks the column"),
])
def test_bad_tables_raise_data_errors(tmp_path, rows, header, message):
    with pytest.raises(DataError, match=message):
        read_equations(write_table(tmp_path / "bad.csv", rows, header))


# ----------------------------------------------------------------------------- data
def test_data_are_uniform_in_the_ranges_and_seeded(tmp_path):
    equation = read_equations(write_table(tmp_path / "t.csv"))[1]  # m*g*z
    data = generate_data(equation, n_train=300, n_test=200, seed=3)
    assert data.X_train.shape == (300, 3) and data.X_test.shape == (200, 3)
    both = np.vstack([data.X_train, data.X_test])
    assert both.min() >= 1.0 and both.max() <= 5.0 and both.min() < 1.1 and both.max() > 4.9
    np.testing.assert_allclose(data.y_train, np.prod(data.X_train, axis=1))
    again = generate_data(equation, n_train=300, n_test=200, seed=3)
    np.testing.assert_array_equal(again.X_train, data.X_train)
    assert not np.array_equal(generate_data(equation, n_train=300, n_test=200, seed=4).X_train, data.X_train)


@pytest.mark.parametrize("level", [0.001, 0.01, 0.1])
def test_noise_is_gaussian_scaled_by_the_rms_of_y(tmp_path, level):
    equation = read_equations(write_table(tmp_path / "t.csv"))[0]
    clean = generate_data(equation, n_train=20000, n_test=10, seed=0)
    noisy = generate_data(equation, n_train=20000, n_test=10, noise=level, seed=0)
    np.testing.assert_array_equal(noisy.X_train, clean.X_train)  # same inputs at every noise level
    np.testing.assert_array_equal(noisy.y_test, clean.y_test)  # the test target stays clean
    residual = noisy.y_train - clean.y_train
    rms = np.sqrt(np.mean(clean.y_train**2))
    assert abs(residual.std() / (level * rms) - 1) < 0.03
    assert abs(residual.mean()) < 4 * level * rms / np.sqrt(len(residual))


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, "0.1"])
def test_bad_noise_levels_are_refused(tmp_path, bad):
    equation = read_equations(write_table(tmp_path / "t.csv"))[0]
    with pytest.raises(ConfigError, match="noise"):
        generate_data(equation, noise=bad)


# ----------------------------------------------------------------------------- methods, summary
def test_gplearn_programs_become_sympy():
    functions = pytest.importorskip("gplearn.functions")
    from lawfind.bench import gplearn_to_sympy

    program = [functions.div2, functions.mul2, 0, 1, functions.sqrt1, -4.0]
    a, b = sp.symbols("a b")
    assert gplearn_to_sympy(program, ["a", "b"]) == 0.5 * a * b  # sqrt of a negative constant: of its abs


def test_config_is_checked_before_any_search():
    with pytest.raises(ConfigError, match="did you mean 'operon'"):
        FeynmanConfig(methods=("lawfind",), engine="operom").resolved()
    with pytest.raises(ConfigError, match="unknown method"):
        FeynmanConfig(methods=("lawfind", "eureqa")).resolved()
    assert FeynmanConfig(methods=("lawfind",), noise=(0, 0.01, 0)).resolved().noise == (0.0, 0.01)


def test_summary_counts_solutions_and_accuracy():
    rows = [{"method": "lawfind", "engine": "operon", "noise": 0.0, "exact": e, "r2_test": r, "size": s,
             "seconds": t, "error": ""} for e, r, s, t in [(True, 1.0, 3, 5.0), (False, 0.9995, 9, 7.0),
                                                            (False, math.nan, None, 9.0)]]
    (summary,) = summarize(rows)
    assert (summary.solved, summary.accurate, summary.total, summary.median_size) == (1, 2, 3, 6.0)
    assert "solved 1/3" in format_summary(summary) and "R²>0.999 2/3" in format_summary(summary)


# ----------------------------------------------------------------------------- CLI smoke run
def test_cli_smoke_three_equations(tmp_path):
    table, out = write_table(tmp_path / "eqs.csv"), tmp_path / "bench"
    args = ["bench", "feynman", "--equations", str(table), "--subset", "3", "--time-limit", "5",
            "--methods", "lawfind", "--engine", "operon", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    match = re.search(r"solved (\d+)/3", result.stdout)
    assert match and int(match.group(1)) >= 2  # products of inputs: the operon engine finds them in 5 s
    rows = read_rows(out / "feynman.csv")
    assert [r["name"] for r in rows] == ["I.12.1", "I.14.3", "I.12.5"]
    assert all(r["method"] == "lawfind" and r["engine"] == "operon" and r["r2_test"] > 0.99 for r in rows)
    with open(out / "feynman.csv", encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS
    assert (out / "summary.json").exists()
    # the same folder again: refused, unless resumed (nothing left to run: instant)
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--resume" in again.stderr
    resumed = runner.invoke(app, [*args, "--resume"])
    assert resumed.exit_code == 0 and f"solved {match.group(1)}/3" in resumed.stdout


@pytest.mark.parametrize("extra, message", [
    (["--equations", "/no/such/table.csv"], "not found"),
    (["--names", "I.12.9"], "unknown equation name"),
    (["--noise", "0.5,2"], "noise level 2.0"),
    (["--noise", "x"], "is not a number"),
    (["--methods", "lawfind,foo"], "unknown method"),
])
def test_cli_user_errors_are_one_line(tmp_path, extra, message):
    args = ["bench", "feynman", "--equations", str(write_table(tmp_path / "eqs.csv")), "--out", str(tmp_path / "o"),
            *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr and result.stderr.count("\n") == 1


@dataclass
class _CtrlCOnSecondSearch(Engine):
    """Returns ``x0*x1`` at once; its second search gets a Ctrl-C and returns early, as real engines do."""

    name: ClassVar[str] = "ctrl_c_test"
    calls: ClassVar[list[int]] = []

    def search(self, X, y, *, time_limit, seed, progress):
        type(self).calls.append(1)
        if len(type(self).calls) == 2:
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(5)
            except KeyboardInterrupt:
                return SearchResult([parse_expression("x0*x1")], interrupted=True)
        return SearchResult([parse_expression("x0*x1")])


def test_ctrl_c_stops_the_benchmark_and_keeps_finished_rows(tmp_path, monkeypatch):
    monkeypatch.setitem(ENGINES, "ctrl_c_test", _CtrlCOnSecondSearch)
    monkeypatch.setattr(_CtrlCOnSecondSearch, "calls", [])
    equations = read_equations(write_table(tmp_path / "eqs.csv"))
    config = FeynmanConfig(methods=("lawfind",), engine="ctrl_c_test", time_limit=1)
    with pytest.raises(KeyboardInterrupt):
        run_feynman(equations, config, out=tmp_path / "o")
    rows = read_rows(tmp_path / "o" / "feynman.csv")
    assert [(r["name"], r["exact"]) for r in rows] == [("I.12.1", True)]  # the interrupted search left no row
    result = run_feynman(equations, config, out=tmp_path / "o", resume=True)
    assert [(r["name"], r["exact"]) for r in result.rows] == [("I.12.1", True), ("I.14.3", False), ("I.12.5", True)]
