"""Value objects describing a registered dataset: columns, read options, provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from lawfind.data import Task
from lawfind.exceptions import ConfigError

__all__ = ["ColumnInfo", "ReadOptions", "DatasetInfo", "github_raw"]

_TASKS = ("regression", "classification")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class ColumnInfo:
    """One column of a registered dataset.

    Parameters
    ----------
    name : str
        The column name exactly as it appears in the loaded table.
    unit : str or None
        Unit in pint syntax (``"angstrom"``, ``"MPa"``, ``"eV"``); ``None`` when the
        column is text, a label, or its unit is not stated by the source.
    description : str
        What the column means, with any convention the unit alone does not say
        (e.g. "per atom", "stored as a negative number").
    """

    name: str
    unit: str | None
    description: str


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file so that its documented quirks are handled.

    Parameters
    ----------
    index_col : int or str, optional
        Column holding a row index (the matminer re-hosts start with an unnamed
        pandas index; the NIMS table has a serial number).  It becomes the frame's
        index and is not a data column.
    header_names : tuple of str, optional
        Replacement for a wrong header row: the file's own header is skipped and
        these names are used instead.
    missing_markers : tuple of str, optional
        When given, exactly these strings mean "missing" and pandas' default list
        (which contains ``"NA"``) is switched off, e.g. where ``NA`` is sodium.
        ``None`` keeps pandas' defaults.
    column_missing : tuple of (str, tuple of str)
        Extra per-column missing markers added to pandas' defaults, e.g.
        ``(("mu_b", ("-",)),)``.  Cannot be combined with ``missing_markers``.
    strip_header : bool, default=False
        Remove leading and trailing spaces from the column names.
    integer_columns : tuple of str
        Label columns written as ``1.0``/``-1.0`` that are converted to integers
        after reading (refused if a value is not a whole number).
    value_fixes : tuple of (str, str, str)
        Documented cell corrections ``(column, written, meant)``, e.g.
        ``("B", "NA", "Na")`` where the sodium symbol is written in capitals.  Each
        fix must match at least one cell, otherwise loading fails.
    """

    index_col: int | str | None = None
    header_names: tuple[str, ...] | None = None
    missing_markers: tuple[str, ...] | None = None
    column_missing: tuple[tuple[str, tuple[str, ...]], ...] = ()
    strip_header: bool = False
    integer_columns: tuple[str, ...] = ()
    value_fixes: tuple[tuple[str, str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.missing_markers is not None and self.column_missing:
            raise ConfigError("ReadOptions: give either missing_markers or column_missing, not both")

    def pandas_kwargs(self) -> dict[str, object]:
        """Keyword arguments for :func:`pandas.read_csv` implementing these options."""
        kwargs: dict[str, object] = {"index_col": self.index_col, "encoding": "utf-8"}
        if self.header_names is not None:
            kwargs["names"] = list(self.header_names)
            kwargs["header"] = 0
        if self.missing_markers is not None:
            kwargs["keep_default_na"] = False
            kwargs["na_values"] = list(self.missing_markers)
        elif self.column_missing:
            kwargs["na_values"] = {column: list(markers) for column, markers in self.column_missing}
        return kwargs


@dataclass(frozen=True)
class DatasetInfo:
    """Registry entry of one built-in dataset (metadata only; no data is held).

    Parameters
    ----------
    name : str
        Short lowercase name used by :func:`lawfind.datasets.load`.
    description : str
        One-line summary.
    folder, file : str
        Location inside a mirror or the cache: ``<folder>/<file>``.
    url : str or None
        Download URL pinned to a commit, or ``None`` when the file was derived by
        the curators (then only a mirror can provide it; see ``source``).
    sha256 : str
        Checksum of the file's bytes; every located or downloaded file is verified.
    source : str
        Where the file comes from: ``owner/repo@commit:path``, or how it was derived.
    citation : str
        Paper(s) to cite, with DOI.
    licence : str
        Licence of the data as far as it is known.
    n_rows : int
        Number of data rows (checked on every load).
    columns : tuple of ColumnInfo
        Every column of the loaded table, in file order (the index column excluded).
    target : str or None
        Default target of :func:`lawfind.datasets.load_dataset`; ``None`` for a
        reference table without an obvious target.
    task : {"regression", "classification"} or None
        Task of the default target.
    features : tuple of str
        Default numeric feature columns; empty when the inputs are only formula
        or element strings that need featurizing first.
    read : ReadOptions
        How to read the file (its quirks).
    notes : tuple of str
        Caveats worth knowing before fitting a law.
    """

    name: str
    description: str
    folder: str
    file: str
    url: str | None
    sha256: str
    source: str
    citation: str
    licence: str
    n_rows: int
    columns: tuple[ColumnInfo, ...]
    target: str | None
    task: Task | None
    features: tuple[str, ...] = ()
    read: ReadOptions = field(default_factory=ReadOptions)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = f"dataset registry entry {self.name!r}"
        if not _NAME.match(self.name):
            raise ConfigError(f"{where}: names are lowercase letters, digits and '_'")
        if not _SHA256.match(self.sha256):
            raise ConfigError(f"{where}: sha256 must be 64 lowercase hex digits, got {self.sha256!r}")
        names = self.column_names
        if len(set(names)) != len(names):
            raise ConfigError(f"{where}: duplicate column names in {names}")
        if (self.target is None) != (self.task is None):
            raise ConfigError(f"{where}: target and task must both be set or both be None")
        if self.task is not None and self.task not in _TASKS:
            raise ConfigError(f"{where}: task must be one of {list(_TASKS)}, got {self.task!r}")
        fixed = [column for column, _, _ in self.read.value_fixes]
        named = [c for c in (self.target, *self.features, *self.read.integer_columns, *fixed) if c is not None]
        unknown = [c for c in named if c not in names]
        if unknown:
            raise ConfigError(f"{where}: column(s) {unknown} are not among its columns {names}")
        if self.target is not None and self.target in self.features:
            raise ConfigError(f"{where}: the target {self.target!r} is also a default feature")

    @property
    def column_names(self) -> list[str]:
        """Names of the data columns, in file order."""
        return [c.name for c in self.columns]

    @property
    def units(self) -> dict[str, str]:
        """Column name -> pint unit, for the columns whose unit is known."""
        return {c.name: c.unit for c in self.columns if c.unit is not None}

    def column(self, name: str) -> ColumnInfo:
        """Return the :class:`ColumnInfo` of column ``name``.

        Raises
        ------
        ConfigError
            If the dataset has no such column.
        """
        for col in self.columns:
            if col.name == name:
                return col
        raise ConfigError(f"dataset {self.name!r} has no column {name!r}; columns are: {self.column_names}")


def github_raw(repo: str, commit: str, path: str) -> tuple[str, str]:
    """Pinned download URL and source text of a file in a GitHub repository.

    Parameters
    ----------
    repo : str
        ``owner/name``.
    commit : str
        Full 40-character commit hash.
    path : str
        Path of the file inside the repository.

    Returns
    -------
    url : str
        ``https://raw.githubusercontent.com/<repo>/<commit>/<path>``.
    source : str
        ``<repo>@<commit>:<path>``.
    """
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise ConfigError(f"commit of {repo}:{path} must be a full 40-digit hash, got {commit!r}")
    return f"https://raw.githubusercontent.com/{repo}/{commit}/{quote(path)}", f"{repo}@{commit}:{path}"
