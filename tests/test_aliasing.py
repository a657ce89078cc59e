"""Aliased oscillations: sines and cosines that the data sample too coarsely are kept off fronts.

The motivating case is real: on NIMS hardness values (whole numbers, 195-380 HV) the
portfolio's trigonometric operon run fitted ``3.2*HV - 3.46*cos(1.41*HV) + 3.40*cos(1.55*HV)``,
41 periods with under five hardness values per period, and the pick rule took it over the
straight line for a 0.001 gain in R².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import sympy as sp

from lawfind import discover
from lawfind.law._aliasing import aliased_oscillations
from lawfind.search._pool import CandidatePool

from conftest import FixedEngine


def hardness_frame(seed: int = 0) -> pd.DataFrame:
    """Strength = 3.2·HV + noise over whole-number hardness values, as in the NIMS data."""
    rng = np.random.default_rng(seed)
    hardness = rng.integers(195, 381, 300).astype(float)
    return pd.DataFrame({"HV": hardness, "UTS": 3.2 * hardness + rng.normal(0, 15, 300)})


@pytest.mark.parametrize("expression, aliased", [
    ("3*x0 + 3*cos(1.41*x0)", True),           # 41 periods, 4.5 values per period
    ("sin(2*x0 + 1)", True),                   # 59 periods, 3.1 values per period
    ("3*x0 + 3*cos(0.1*x0)", False),           # 3 periods, 63 values per period: a wiggle, but followed
    ("3*x0 + 3*cos(0.02*x0)", False),          # under one period
    ("3*x0", False),
])
def test_coarsely_sampled_oscillations_are_aliased(expression, aliased):
    X = hardness_frame()[["HV"]].to_numpy()
    found = aliased_oscillations(sp.sympify(expression), X)
    assert bool(found) is aliased, found


def test_densely_sampled_many_period_oscillations_and_angles_are_not_aliased():
    t = np.linspace(0.0, 100.0, 5000).reshape(-1, 1)  # a time series: 32 periods of cos(2t), 50 samples each
    assert aliased_oscillations(sp.sympify("exp(-0.01*x0)*cos(2*x0)"), t) == []
    angles = np.random.default_rng(0).uniform(0, np.pi, (50, 1))  # few rows, but under one period
    assert aliased_oscillations(sp.sympify("cos(x0)"), angles) == []


@dataclass
class AliasingEngine(FixedEngine):
    name = "aliasing"
    expressions: tuple[str, ...] = ("3.2*x0 + 3.0*cos(1.41*x0) + 1.0", "3.2*x0")


def test_discover_keeps_aliased_laws_off_the_front_and_says_so():
    frame = hardness_frame()
    run = discover(frame, "UTS", engine=AliasingEngine(), time_limit=1)
    assert [law.equation(4) for law in run.front] == ["3.199*HV"]  # the cosine law fits better but is aliased
    assert run.info["aliased"]["dropped"] == 1
    assert "periods" in run.info["aliased"]["examples"][0] and "cos" in run.info["aliased"]["examples"][0]
    from rich.console import Console

    from lawfind.cli._format import print_run

    console = Console(record=True, width=200)
    print_run(run, console)
    assert "1 candidate law with an aliased oscillation" in console.export_text()


def test_the_candidate_pool_refuses_aliased_laws():
    frame = hardness_frame()
    pool = CandidatePool(frame[["HV"]].to_numpy(), frame["UTS"].to_numpy())
    assert pool.add(sp.sympify("3.2*x0 + 3*cos(1.41*x0)"), "operon") is None
    assert pool.add(sp.sympify("3.2*x0"), "operon") is not None
    assert pool.aliased == 1 and len(pool) == 1
