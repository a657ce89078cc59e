"""Candidate features of one rung, enumerated in memory-bounded chunks.

The features of rung ``r`` are the operators applied to stored features of which at
least one operand is of rung ``r-1`` (the others were built at an earlier rung):

* unary operators on rung ``r-1`` features whose unit and values allow them;
* symmetric binary operators (``+ - * |-|``; ``a-b`` is ``b-a`` up to sign) on unordered
  pairs, ``/`` on ordered pairs, never a feature with itself;
* ``+ - |-|`` only between like units; every result within ``max_complexity`` operators.

Pairs are described by :class:`Block` objects — a left operand list and, for each left
operand, a slice of a right operand list sorted by complexity — so their number is known
(:func:`count_candidates`) before any is built, and chunks of ``(op, left, right)`` index
arrays are cut from them without ever materialising all pairs (a rung-3 space can have
10¹⁰ of them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from lawfind.search.sisso._operators import Operator
from lawfind.search.sisso._space import FeatureSpace

__all__ = ["Block", "rung_blocks", "size_blocks", "count_candidates", "iterate_chunks"]


@dataclass(frozen=True)
class Block:
    """Candidates ``operators[op](left[a], right[b])`` for ``b`` in ``start[a]:stop[a]``.

    For a unary operator ``right`` is None and every ``left`` entry is one candidate.
    ``exclude_self`` drops pairs of a feature with itself.
    """

    op: int
    left: np.ndarray
    right: np.ndarray | None = None
    start: np.ndarray | None = None
    stop: np.ndarray | None = None
    exclude_self: bool = False

    @property
    def size(self) -> int:
        """Number of candidates (pairs with themselves included when ``exclude_self``)."""
        if self.right is None:
            return len(self.left)
        return int(np.sum(self.stop - self.start))


def _by_complexity(space: FeatureSpace, indices: np.ndarray) -> np.ndarray:
    return indices[np.argsort(space.complexity[indices], kind="stable")]


def _limit(space: FeatureSpace, left: np.ndarray, right_sorted: np.ndarray, max_complexity: int | None) -> np.ndarray:
    """For each left operand, how many of the (complexity-sorted) right operands keep the result within the limit."""
    if max_complexity is None:
        return np.full(len(left), len(right_sorted), dtype=np.int64)
    allowed = max_complexity - 1 - space.complexity[left]
    return np.searchsorted(space.complexity[right_sorted], allowed, side="right").astype(np.int64)


def _all_pairs(op: int, space: FeatureSpace, left: np.ndarray, right: np.ndarray, max_complexity: int | None,
               exclude_self: bool = False) -> Block | None:
    if len(left) == 0 or len(right) == 0:
        return None
    right = _by_complexity(space, right)
    stop = _limit(space, left, right, max_complexity)
    block = Block(op, left, right, np.zeros(len(left), dtype=np.int64), stop, exclude_self)
    return block if block.size else None


def _upper_pairs(op: int, space: FeatureSpace, members: np.ndarray, max_complexity: int | None) -> Block | None:
    if len(members) < 2:
        return None
    members = _by_complexity(space, members)
    start = np.arange(1, len(members) + 1, dtype=np.int64)
    stop = np.maximum(_limit(space, members, members, max_complexity), start)
    block = Block(op, members, members, start, stop)
    return block if block.size else None


def _unary_operands(space: FeatureSpace, operator: Operator, operands: np.ndarray, max_complexity: int | None,
                    skip_monotone: bool, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The operands a unary operator applies to: within the complexity limit, its domain and its unit rule."""
    if max_complexity is not None:
        operands = operands[space.complexity[operands] + 1 <= max_complexity]
    if operator.domain == "positive":
        operands = operands[low[operands] > 0]
    elif operator.domain == "nonnegative":
        operands = operands[low[operands] >= 0]
    if skip_monotone and operator.monotone == "always":
        return operands[:0]
    if skip_monotone and operator.monotone == "sign_constant":
        operands = operands[(low[operands] < 0) & (high[operands] > 0)]
    allowed = [u for u in np.unique(space.unit[operands])
               if space.units.combine(operator.unit_rule, operator.exponent, int(u)) is not None]
    return operands[np.isin(space.unit[operands], allowed)]


