"""Built-in public materials datasets: a registry with provenance, checksums and loaders.

No data ship with lawfind.  A dataset file is found in a local mirror
(``$LAWFIND_DATA_DIR/<folder>/<file>``), in the user cache (``$LAWFIND_CACHE_DIR``,
default ``~/.cache/lawfind``), or downloaded from a URL pinned to a commit; its
SHA-256 is always checked against the registry.

>>> from lawfind import datasets
>>> entry = datasets.info("steel_fatigue_nims")
>>> entry.n_rows, entry.target, entry.task
(437, 'Fatigue', 'regression')
>>> data = datasets.load_dataset("steel_fatigue_nims")  # doctest: +SKIP
>>> data.units["Fatigue"]  # doctest: +SKIP
'MPa'

See Also
--------
list_datasets, info, path, load, load_dataset
"""

from lawfind.datasets._fetch import CACHE_DIR_ENV, DATA_DIR_ENV, DOWNLOAD_TIMEOUT, cache_dir, path
from lawfind.datasets._info import ColumnInfo, DatasetInfo, ReadOptions
from lawfind.datasets._load import load, load_dataset
from lawfind.datasets._registry import info, list_datasets

__all__ = [
    "DatasetInfo",
    "ColumnInfo",
    "ReadOptions",
    "list_datasets",
    "info",
    "path",
    "load",
    "load_dataset",
    "cache_dir",
    "DATA_DIR_ENV",
    "CACHE_DIR_ENV",
    "DOWNLOAD_TIMEOUT",
]
