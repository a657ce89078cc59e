"""Shared fixtures: planted-law tables and a fixed, instant test engine (no real search)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

from lawfind.law._parse import parse_expression
from lawfind.search import Engine, SearchResult

# Property tests draw the same examples on every run (a CI run must not fail by the luck of the draw);
# HYPOTHESIS_PROFILE=explore draws new ones, to look for bugs: run it with --hypothesis-seed=N.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: The planted law of every fixture table: y = 1.5 + 2·a − 0.7·b.
PLANTED = "1.5 + 2*x0 - 0.7*x1"


def linear_frame(a: str = "a", b: str = "b", target: str = "y", n: int = 30, seed: int = 0,
                 extra: str | None = None) -> pd.DataFrame:
    """A table with the planted law ``target = 1.5 + 2·a − 0.7·b`` (and an optional distractor)."""
    rng = np.random.default_rng(seed)
    columns = {a: rng.uniform(1.0, 3.0, n), b: rng.uniform(1.0, 3.0, n)}
    if extra is not None:
        columns[extra] = rng.uniform(1.0, 2.0, n)
    columns[target] = 1.5 + 2.0 * columns[a] - 0.7 * columns[b]
    return pd.DataFrame(columns)


@dataclass
class FixedEngine(Engine):
    """Returns fixed candidate expressions at once (a real Engine, for fast tests)."""

    name = "fixed"
    expressions: tuple[str, ...] = ("1.5 + 2*x0 - 0.7*x1", "2*x0", "x0")
    interrupted: bool = False

    def search(self, X, y, *, time_limit, seed, progress):
        progress(1.0, "done")
        return SearchResult([parse_expression(e) for e in self.expressions], self.interrupted, {"fixed": True})


@pytest.fixture
def csv_path(tmp_path: Path) -> Path:
    """A CSV of the planted law over columns a, b -> y."""
    path = tmp_path / "data.csv"
    linear_frame().to_csv(path, index=False)
    return path


@pytest.fixture
def run_dir(tmp_path: Path, csv_path: Path) -> Path:
    """A saved run (found by :class:`FixedEngine` on ``csv_path``); its picked law is the planted one."""
    from lawfind import discover

    out = tmp_path / "run"
    discover(csv_path, "y", engine=FixedEngine(), time_limit=1, out=out)
    return out