def size_blocks(space: FeatureSpace, level: int, max_complexity: int | None, *, skip_monotone: bool = False
                ) -> list[Block]:
    """The candidates of exactly ``level + 1`` nodes (leaves plus operators) built from the stored features.

    In a space grown by size, ``space.rung`` holds each stored feature's node count minus
    one (primaries: 0), so ``level`` features are unary operators on level ``level - 1``
    and binary operators on pairs of levels ``(i, j)`` with ``i + j = level - 2``; every
    expression of the given size appears once (up to the symmetry of ``+ * |-|`` and the
    sign of ``-``).  Arguments as :func:`rung_blocks`.
    """
    low, high = space.bounds()
    by_level = {int(r): np.flatnonzero(space.rung == r) for r in np.unique(space.rung)}
    empty = np.empty(0, dtype=np.int64)
    blocks: list[Block] = []
    for op_index, operator in enumerate(space.operators):
        if operator.arity == 1:
            operands = _unary_operands(space, operator, by_level.get(level - 1, empty), max_complexity,
                                       skip_monotone, low, high)
            if len(operands):
                blocks.append(Block(op_index, operands))
            continue
        for i in range(0, (level - 2) // 2 + 1):
            j = level - 2 - i
            first, second = by_level.get(i, empty), by_level.get(j, empty)
            groups = (np.unique(space.unit[np.concatenate([first, second])]) if operator.unit_rule == "same"
                      else [None])
            for group in groups:
                a = first if group is None else first[space.unit[first] == group]
                b = second if group is None else second[space.unit[second] == group]
                if i == j:
                    candidates = ([_upper_pairs(op_index, space, a, max_complexity)] if operator.symmetric
                                  else [_all_pairs(op_index, space, a, a, max_complexity, exclude_self=True)])
                else:
                    candidates = [_all_pairs(op_index, space, a, b, max_complexity)]
                    if not operator.symmetric:
                        candidates.append(_all_pairs(op_index, space, b, a, max_complexity))
                blocks.extend(c for c in candidates if c is not None)
    return blocks


def rung_blocks(space: FeatureSpace, rung: int, max_complexity: int | None, *, skip_monotone: bool = False
                ) -> list[Block]:
    """The blocks of candidates of ``rung`` built from the stored features of ``space``.

    Parameters
    ----------
    space : FeatureSpace
        Holds rungs ``0..rung-1``.
    rung : int
        The rung to enumerate (``>= 1``).
    max_complexity : int or None
        Largest number of operators in a feature.
    skip_monotone : bool, default=False
        Leave out unary operators that are monotone on the operand (for 1-D threshold
        classification, where they only repeat the operand's rule).
    """
    newest = np.flatnonzero(space.rung == rung - 1)
    older = np.flatnonzero(space.rung < rung - 1)
    low, high = space.bounds()
    blocks: list[Block] = []
    for op_index, operator in enumerate(space.operators):
        if operator.arity == 1:
            operands = _unary_operands(space, operator, newest, max_complexity, skip_monotone, low, high)
            if len(operands):
                blocks.append(Block(op_index, operands))
            continue
        groups = (np.unique(space.unit[np.concatenate([newest, older])]) if operator.unit_rule == "same"
                  else [None])
        for group in groups:
            new = newest if group is None else newest[space.unit[newest] == group]
            old = older if group is None else older[space.unit[older] == group]
            if operator.symmetric:
                candidates = [_upper_pairs(op_index, space, new, max_complexity),
                              _all_pairs(op_index, space, new, old, max_complexity)]
            else:
                candidates = [_all_pairs(op_index, space, new, new, max_complexity, exclude_self=True),
                              _all_pairs(op_index, space, new, old, max_complexity),
                              _all_pairs(op_index, space, old, new, max_complexity)]
            blocks.extend(b for b in candidates if b is not None)
    return blocks


def count_candidates(blocks: list[Block]) -> int:
    """Number of candidates the blocks describe (an upper bound on the features they give)."""
    return sum(b.size for b in blocks)


def iterate_chunks(blocks: list[Block], chunk: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield ``(op, left, right)`` index arrays of at most ``chunk`` candidates (``right`` is -1 for unary)."""
    for block in blocks:
        if block.right is None:
            for begin in range(0, len(block.left), chunk):
                left = block.left[begin:begin + chunk]
                yield block.op, left, np.full(len(left), -1, dtype=np.int64)
            continue
        lengths = block.stop - block.start
        ends = np.cumsum(lengths)
        begins = ends - lengths
        total = int(ends[-1]) if len(ends) else 0
        for first in range(0, total, chunk):
            positions = np.arange(first, min(first + chunk, total), dtype=np.int64)
            rows = np.searchsorted(ends, positions, side="right")
            left = block.left[rows]
            right = block.right[block.start[rows] + positions - begins[rows]]
            if block.exclude_self:
                keep = left != right
                left, right = left[keep], right[keep]
            if len(left):
                yield block.op, left, right
