"""Benchmark data: uniform samples in the table's ranges, Gaussian target noise as in SRBench."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lawfind.bench._equations import Equation
from lawfind.exceptions import ConfigError, DataError

__all__ = ["BenchData", "generate_data", "check_noise", "SRBENCH_NOISE_LEVELS"]

#: The target-noise levels of SRBench's ground-truth track.
SRBENCH_NOISE_LEVELS = (0.0, 0.001, 0.01, 0.1)


def check_noise(noise: float) -> float:
    """Return ``noise`` as a float, or raise :class:`ConfigError` if it is not in [0, 1]."""
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise ConfigError(f"noise level must be a number, got {noise!r}")
    if not math.isfinite(noise) or not 0.0 <= noise <= 1.0:
        raise ConfigError(f"noise level {noise!r} is outside [0, 1]; it is the noise σ as a fraction of RMS(y) "
                          f"(SRBench uses {', '.join(str(v) for v in SRBENCH_NOISE_LEVELS)})")
    return float(noise)


@dataclass(frozen=True)
class BenchData:
    """Training and test samples of one equation.

    Attributes
    ----------
    X_train, X_test : ndarray of shape (n, n_variables)
    y_train : ndarray
        Targets with the noise added.
    y_test : ndarray
        Noise-free targets (SRBench scores test R² on the clean signal).
    noise : float
    seed : int
    columns : list of str
        The variable names, one per column of ``X``.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    noise: float
    seed: int
    columns: list[str]

    def frame(self, target: str, split: str = "train") -> pd.DataFrame:
        """The training (or ``"test"``) samples as a DataFrame with the target column last."""
        X, y = (self.X_train, self.y_train) if split == "train" else (self.X_test, self.y_test)
        frame = pd.DataFrame(X, columns=self.columns)
        frame[target] = y
        return frame


def generate_data(equation: Equation, *, n_train: int = 1000, n_test: int = 1000, noise: float = 0.0,
                  seed: int = 0) -> BenchData:
    """Sample ``equation`` uniformly in its ranges and add target noise to the training part.

    The inputs and a standard-normal vector are drawn from one generator seeded by
    ``(seed, crc32(equation.name))``, so every method and every noise level of the same
    seed sees the same inputs, and the noise levels differ only in scale:
    ``y_train + N(0, (noise · RMS(y_train))²)``, as in SRBench's ``evaluate_model``.

    Parameters
    ----------
    equation : Equation
    n_train, n_test : int, default=1000
    noise : float, default=0.0
        Noise σ as a fraction of the root mean square of the training targets.
    seed : int, default=0

    Returns
    -------
    BenchData

    Raises
    ------
    ConfigError
        For a bad noise level, sample size or seed.
    DataError
        If the formula is not finite on the samples.
    """
    noise = check_noise(noise)
    for what, value in (("n_train", n_train), ("n_test", n_test)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
            raise ConfigError(f"{what} must be an integer ≥ 2, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer (--seed), got {seed!r}")
    rng = np.random.default_rng([int(seed), zlib.crc32(equation.name.encode("utf-8"))])
    lows = np.array([v.low for v in equation.variables])
    highs = np.array([v.high for v in equation.variables])
    X = rng.uniform(lows, highs, size=(n_train + n_test, len(lows)))
    standard = rng.standard_normal(n_train)
    y = equation.evaluate(X)
    bad = int((~np.isfinite(y)).sum())
    if bad:
        raise DataError(f"equation {equation.name} ({equation.formula}) is not finite on {bad} of "
                        f"{len(y)} samples of its ranges; fix the ranges in the table")
    y_train = y[:n_train] + noise * float(np.sqrt(np.mean(y[:n_train] ** 2))) * standard
    return BenchData(X[:n_train], y_train, X[n_train:], y[n_train:], noise, int(seed), equation.names)
