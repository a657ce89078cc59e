"""The :class:`Run`: a folder with ``run.json`` (what was done) and ``laws.json`` (what was found)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from lawfind.exceptions import ExpressionError, RunError
from lawfind.run._atomic import replace_dir_atomic, umask_mode, write_json_atomic, write_text_atomic
from lawfind.search._front import ParetoFront

__all__ = ["Run", "RUN_SCHEMA", "LAWS_SCHEMA", "SELECTION_SCHEMA", "package_versions", "check_destination"]

RUN_SCHEMA = "lawfind.run/1"
LAWS_SCHEMA = "lawfind.laws/1"
#: ``selection.json``: a :class:`lawfind.features.Selection` record (runs made with ``select=``).
SELECTION_SCHEMA = "lawfind.selection/1"
_VERSIONED = ("lawfind", "numpy", "pandas", "scipy", "sympy", "scikit-learn", "pyoperon")


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape a result."""
    versions = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@dataclass
class Run:
    """A finished (or interrupted) search and everything needed to reproduce it.

    Attributes
    ----------
    front : ParetoFront
        The laws found; ``front.best`` is the picked one.
    data : dict
        The dataset description (source, target, features, rows, SHA-256 hash).
    config : dict
        Engine and options, time limit, seed, pick rule.
    status : {"completed", "interrupted"}
    seconds : float
        Wall time of the search and post-processing.
    info : dict
        Engine facts (generations, chosen term count...).
    versions : dict
        Python and package versions.
    created : str
        ISO-8601 UTC time.
    path : Path or None
        The folder, once saved or loaded.
    selection : dict or None
        The feature selection made before the search (``Selection.to_dict()``; rebuild it
        with :meth:`lawfind.features.Selection.from_dict`), or None.  Saved as
        ``selection.json`` with the report table in ``selection.csv``.
    """

    front: ParetoFront
    data: dict[str, Any]
    config: dict[str, Any]
    status: Literal["completed", "interrupted"] = "completed"
    seconds: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=package_versions)
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    path: Path | None = None
    selection: dict[str, Any] | None = None

    @property
    def best(self):
        """The picked law."""
        return self.front.best

    @property
    def seed(self) -> int | None:
        """The random seed of the search."""
        return self.config.get("seed")

    def run_record(self) -> dict[str, Any]:
        """The content of ``run.json``."""
        return {
            "schema": RUN_SCHEMA,
            "created": self.created,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "seed": self.seed,
            "config": self.config,
            "data": self.data,
            "info": self.info,
            "versions": self.versions,
        }

    # ----------------------------------------------------------------- saving
    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the run folder atomically: a reader sees the old folder or the new one.

        Raises
        ------
        RunError
            If ``path`` exists and ``overwrite`` is False, if it is a folder that is
            not a lawfind run (never replaced, to protect your files), or if the
            folder cannot be written (the old folder is then left as it was).
        """
        path = check_destination(path, overwrite)
        staging = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
            os.chmod(staging, umask_mode(0o777))
            write_json_atomic(staging / "run.json", self.run_record())
            write_json_atomic(staging / "laws.json", {"schema": LAWS_SCHEMA, "front": self.front.to_dict()})
            self.front.to_frame().to_csv(staging / "front.csv", index=False)
            if self.selection is not None:
                _write_selection(staging, self.selection)
            replace_dir_atomic(staging, path)
        except BaseException as exc:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise RunError(f"cannot write the run folder {str(path)!r}: {exc.strerror or exc}") from None
            raise
        self.path = path
        return path

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Run":
        """Read a run folder, checking both files and parsing every law safely."""
        path = Path(path)
        if path.is_file():
            raise RunError(f"{str(path)!r} is a file; give a run folder (written by 'lawfind discover --out')")
        if not path.is_dir():
            raise RunError(f"run folder {str(path)!r} does not exist")
        record = _read_json(path / "run.json", RUN_SCHEMA)
        laws = _read_json(path / "laws.json", LAWS_SCHEMA)
        where = str(path / "laws.json")
        try:
            front = ParetoFront.from_dict(laws["front"])
        except ExpressionError as exc:
            raise RunError(f"{where!r} holds an invalid law: {exc}") from None
        except (KeyError, TypeError, ValueError, RunError) as exc:
            raise RunError(f"{where!r} is not a valid lawfind laws file: {_reason(exc)}") from None
        if not front:
            raise RunError(f"{where!r} holds no law; rerun 'lawfind discover' to make a new run")
        selection = _read_json(path / "selection.json", SELECTION_SCHEMA) if (path / "selection.json").exists() else None
        return cls(front=front, path=path, selection=selection, **_record_fields(record, str(path / "run.json")))

    def summary(self, precision: int = 6) -> str:
        """A few lines for a terminal: data, status and the picked law."""
        law = self.best
        metrics = ", ".join(f"{k}={law.metrics[k]:.6g}" for k in ("r2", "rmse") if k in law.metrics)
        return (
            f"{self.data.get('target')} = {law.equation(precision)}\n"
            f"  complexity {law.complexity}; {metrics}; engine {self.config.get('engine', {}).get('name')}; "
            f"{self.status} in {self.seconds:.1f} s"
        )


def _probe_writable(path: Path, parent: Path) -> None:
    """Create and remove a scratch folder in ``parent``: permissions alone miss /proc, read-only mounts, root."""
    import tempfile

    try:
        scratch = tempfile.mkdtemp(prefix=".lawfind-probe-", dir=parent)
    except OSError as exc:
        raise RunError(f"cannot create the run folder {str(path)!r}: {str(parent)!r} is not writable "
                       f"({exc.strerror or exc}); choose another --out") from None
    os.rmdir(scratch)


def check_destination(path: str | os.PathLike[str], overwrite: bool) -> Path:
    """Check that a run folder can be written at ``path`` (done before any search).

    Raises
    ------
    RunError
        If ``path`` exists and ``overwrite`` is False; if it is a file or a folder that is
        not a lawfind run (never replaced, to protect your files); or if it cannot be created.
    """
    path = Path(path)
    try:
        if path.exists():
            if not path.is_dir():
                raise RunError(f"{str(path)!r} exists and is a file, not a run folder; choose another --out")
            if not overwrite:
                raise RunError(f"run folder {str(path)!r} already exists; choose another --out or pass --overwrite")
            if any(path.iterdir()) and not (path / "run.json").exists():
                raise RunError(
                    f"{str(path)!r} is a non-empty folder without run.json; lawfind only overwrites its own run "
                    f"folders, choose another --out"
                )
        parent = path.absolute().parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise RunError(f"cannot create the run folder {str(path)!r}: {str(parent)!r} is a file, not a folder")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise RunError(f"cannot create the run folder {str(path)!r}: no permission to write in {str(parent)!r}")
        _probe_writable(path, parent)
    except OSError as exc:
        raise RunError(f"cannot use the run folder {str(path)!r}: {exc.strerror or exc}") from None
    return path


def _write_selection(folder: Path, selection: dict[str, Any]) -> None:
    """``selection.json`` (the whole record) and ``selection.csv`` (its report table)."""
    import pandas as pd

    write_json_atomic(folder / "selection.json", selection)
    write_text_atomic(folder / "selection.csv", pd.DataFrame(selection.get("report", [])).to_csv(index=False))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]!r} is missing"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _record_fields(record: dict[str, Any], where: str) -> dict[str, Any]:
    """The Run fields stored in ``run.json``, type-checked (a damaged record raises RunError)."""
    for key in ("config", "data"):
        if not isinstance(record.get(key), dict):
            raise RunError(f"{where!r} lacks the {key!r} section; is it a lawfind run?")
    status = record.get("status", "completed")
    if status not in ("completed", "interrupted"):
        raise RunError(f"{where!r} has an unknown status {status!r}; expected 'completed' or 'interrupted'")
    for key in ("info", "versions"):
        if not isinstance(record.get(key) or {}, dict):
            raise RunError(f"{where!r} has a damaged {key!r} section (expected an object)")
    seconds = record.get("seconds", 0.0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise RunError(f"{where!r} has a damaged 'seconds' field {seconds!r} (expected a number)")
    return {
        "data": record["data"],
        "config": record["config"],
        "status": status,
        "seconds": float(seconds),
        "info": dict(record.get("info") or {}),
        "versions": dict(record.get("versions") or {}),
        "created": str(record.get("created", "")),
    }


def _read_json(path: Path, schema: str) -> dict[str, Any]:
    if not path.is_file():
        raise RunError(f"{str(path)!r} is missing; is {str(path.parent)!r} a lawfind run folder?")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        reason = "nested too deeply" if isinstance(exc, RecursionError) else _reason(exc)
        raise RunError(f"{str(path)!r} is corrupt (not valid JSON: {reason})") from None
    except OSError as exc:
        raise RunError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    if not isinstance(data, dict):
        kind = {list: "array", str: "string", bool: "boolean"}.get(type(data), "number" if data is not None else "null")
        raise RunError(f"{str(path)!r} is not a lawfind file: it holds a JSON {kind}, expected an object with "
                       f"schema {schema!r}")
    found = data.get("schema")
    if found != schema:
        family = schema.split("/")[0] + "/"
        if isinstance(found, str) and found.startswith(family):
            raise RunError(f"{str(path)!r} has schema {found!r}, written by a newer lawfind (this one reads "
                           f"{schema!r}); upgrade lawfind to read it")
        raise RunError(f"{str(path)!r} is not a lawfind file: schema {found!r}, expected {schema!r}")
    return data
