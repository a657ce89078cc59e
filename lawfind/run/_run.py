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
from lawfind.run._atomic import replace_dir_atomic, write_json_atomic
from lawfind.search._front import ParetoFront

__all__ = ["Run", "RUN_SCHEMA", "LAWS_SCHEMA", "package_versions"]

RUN_SCHEMA = "lawfind.run/1"
LAWS_SCHEMA = "lawfind.laws/1"
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
            If ``path`` exists and ``overwrite`` is False, or if it is a folder that is
            not a lawfind run (never replaced, to protect your files).
        """
        path = Path(path)
        if path.exists():
            if not overwrite:
                raise RunError(f"run folder {str(path)!r} already exists; choose another --out or pass --overwrite")
            if not path.is_dir():
                raise RunError(f"{str(path)!r} exists and is a file, not a run folder; choose another --out")
            if any(path.iterdir()) and not (path / "run.json").exists():
                raise RunError(
                    f"{str(path)!r} is a non-empty folder without run.json; lawfind only overwrites its own run "
                    f"folders, choose another --out"
                )
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
        try:
            write_json_atomic(staging / "run.json", self.run_record())
            write_json_atomic(staging / "laws.json", {"schema": LAWS_SCHEMA, "front": self.front.to_dict()})
            self.front.to_frame().to_csv(staging / "front.csv", index=False)
            replace_dir_atomic(staging, path)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.path = path
        return path

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Run":
        """Read a run folder, checking both files and parsing every law safely."""
        path = Path(path)
        if not path.is_dir():
            raise RunError(f"run folder {str(path)!r} does not exist (or is not a folder)")
        record = _read_json(path / "run.json", RUN_SCHEMA)
        laws = _read_json(path / "laws.json", LAWS_SCHEMA)
        try:
            front = ParetoFront.from_dict(laws["front"])
        except ExpressionError as exc:
            raise RunError(f"{path / 'laws.json'} holds an invalid law: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise RunError(f"{path / 'laws.json'} is not a lawfind laws file: {exc}") from None
        for key in ("config", "data"):
            if not isinstance(record.get(key), dict):
                raise RunError(f"{path / 'run.json'} lacks the {key!r} section; is it a lawfind run?")
        status = record.get("status", "completed")
        if status not in ("completed", "interrupted"):
            raise RunError(f"{path / 'run.json'} has an unknown status {status!r}")
        return cls(
            front=front,
            data=record["data"],
            config=record["config"],
            status=status,
            seconds=float(record.get("seconds", 0.0)),
            info=dict(record.get("info") or {}),
            versions=dict(record.get("versions") or {}),
            created=str(record.get("created", "")),
            path=path,
        )

    def summary(self, precision: int = 6) -> str:
        """A few lines for a terminal: data, status and the picked law."""
        law = self.best
        metrics = ", ".join(f"{k}={law.metrics[k]:.6g}" for k in ("r2", "rmse") if k in law.metrics)
        return (
            f"{self.data.get('target')} = {law.equation(precision)}\n"
            f"  complexity {law.complexity}; {metrics}; engine {self.config.get('engine', {}).get('name')}; "
            f"{self.status} in {self.seconds:.1f} s"
        )


def _read_json(path: Path, schema: str) -> dict[str, Any]:
    if not path.is_file():
        raise RunError(f"{str(path)!r} is missing; is {str(path.parent)!r} a lawfind run folder?")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunError(f"{str(path)!r} is corrupt (not valid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise RunError(f"{str(path)!r} is not a lawfind file: schema {found!r}, expected {schema!r}")
    return data
