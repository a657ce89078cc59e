"""Checks of options shared by the API functions (one message for each, before any work)."""

from __future__ import annotations

from typing import Any

import numpy as np

from lawfind.exceptions import ConfigError

__all__ = ["MAX_SEED", "check_seed"]

#: The largest seed: NumPy's legacy ``RandomState`` and scikit-learn's ``random_state`` take 32 bits.
MAX_SEED = 2**32 - 1


def check_seed(seed: Any, name: str = "seed", cli: str = "--seed") -> int:
    """``seed`` as an int, or a :class:`ConfigError` unless it is an integer in 0..2³²−1."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ConfigError(f"{name} must be an integer from 0 to {MAX_SEED} (CLI: {cli}), got {seed!r}")
    return int(seed)
