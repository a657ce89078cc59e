"""Sure-independence screening (SIS) over the stored rungs and the never-stored last rung.

Every feature of the space is scored once per SIS step — stored features row by row, the
last rung rebuilt chunk by chunk — and only the best ``k`` survive in a small buffer,
merged after each chunk (duplicates removed, the simplest of a duplicate group kept, and
features already chosen by earlier SIS steps excluded, as SISSO does).

Scores (higher is better):

* regression: ``|corr(feature, residual)|``, the residual of the best model of the
  previous dimension (the target itself at dimension 1) — or the largest such value over
  the residuals of the ``n_residuals`` best models (as SISSO++ does);
* classification: the training (balanced) accuracy of the feature's best threshold rule
  on the samples in the overlap region of the previous dimension's best model(s) — where
  the ranges of the two classes overlap along the model's score (SISSO's criterion).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from lawfind._progress import ProgressCallback
from lawfind.search.sisso._dedup import rank_signatures, signatures, unique_mask, usable_rows
from lawfind.search.sisso._generate import Block, count_candidates, iterate_chunks
from lawfind.search.sisso._space import PRIMARY, FeatureSpace
from lawfind.search.sisso._threshold import best_thresholds

__all__ = ["Candidates", "regression_scorer", "classification_scorer", "screen", "ScreenStats"]

Scorer = Callable[[np.ndarray], np.ndarray]
_SORT_BLOCK = 128  # features per best-threshold call


@dataclass
class Candidates:
    """Features by recipe ``(op, left, right)`` over a :class:`FeatureSpace`, with their values and scores."""

    op: np.ndarray
    left: np.ndarray
    right: np.ndarray
    values: np.ndarray
    score: np.ndarray
    complexity: np.ndarray
    signature: np.ndarray

    @classmethod
    def empty(cls, n_samples: int) -> "Candidates":
        """No candidates."""
        ints = np.empty(0, dtype=np.int64)
        return cls(ints, ints, ints, np.empty((0, n_samples)), np.empty(0), ints, np.empty((0, 3)))

    def __len__(self) -> int:
        return len(self.op)

    def take(self, index: np.ndarray) -> "Candidates":
        """The candidates at ``index``."""
        return Candidates(self.op[index], self.left[index], self.right[index], self.values[index],
                          self.score[index], self.complexity[index], self.signature[index])

    def concat(self, other: "Candidates") -> "Candidates":
        """Both sets, ``self`` first."""
        return Candidates(*(np.concatenate([getattr(self, name), getattr(other, name)])
                            for name in ("op", "left", "right", "values", "score", "complexity", "signature")))

    def ranked(self) -> np.ndarray:
        """Indices by score (descending), then complexity (ascending)."""
        return np.lexsort((self.complexity, -self.score))


@dataclass
class ScreenStats:
    """What one SIS step did."""

    scored: int = 0
    unusable: int = 0
    seconds: float = 0.0
    complete: bool = True
    extra: dict[str, float] = field(default_factory=dict)


def regression_scorer(residuals: np.ndarray) -> Scorer:
    """``max_r |corr(row, residual_r)|`` for each row; ``residuals`` is ``(samples,)`` or ``(residuals, samples)``."""
    centred = np.atleast_2d(residuals)
    centred = centred - centred.mean(axis=1, keepdims=True)
    units = (centred / np.linalg.norm(centred, axis=1, keepdims=True)).T

    def score(values: np.ndarray) -> np.ndarray:
        centred_rows = values - values.mean(axis=1, keepdims=True)
        norms = np.sqrt(np.einsum("ij,ij->i", centred_rows, centred_rows))
        return np.max(np.abs(centred_rows @ units), axis=1) / norms

    return score


def classification_scorer(positive: np.ndarray, row_sets: list[np.ndarray], metric: str) -> Scorer:
    """The best of the best-threshold (balanced) accuracies of each feature on each set of samples."""

    everything = [len(rows) == len(positive) and bool(np.all(rows == np.arange(len(positive)))) for rows in row_sets]

    def score_block(values: np.ndarray) -> np.ndarray:
        best = np.full(len(values), -np.inf)
        for rows, whole in zip(row_sets, everything):
            if whole:  # usable rows are never constant
                result = best_thresholds(values, positive, metric).score
            else:
                subset = values[:, rows]
                constant = subset.max(axis=1) <= subset.min(axis=1)
                result = np.where(constant, -np.inf, best_thresholds(subset, positive[rows], metric).score)
            best = np.maximum(best, result)
        return best

    def score(values: np.ndarray) -> np.ndarray:
        # small blocks keep the sort's work arrays in the allocator's cache (several times faster)
        return np.concatenate([score_block(values[i:i + _SORT_BLOCK]) for i in range(0, len(values), _SORT_BLOCK)])

    return score


def screen(space: FeatureSpace, blocks: list[Block], scorer: Scorer, k: int, exclude: Candidates, *,
           rank_duplicates: bool, directions: np.ndarray, chunk: int, deadline: float,
           progress: ProgressCallback, n_threads: int = 1) -> tuple[Candidates, ScreenStats]:
    """The ``k`` best features of the stored space plus ``blocks`` by ``scorer``.

    Parameters
    ----------
    space : FeatureSpace
        The stored rungs (all screened).
    blocks : list of Block
        The last, unstored rung (built chunk by chunk).
    scorer : callable
        ``scorer(values) -> scores`` for a ``(features, samples)`` array.
    k : int
        Features to keep.
    exclude : Candidates
        Features chosen earlier; neither they nor their duplicates are kept.
    rank_duplicates : bool
        Treat features with the same ranking of samples as duplicates (threshold rules).
    directions : ndarray
        Signature directions.
    chunk : int
        Features per chunk.
    deadline : float
        ``time.monotonic()`` at which screening stops (``stats.complete`` is then False).
    progress : callable
    n_threads : int, default=1
        Chunks built and scored at once (NumPy releases the GIL, so threads use cores).
    """
    started = time.monotonic()
    stats = ScreenStats()
    sign = rank_signatures if rank_duplicates else signatures
    best = Candidates.empty(space.n_samples)
    stored = [Block(PRIMARY, np.arange(space.size))]
    total = space.size + count_candidates(blocks)
    done, last_report = 0, 0.0

    def work(item: tuple[int, np.ndarray, np.ndarray]) -> tuple[Candidates | None, int, int]:
        """Score one chunk; return its candidates that can enter the current top k."""
        op, left, right = item
        values = space.candidate_values(op, left, right)
        usable = usable_rows(values) if op != PRIMARY else np.ones(len(left), dtype=bool)
        index = np.flatnonzero(usable)
        if len(index) == 0:
            return None, len(left), 0
        scores = scorer(values[index])
        scored = len(index)
        floor = np.min(best.score) if len(best) >= k else -np.inf
        good = scores >= floor
        if not good.any():
            return None, len(left), scored
        index, scores = index[good], scores[good]
        complexity = space.candidate_complexity(op, left[index], right[index])
        top = np.lexsort((complexity, -scores))[:k]
        index, scores, complexity = index[top], scores[top], complexity[top]
        fresh = Candidates(np.full(len(index), op, dtype=np.int64), left[index], right[index], values[index],
                           scores, complexity, sign(values[index], directions))
        return fresh, len(left), scored

    chunks = iterate_chunks(stored + blocks, chunk)
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        pending: deque[Future] = deque()
        while True:
            while len(pending) < 2 * n_threads:
                item = next(chunks, None)
                if item is None:
                    break
                pending.append(pool.submit(work, item))
            if not pending:
                break
            fresh, size, scored = pending.popleft().result()
            done += size
            stats.scored += scored
            if fresh is not None:
                best = _merge(best.concat(fresh), exclude, k)
            if time.monotonic() - last_report > 0.25:
                last_report = time.monotonic()
                progress(done / max(total, 1), f"SIS: {done:,}/{total:,} features, best score "
                                               f"{(np.max(best.score) if len(best) else float('nan')):.4g}")
            if time.monotonic() > deadline:
                stats.complete = False
                for future in pending:
                    future.cancel()
                break
    stats.unusable = done - stats.scored
    stats.seconds = time.monotonic() - started
    return best.take(best.ranked()), stats


def _merge(pool: Candidates, exclude: Candidates, k: int) -> Candidates:
    """The ``k`` best of ``pool`` without duplicates (of each other or of ``exclude``)."""
    everything = exclude.concat(pool)
    order = np.lexsort((-everything.score, everything.complexity))
    priority = np.empty(len(everything), dtype=np.int64)
    priority[order] = np.arange(len(everything))
    priority[:len(exclude)] = -np.arange(len(exclude), 0, -1)  # earlier choices always win
    keep = unique_mask(everything.signature, priority)[len(exclude):]
    survivors = pool.take(np.flatnonzero(keep))
    return survivors.take(survivors.ranked()[:k])
