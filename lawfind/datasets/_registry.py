"""The registry: every built-in dataset by name, and look-ups with "did you mean" errors."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from types import MappingProxyType

from lawfind.datasets._alloys import ALLOY_DATASETS
from lawfind.datasets._benchmarks import BENCHMARK_DATASETS
from lawfind.datasets._compounds import COMPOUND_DATASETS
from lawfind.datasets._info import DatasetInfo
from lawfind.datasets._perovskites import PEROVSKITE_DATASETS
from lawfind.exceptions import ConfigError

__all__ = ["REGISTRY", "list_datasets", "info"]


def _build(entries: Iterable[DatasetInfo]) -> MappingProxyType[str, DatasetInfo]:
    registry: dict[str, DatasetInfo] = {}
    locations: dict[tuple[str, str], str] = {}
    for entry in entries:
        if entry.name in registry:
            raise ConfigError(f"dataset name {entry.name!r} is registered twice")
        where = (entry.folder, entry.file)
        if where in locations:
            raise ConfigError(f"datasets {locations[where]!r} and {entry.name!r} both use {entry.folder}/{entry.file}")
        registry[entry.name] = entry
        locations[where] = entry.name
    return MappingProxyType(registry)


#: Read-only mapping of name -> :class:`DatasetInfo`, in a stable, grouped order.
REGISTRY: MappingProxyType[str, DatasetInfo] = _build(
    (*PEROVSKITE_DATASETS, *COMPOUND_DATASETS, *ALLOY_DATASETS, *BENCHMARK_DATASETS)
)


def list_datasets() -> list[DatasetInfo]:
    """Return every registered dataset.

    Returns
    -------
    list of DatasetInfo
        Registry entries, grouped by topic (perovskites, compounds, alloys,
        benchmarks).  No file is read.

    Examples
    --------
    >>> from lawfind import datasets
    >>> "octet_binaries" in [d.name for d in datasets.list_datasets()]
    True
    """
    return list(REGISTRY.values())


def info(name: str) -> DatasetInfo:
    """Return the registry entry of dataset ``name``.

    Parameters
    ----------
    name : str
        A registered name, e.g. ``"bartel_perovskites"``.

    Returns
    -------
    DatasetInfo

    Raises
    ------
    ConfigError
        If ``name`` is not registered; the message suggests the closest names.

    Examples
    --------
    >>> from lawfind import datasets
    >>> datasets.info("octet_binaries").n_rows
    82
    """
    if not isinstance(name, str):
        raise ConfigError(f"a dataset name must be a string, got {type(name).__name__}")
    try:
        return REGISTRY[name]
    except KeyError:
        pass
    close = difflib.get_close_matches(name.lower(), list(REGISTRY), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ConfigError(
        f"unknown dataset {name!r}{hint} (run 'lawfind datasets list' or call "
        f"lawfind.datasets.list_datasets() to see all {len(REGISTRY)} names)"
    )
