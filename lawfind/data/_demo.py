"""Demo and planted-law datasets generated from a known law (no download needed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError

__all__ = ["DemoLaw", "DEMOS", "make_demo", "planted_dataset"]


@dataclass(frozen=True)
class DemoLaw:
    """A known law used to generate a demo table.

    Attributes
    ----------
    name, description : str
    target : str
    law : str
        The true law, as text in the column names.
    ranges : mapping of column to (low, high)
        Uniform sampling range of each feature.
    function : callable
        Maps a DataFrame of features to the target.
    units : mapping of column to unit
    """

    name: str
    description: str
    target: str
    law: str
    ranges: Mapping[str, tuple[float, float]]
    function: Callable[[pd.DataFrame], np.ndarray]
    units: Mapping[str, str]


DEMOS: dict[str, DemoLaw] = {
    "hall_petch": DemoLaw(
        name="hall_petch",
        description="Hall-Petch grain-size strengthening: yield strength vs mean grain size, plus "
        "an unrelated column (temperature of the tensile test, which the law ignores).",
        target="sigma_y [MPa]",
        law="sigma_y [MPa] = 70 + 600/sqrt(d [um])",
        ranges={"d [um]": (1.0, 200.0), "T (K)": (280.0, 320.0)},
        function=lambda f: 70 + 600 / np.sqrt(f["d [um]"].to_numpy()),
        units={"d [um]": "micrometer", "T (K)": "kelvin", "sigma_y [MPa]": "megapascal"},
    ),
    "kepler": DemoLaw(
        name="kepler",
        description="A product-quotient law with Greek and unit-bearing names: "
        "y = 3.2*E*λ/T (K)^2.",
        target="y",
        law="y = 3.2*E*λ/`T (K)`**2",
        ranges={"E": (1.0, 5.0), "λ": (1.0, 5.0), "T (K)": (1.0, 5.0)},
        function=lambda f: 3.2 * f["E"].to_numpy() * f["λ"].to_numpy() / f["T (K)"].to_numpy() ** 2,
        units={},
    ),
}


def make_demo(name: str = "hall_petch", n: int = 200, noise: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """Generate a demo table from one of the known laws in :data:`DEMOS`.

    Parameters
    ----------
    name : str, default="hall_petch"
    n : int, default=200
        Number of rows.
    noise : float, default=0.0
        Gaussian noise added to the target, as a fraction of the target's RMS.
    seed : int, default=0

    Examples
    --------
    >>> make_demo("hall_petch", n=3).columns.tolist()
    ['d [um]', 'T (K)', 'sigma_y [MPa]']
    """
    if name not in DEMOS:
        raise ConfigError(f"unknown demo {name!r}; choose one of {sorted(DEMOS)}")
    demo = DEMOS[name]
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({col: rng.uniform(lo, hi, n) for col, (lo, hi) in demo.ranges.items()})
    target = np.asarray(demo.function(frame), dtype=float)
    if noise:
        target = target + rng.normal(0.0, noise * np.sqrt(np.mean(target**2)), n)
    frame[demo.target] = target
    return frame


def planted_dataset(
    function: Callable[..., np.ndarray],
    ranges: Mapping[str, tuple[float, float]],
    n: int = 200,
    noise: float = 0.0,
    seed: int = 0,
    target: str = "y",
) -> pd.DataFrame:
    """A table whose target is ``function(**columns)`` on uniform random inputs.

    Examples
    --------
    >>> planted_dataset(lambda a, b: a * b, {"a": (1, 2), "b": (1, 2)}, n=4).shape
    (4, 3)
    """
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({col: rng.uniform(lo, hi, n) for col, (lo, hi) in ranges.items()})
    y = np.asarray(function(**{c: frame[c].to_numpy() for c in ranges}), dtype=float)
    if noise:
        y = y + rng.normal(0.0, noise * np.sqrt(np.mean(y**2)), n)
    frame[target] = y
    return frame
