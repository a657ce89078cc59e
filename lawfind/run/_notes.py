"""What a run's record says about how its front was made: the notes the CLI and the app show under it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["RunNote", "run_notes"]


@dataclass(frozen=True)
class RunNote:
    """One sentence about a run, and whether it calls for attention (``"warning"``) or not (``"info"``)."""

    text: str
    level: Literal["info", "warning"] = "info"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def run_notes(info: dict[str, Any], status: str) -> list[RunNote]:
    """The notes of a run's ``info`` record (as written by :func:`lawfind.discover`) and status.

    Covers what a units-aware search left out, the candidate laws kept off the front
    (aliased oscillations, worse than the mean, units filter) and an incomplete search
    (interrupted, or cut short by the time limit).

    Examples
    --------
    >>> [note.text for note in run_notes({"worse_than_the_mean": 2}, "completed")]
    ['2 candidate laws less accurate than the mean of the target (R² ≤ 0) left off the front']
    """
    info = info if isinstance(info, dict) else {}
    notes: list[RunNote] = []
    units = info.get("units") if isinstance(info.get("units"), dict) else {}
    if units.get("library_terms_left_out") or units.get("transforms_left_out"):
        transforms = units.get("transforms_left_out") or []
        notes.append(RunNote(f"units: the search left out {units.get('library_terms_left_out', 0)} library terms with "
                             "exp, sin or cos of a dimensional input"
                             + (f" and the target transforms {', '.join(transforms)}" if transforms else "")))
    candidates = units.get("candidates_left_out")
    if isinstance(candidates, dict) and candidates:
        notes.append(RunNote("units: candidate laws whose form depends on the units were left out: "
                             + ", ".join(f"{n} of {stage}" for stage, n in candidates.items())))
    aliased = info.get("aliased") if isinstance(info.get("aliased"), dict) else {}
    count = int(aliased.get("dropped", 0) or 0) + int(info.get("aliased_candidates", 0) or 0)
    if count:
        example = f", e.g. {aliased['examples'][0]}" if aliased.get("examples") else ""
        notes.append(RunNote(f"{_plural(count, 'candidate law')} with an aliased oscillation (a sine or cosine the "
                             f"data sample too coarsely to follow) left out{example}"))
    worse = info.get("worse_than_the_mean")
    if isinstance(worse, int) and worse:
        notes.append(RunNote(f"{_plural(worse, 'candidate law')} less accurate than the mean of the target (R² ≤ 0) "
                             "left off the front"))
    record = info.get("units_check")
    if isinstance(record, dict) and record.get("mode") == "filter" and record.get("inconsistent"):
        notes.append(RunNote(f"units: {record['inconsistent']} of {record['checked']} laws depend on the units of the "
                             "data and were kept off the front (--units-check keep shows them)"))
    if status == "interrupted":
        notes.append(RunNote("the search was interrupted: this is the best-so-far front", "warning"))
    elif info.get("time_limit_reached"):
        notes.append(RunNote("the time limit ended the search before it was complete (larger laws or other supports "
                             "were not tried): raise --time-limit for a complete search", "warning"))
    return notes
