"""Benchmark rows (one per equation × method × noise × seed), their CSV file and summaries."""

from __future__ import annotations

import csv
import io
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lawfind.exceptions import DataError
from lawfind.run._atomic import write_text_atomic

__all__ = ["COLUMNS", "write_rows", "read_rows", "MethodSummary", "summarize", "format_summary", "row_key",
           "ACCURATE_R2"]

#: Columns of the results CSV, in order.
COLUMNS = ("name", "formula", "method", "engine", "noise", "seed", "time_limit", "seconds", "expression",
           "exact", "match", "exact_positive", "r2_test", "size", "note", "error")
#: The columns before ``exact_positive`` was added (still read, for ``--resume``).
_LEGACY_COLUMNS = tuple(c for c in COLUMNS if c != "exact_positive")

#: The "accuracy solution" threshold of SRBench's ground-truth track.
ACCURATE_R2 = 0.999


def row_key(row: Mapping[str, Any]) -> tuple[str, str, float, int]:
    """``(name, method, noise, seed)``: what identifies a row (for resuming)."""
    return str(row["name"]), str(row["method"]), float(row["noise"]), int(row["seed"])


def _cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def write_rows(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write all rows to ``path`` atomically (a reader never sees a half-written file)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c, "")) for c in COLUMNS})
    write_text_atomic(Path(path), buffer.getvalue())


def _parse(row: dict[str, str], line: int, path: Path) -> dict[str, Any]:
    try:
        out: dict[str, Any] = dict(row)
        out["noise"] = float(row["noise"])
        out["seed"] = int(row["seed"])
        out["time_limit"] = float(row["time_limit"])
        out["seconds"] = float(row["seconds"]) if row["seconds"] else math.nan
        out["exact"] = row["exact"] == "True"
        out["exact_positive"] = row.get("exact_positive", "") == "True"
        out["r2_test"] = float(row["r2_test"]) if row["r2_test"] else math.nan
        out["size"] = int(row["size"]) if row["size"] else None
    except (KeyError, ValueError, TypeError) as exc:
        raise DataError(f"{str(path)!r}, line {line}: not a benchmark row ({exc}); "
                        f"remove the file or choose another --out") from None
    return out


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Read a results CSV written by :func:`write_rows`."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) not in (COLUMNS, _LEGACY_COLUMNS):
            raise DataError(f"{str(path)!r} is not a Feynman benchmark CSV (columns {reader.fieldnames}); "
                            f"remove it or choose another --out")
        return [_parse(row, line, Path(path)) for line, row in enumerate(reader, start=2)]


@dataclass(frozen=True)
class MethodSummary:
    """Totals of one method (and engine) at one noise level.

    Attributes
    ----------
    method, engine : str
    noise : float
    total : int
        Rows (equations × seeds).
    solved : int
        Exact symbolic solutions (SRBench's rule).
    solved_positive : int
        Exact solutions by the same rule over positive symbols (SRBench 2.0).
    accurate : int
        Test R² above :data:`ACCURATE_R2` (0.999).
    failed : int
        Rows with an error (no model).
    median_size, median_seconds, median_r2 : float
    """

    method: str
    engine: str
    noise: float
    total: int
    solved: int
    solved_positive: int
    accurate: int
    failed: int
    median_size: float
    median_seconds: float
    median_r2: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in asdict(self).items()}


def _median(values: Iterable[float | None]) -> float:
    kept = [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(kept) if kept else math.nan


def summarize(rows: Sequence[Mapping[str, Any]]) -> list[MethodSummary]:
    """One summary per (method, engine, noise), in the order they first appear."""
    groups: dict[tuple[str, str, float], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault((str(row["method"]), str(row["engine"]), float(row["noise"])), []).append(row)
    out = []
    for (method, engine, noise), group in groups.items():
        out.append(MethodSummary(
            method, engine, noise, len(group),
            solved=sum(bool(r["exact"]) for r in group),
            solved_positive=sum(bool(r.get("exact_positive")) for r in group),
            accurate=sum(1 for r in group if isinstance(r["r2_test"], float) and r["r2_test"] > ACCURATE_R2),
            failed=sum(1 for r in group if r.get("error")),
            median_size=_median(r.get("size") for r in group),
            median_seconds=_median(r.get("seconds") for r in group),
            median_r2=_median(r.get("r2_test") for r in group),
        ))
    return out


def format_summary(summary: MethodSummary) -> str:
    """One line per method, e.g.

    ``lawfind [operon] noise 0: solved 7/20 (positive symbols 8) · R²>0.999 15/20 · median size 9 · median 31.2 s``
    """
    label = summary.method if summary.method != "lawfind" else f"lawfind [{summary.engine}]"
    size = "—" if math.isnan(summary.median_size) else f"{summary.median_size:g}"
    seconds = "—" if math.isnan(summary.median_seconds) else f"{summary.median_seconds:.1f} s"
    failed = f" · {summary.failed} failed" if summary.failed else ""
    return (f"{label} noise {summary.noise:g}: solved {summary.solved}/{summary.total} "
            f"(positive symbols {summary.solved_positive}) · "
            f"R²>{ACCURATE_R2:g} {summary.accurate}/{summary.total} · median size {size} · "
            f"median time {seconds}{failed}")
