"""Uploaded CSV files: size limit, the library's CSV checks, and a copy kept beside the runs."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from lawfind.data import read_csv
from lawfind.exceptions import DataError

__all__ = ["MAX_UPLOAD_MB", "read_upload", "store_upload", "UPLOADS_FOLDER"]

#: Largest upload accepted, in megabytes (the app also passes it to ``st.file_uploader``).
MAX_UPLOAD_MB = 20
#: Sub-folder of the run store where uploaded tables are kept, so their runs can be reopened.
UPLOADS_FOLDER = "_uploads"


def _safe_stem(name: str) -> str:
    stem = Path(name).stem
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "upload"


def _check_name_and_size(name: str, content: bytes, max_mb: float) -> None:
    if not isinstance(content, (bytes, bytearray)):
        raise DataError(f"the upload {name!r} has no readable content")
    if len(content) > max_mb * 1024 * 1024:
        raise DataError(
            f"the file {name!r} is {len(content) / 1024 / 1024:.1f} MB, above the {max_mb:g} MB limit of the "
            f"explorer; use the command line (lawfind discover) for large tables"
        )
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".txt", ""):
        raise DataError(f"the file {name!r} is a {suffix} file, not a CSV file; export the table as CSV first")


def read_upload(name: str, content: bytes, *, max_mb: float = MAX_UPLOAD_MB) -> pd.DataFrame:
    """Read an uploaded CSV with the same checks as ``lawfind discover`` (one clear DataError).

    Parameters
    ----------
    name : str
        The file name as uploaded (shown in messages).
    content : bytes
        The file's bytes.
    max_mb : float, default=MAX_UPLOAD_MB

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        Too large, not a CSV, empty, binary, JSON, malformed, duplicate or unnamed columns.
    """
    _check_name_and_size(name, content, max_mb)
    fd, tmp = tempfile.mkstemp(prefix="lawfind-upload-", suffix=".csv")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(bytes(content))
        try:
            return read_csv(tmp)
        except DataError as exc:
            raise DataError(str(exc).replace(repr(tmp), repr(name)).replace(tmp, name)) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def store_upload(store: str | os.PathLike[str], name: str, content: bytes) -> Path:
    """Keep a copy of an uploaded table in ``<store>/_uploads/`` (named by its hash) and return its path.

    Runs on the copy record its path as their data source, so they can be reopened and
    exported with their data later.
    """
    digest = hashlib.sha256(bytes(content)).hexdigest()[:12]
    folder = Path(store) / UPLOADS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_safe_stem(name)}-{digest}.csv"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(bytes(content))
        os.replace(tmp, path)
    return path
