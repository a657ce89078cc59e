"""Build the stored rungs of a feature space under a memory budget.

Each stored rung is built in two passes over its candidate chunks:

1. compute each chunk, drop non-finite and constant rows, and keep only a 3-number
   signature, the recipe and the complexity of the others;
2. remove duplicates (of each other and of lower rungs) from the signatures, check that
   the survivors' values fit the memory budget — the exact need is known now — and
   recompute and store only the survivors.

So the peak memory of a rung is its final size plus one chunk, and a setting that cannot
fit fails with a :class:`~lawfind.exceptions.ConfigError` before the large allocation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError, SearchError
from lawfind.search.sisso._dedup import signatures, unique_mask, usable_rows
from lawfind.search.sisso._generate import count_candidates, iterate_chunks, rung_blocks, size_blocks
from lawfind.search.sisso._operators import Operator
from lawfind.search.sisso._space import PRIMARY, FeatureSpace
from lawfind.search.sisso._units import UnitAlgebra

__all__ = ["MemoryPlan", "primary_space", "add_rung", "format_bytes"]

_WORK_ARRAYS = 12  # (chunk, samples) float arrays alive at once while a chunk is built and scored
_CHUNK_VALUES = 1 << 18  # target values per chunk (2 MB per array: larger ones are slower to allocate)
_MIN_CHUNK = 16
_PASS1_BYTES = 3 * 8 + 8 + 8 + 4  # signature, left, right, op/complexity per candidate kept in pass 1


def format_bytes(count: float) -> str:
    """``1.5 GB``-style text."""
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if count < 1000 or unit == "TB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


@dataclass
class MemoryPlan:
    """The memory budget of one search and what is committed so far (bytes)."""

    budget: int
    n_samples: int
    stored: int = 0

    def check(self, what: str, need: float, fix: str) -> None:
        """Raise :class:`ConfigError` if ``need`` more bytes do not fit next to what is stored."""
        if self.stored + need > self.budget:
            raise ConfigError(
                f"sisso engine: {what} needs about {format_bytes(need)}"
                + (f" on top of {format_bytes(self.stored)} already stored" if self.stored else "")
                + f", which exceeds memory_budget={self.budget:,} bytes ({format_bytes(self.budget)}); {fix}, "
                  f"or raise memory_budget")

    def chunk_features(self, concurrent: int = 1) -> int:
        """Features per chunk: about 260,000 values, within what the budget leaves for ``concurrent`` chunks."""
        per_feature = self.n_samples * 8 * _WORK_ARRAYS * concurrent
        self.check(f"building and scoring features in chunks of {_MIN_CHUNK} ({self.n_samples} samples each, "
                   f"{concurrent} chunk(s) at a time)", per_feature * _MIN_CHUNK,
                   "lower the rung, use fewer operators, fewer threads or fewer samples")
        room = (self.budget - self.stored) // per_feature
        return int(max(_MIN_CHUNK, min(room, max(_CHUNK_VALUES // self.n_samples, _MIN_CHUNK))))


def primary_space(X: np.ndarray, operators: list[Operator], units: UnitAlgebra, unit_ids: list[int],
                  factors: list[float], directions: np.ndarray, info: dict[str, Any]) -> FeatureSpace:
    """Rung 0: the data columns (converted to their unit class's reference unit), without unusable or duplicate ones."""
    values = np.ascontiguousarray(X.T * np.asarray(factors)[:, None])
    usable = usable_rows(values)
    keep = usable.copy()
    if usable.any():
        rows = np.flatnonzero(usable)
        unique = unique_mask(signatures(values[rows], directions), np.arange(len(rows)))
        keep[rows[~unique]] = False
    info["primary_dropped"] = {"unusable": [int(i) for i in np.flatnonzero(~usable)],
                               "duplicate": [int(i) for i in np.flatnonzero(usable & ~keep)]}
    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        raise SearchError("sisso engine: every feature column is constant or non-finite; nothing to build from")
    kept = values[rows]
    return FeatureSpace(
        values=kept, op=np.full(len(rows), PRIMARY, dtype=np.int16), left=rows.astype(np.int64),
        right=np.full(len(rows), -1, dtype=np.int64), complexity=np.zeros(len(rows), dtype=np.int32),
        rung=np.zeros(len(rows), dtype=np.int8), unit=np.asarray(unit_ids, dtype=np.int32)[rows],
        signature=signatures(kept, directions), operators=operators, units=units, factors=list(factors),
    )


def add_rung(space: FeatureSpace, rung: int, max_complexity: int | None, memory: MemoryPlan,
             directions: np.ndarray, deadline: float, progress: ProgressCallback, *,
             by_size: bool = False) -> dict[str, int]:
    """Build rung ``rung`` from ``space`` (which holds the lower rungs) and store it there.

    With ``by_size=True`` the "rung" is a size level: the features of exactly ``rung + 1``
    nodes (:func:`~lawfind.search.sisso._generate.size_blocks`).

    Returns
    -------
    dict
        ``candidates`` (pairs and unary applications enumerated), ``unusable``
        (non-finite or constant), ``duplicates`` and ``stored``.

    Raises
    ------
    ConfigError
        If the rung cannot fit ``memory.budget`` (the message gives the need).
    SearchError
        If ``deadline`` passes before the rung is built.
    """
    blocks = (size_blocks if by_size else rung_blocks)(space, rung, max_complexity)
    total = count_candidates(blocks)
    n = space.n_samples
    what = f"size {rung + 1}" if by_size else f"rung {rung}"
    fix = ("store fewer features: lower max_size, use fewer operators or fewer primary features" if by_size else
           f"store fewer features: lower the rung (rung {rung} would be stored to build rung {rung + 1}), "
           f"set max_complexity, or use fewer operators")
    memory.check(f"screening the {total:,} candidate features of {what} for duplicates (storing all of them "
                 f"would take up to {format_bytes(total * n * 8)})", total * _PASS1_BYTES, fix)
    chunk = memory.chunk_features()
    found: dict[str, list[np.ndarray]] = {key: [] for key in ("op", "left", "right", "signature", "complexity")}
    done = unusable = 0
    for op, left, right in iterate_chunks(blocks, chunk):
        values = space.candidate_values(op, left, right)
        ok = usable_rows(values)
        unusable += int(np.count_nonzero(~ok))
        found["op"].append(np.full(int(ok.sum()), op, dtype=np.int16))
        found["left"].append(left[ok])
        found["right"].append(right[ok])
        found["signature"].append(signatures(values[ok], directions))
        found["complexity"].append(space.candidate_complexity(op, left[ok], right[ok]))
        done += len(left)
        progress(done / max(total, 1), f"{what}: {done:,}/{total:,} candidate features")
        if time.monotonic() > deadline:
            raise SearchError(f"sisso engine: building {what} of the feature space ({total:,} candidates) did "
                              f"not finish within the time limit; raise time_limit, "
                              + ("lower max_size" if by_size else "lower the rung, set max_complexity")
                              + " or use fewer operators")
    arrays = {key: (np.concatenate(parts) if parts else np.empty((0, 3) if key == "signature" else 0))
              for key, parts in found.items()}
    m = space.size
    order = np.lexsort((np.arange(len(arrays["op"])), arrays["complexity"]))
    priority = np.empty(len(order), dtype=np.int64)
    priority[order] = np.arange(len(order))
    keep = unique_mask(np.concatenate([space.signature, arrays["signature"].reshape(-1, 3)]),
                       np.concatenate([np.arange(m), m + priority]))[m:]
    kept = {key: value[keep] for key, value in arrays.items()}
    survivors = int(keep.sum())
    memory.check(f"storing {what} ({survivors:,} unique features x {n} samples)", survivors * n * 8
                 + _WORK_ARRAYS * n * 8 * _MIN_CHUNK, fix)
    values = np.empty((survivors, n))
    unit = np.empty(survivors, dtype=np.int32)
    for op in np.unique(kept["op"]):
        rows = np.flatnonzero(kept["op"] == op)
        for begin in range(0, len(rows), chunk):
            part = rows[begin:begin + chunk]
            values[part] = space.candidate_values(int(op), kept["left"][part], kept["right"][part])
            unit[part] = space.candidate_units(int(op), kept["left"][part], kept["right"][part])
    space.append(values, kept["op"], kept["left"], kept["right"], kept["complexity"], rung, unit, kept["signature"])
    memory.stored += survivors * n * 8
    return {"candidates": total, "unusable": unusable, "duplicates": int(len(keep) - survivors),
            "stored": survivors}
