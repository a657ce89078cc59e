"""Placeholder replaced by the sparse engine (being written)."""
from dataclasses import dataclass
from typing import ClassVar
from lawfind.search._base import Engine


@dataclass
class SparseEngine(Engine):
    name: ClassVar[str] = "sparse"

    def search(self, X, y, *, time_limit, seed, progress):
        raise NotImplementedError
