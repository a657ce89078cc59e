"""The run store: a folder of run folders written by ``lawfind discover`` or the explorer."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

__all__ = ["DEFAULT_STORE", "list_runs", "new_run_path"]

#: Default run store, relative to the working directory (as ``lawfind discover``).
DEFAULT_STORE = "lawfind_runs"
_COLUMNS = ["run", "created", "status", "target", "engine", "source", "seconds", "path"]


def list_runs(store: str | os.PathLike[str]) -> pd.DataFrame:
    """Every run folder directly inside ``store``, newest first (unreadable folders are skipped).

    Only ``run.json`` is read (quickly); open a run with :meth:`lawfind.Run.load`.

    Returns
    -------
    DataFrame
        Columns ``run`` (folder name), ``created``, ``status``, ``target``, ``engine``,
        ``source``, ``seconds``, ``path``.
    """
    root = Path(store)
    rows = []
    if root.is_dir():
        for folder in root.iterdir():
            record_path = folder / "run.json"
            if folder.name.startswith((".", "_")) or not record_path.is_file() or not (folder / "laws.json").is_file():
                continue
            try:
                record = json.loads(record_path.read_text(encoding="utf-8"))
                data, config = record.get("data") or {}, record.get("config") or {}
                rows.append({
                    "run": folder.name,
                    "created": str(record.get("created", "")),
                    "status": str(record.get("status", "")),
                    "target": str(data.get("target", "")),
                    "engine": str((config.get("engine") or {}).get("name", "")),
                    "source": str(data.get("source", "")),
                    "seconds": float(record.get("seconds") or 0.0),
                    "path": str(folder),
                })
            except (OSError, ValueError, AttributeError, TypeError):
                continue
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return frame.sort_values(["created", "run"], ascending=False, ignore_index=True)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:40] or "data"


def new_run_path(store: str | os.PathLike[str], source: str, target: str) -> Path:
    """A new, unused folder name ``<store>/<data>-<target>-<time>`` for a run."""
    stem = source.split(":", 1)[1] if source.startswith("datasets:") else Path(source).stem
    base = f"{_slug(stem)}-{_slug(target)}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    path = Path(store) / base
    number = 1
    while path.exists():
        number += 1
        path = Path(store) / f"{base}-{number}"
    return path
