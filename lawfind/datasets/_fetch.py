"""Locate a dataset file (mirror, cache or pinned download) and verify its checksum."""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from lawfind.datasets._info import DatasetInfo
from lawfind.datasets._registry import info
from lawfind.exceptions import DataError

__all__ = ["DATA_DIR_ENV", "CACHE_DIR_ENV", "DOWNLOAD_TIMEOUT", "path", "cache_dir", "sha256_of"]

DATA_DIR_ENV = "LAWFIND_DATA_DIR"
CACHE_DIR_ENV = "LAWFIND_CACHE_DIR"
DOWNLOAD_TIMEOUT = 30.0
"""Seconds to wait for the download server before giving up."""

# (resolved path, size, mtime_ns) -> sha256: hash each unchanged file once per process
_VERIFIED: dict[tuple[str, int, int], str] = {}


def cache_dir() -> Path:
    """The download cache: ``$LAWFIND_CACHE_DIR``, or ``~/.cache/lawfind`` when it is unset or empty."""
    configured = os.environ.get(CACHE_DIR_ENV, "")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "lawfind"


def sha256_of(file: Path) -> str:
    """Hex SHA-256 of a file's bytes (memoised on path, size and modification time)."""
    stat = file.stat()
    key = (str(file.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _VERIFIED:
        digest = hashlib.sha256()
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _VERIFIED[key] = digest.hexdigest()
    return _VERIFIED[key]


def path(name: str) -> Path:
    """Return the local path of dataset ``name``'s file, downloading it if needed.

    The file is looked up, in this order:

    1. ``$LAWFIND_DATA_DIR/<folder>/<file>`` when ``LAWFIND_DATA_DIR`` is set (a local
       mirror).  A missing file there is an error: the mirror is never skipped silently.
    2. ``<cache>/<folder>/<file>`` (see :func:`cache_dir`).
    3. A download from the entry's pinned URL into the cache.

    Whatever the origin, the file's SHA-256 must equal the registered checksum.

    Parameters
    ----------
    name : str
        A registered dataset name.

    Returns
    -------
    Path
        The verified file.

    Raises
    ------
    ConfigError
        If ``name`` is not registered.
    DataError
        If the file is missing from the mirror, cannot be downloaded (for example
        offline), or its checksum differs from the registry's.
    """
    entry = info(name)
    mirror = os.environ.get(DATA_DIR_ENV, "")
    if mirror:
        candidate = Path(mirror).expanduser() / entry.folder / entry.file
        if not candidate.is_file():
            raise DataError(
                f"dataset {name!r}: {DATA_DIR_ENV} is set to {mirror!r} but {str(candidate)!r} does not "
                f"exist; the mirror must hold <folder>/<file> (here {entry.folder}/{entry.file}). Fix the "
                f"mirror, or unset {DATA_DIR_ENV} to use the cache {str(cache_dir())!r}"
            )
        _verify(candidate, entry, fix="the mirror copy differs from the registered file; restore it from the source")
        return candidate
    cached = cache_dir() / entry.folder / entry.file
    if cached.is_file():
        _verify(cached, entry, fix=f"delete {str(cached)!r} to download it again")
        return cached
    _download(entry, cached)
    return cached


def _verify(file: Path, entry: DatasetInfo, fix: str) -> None:
    actual = sha256_of(file)
    if actual != entry.sha256:
        raise DataError(
            f"checksum mismatch for dataset {entry.name!r} at {str(file)!r}: expected sha256 "
            f"{entry.sha256}, got {actual}; {fix}"
        )


def _offline_hint(entry: DatasetInfo) -> str:
    return (f"set {DATA_DIR_ENV} to a local mirror laid out as <folder>/<file> "
            f"(this dataset: {entry.folder}/{entry.file})")


def _download(entry: DatasetInfo, destination: Path) -> None:
    if entry.url is None:
        raise DataError(
            f"dataset {entry.name!r} is not available offline and has no download URL (the file was "
            f"derived: {entry.source}); {_offline_hint(entry)}"
        )
    try:
        with urllib.request.urlopen(entry.url, timeout=DOWNLOAD_TIMEOUT) as response:  # noqa: S310 (pinned https URL)
            payload = response.read()
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DataError(
            f"dataset {entry.name!r} is not available offline: downloading {entry.url} failed "
            f"({type(exc).__name__}: {reason}); {_offline_hint(entry)}"
        ) from None
    actual = hashlib.sha256(payload).hexdigest()
    if actual != entry.sha256:
        raise DataError(
            f"checksum mismatch for dataset {entry.name!r} downloaded from {entry.url}: expected sha256 "
            f"{entry.sha256}, got {actual}; nothing was saved (the source changed or the download was "
            f"corrupted); {_offline_hint(entry)}"
        )
    _write_bytes_atomic(destination, payload)


def _write_bytes_atomic(destination: Path, payload: bytes) -> None:
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part", dir=destination.parent)
    except OSError as exc:
        raise DataError(
            f"cannot write the dataset cache {str(destination.parent)!r}: {exc}; set {CACHE_DIR_ENV} to a "
            f"writable folder"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, destination)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DataError(f"cannot save the download to {str(destination)!r}: {exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
