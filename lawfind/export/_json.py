"""A law as one JSON document with a versioned schema (``lawfind.export/1``), and reading it back."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from lawfind.exceptions import ExpressionError
from lawfind.export._names import latex_symbols
from lawfind.export._uncertain import law_latex, law_text
from lawfind.law import Law
from lawfind.run import Run
from lawfind.uncertainty import CoefficientIntervals

__all__ = ["EXPORT_SCHEMA", "law_document", "read_law_document", "run_provenance"]

EXPORT_SCHEMA = "lawfind.export/1"


def run_provenance(run: Run, law_index: int | None = None) -> dict[str, Any]:
    """Where a law comes from: data source and hash, engine, budget, seed, versions."""
    return {
        "run": str(run.path) if run.path else None,
        "law_index": law_index,
        "picked": law_index == run.front.best_index if law_index is not None else None,
        "data_source": run.data.get("source"),
        "data_hash": run.data.get("hash"),
        "n_rows": run.data.get("n_rows"),
        "engine": (run.config.get("engine") or {}).get("name"),
        "time_limit": run.config.get("time_limit"),
        "seed": run.seed,
        "created": run.created,
        "lawfind": run.versions.get("lawfind"),
    }


def law_document(
    law: Law,
    *,
    intervals: Sequence[CoefficientIntervals] = (),
    units: Mapping[str, str] | None = None,
    symbol_names: Mapping[str, str] | None = None,
    run: Run | None = None,
    law_index: int | None = None,
) -> dict[str, Any]:
    """A JSON-ready document for ``law``.

    Keys: ``schema`` (``"lawfind.export/1"``), ``law`` (:meth:`Law.to_dict`, schema
    ``lawfind.law/1``), ``text`` and ``latex`` (with the first intervals' ``±``),
    ``units``, ``intervals`` (one entry per method), ``units_check``
    (:meth:`Law.check_units`, when a column of the law has a unit), and with a run ``run``
    (the provenance) and ``data`` (source, columns, rows, hash).

    Parameters
    ----------
    law : Law
    intervals : sequence of CoefficientIntervals, default=()
    units : mapping of column name to unit, optional
    symbol_names : mapping of column name to LaTeX, optional
    run : Run, optional
    law_index : int, optional
        Position of ``law`` on the run's front.
    """
    first = intervals[0] if intervals else None
    names = latex_symbols([*law.features, law.target], symbol_names)
    document: dict[str, Any] = {
        "schema": EXPORT_SCHEMA,
        "target": law.target,
        "law": law.to_dict(),
        "text": f"{law.target} = {law_text(law, first)}",
        "latex": f"{names[law.target]} = {law_latex(law, first, symbol_names=names)}",
        "units": {c: u for c, u in dict(units or {}).items() if c in {law.target, *law.features}},
        "intervals": [item.to_dict() for item in intervals],
    }
    check = law.check_units(units)
    if check.status != "unchecked":
        document["units_check"] = check.to_dict()
    if run is not None:
        document["run"] = run_provenance(run, law_index)
        document["data"] = dict(run.data)
    return document


def read_law_document(document: str | Mapping[str, Any]) -> tuple[Law, tuple[CoefficientIntervals, ...]]:
    """The law (identical to the exported one) and its intervals from a :func:`law_document`.

    Parameters
    ----------
    document : str or mapping
        JSON text or the parsed object.

    Raises
    ------
    ExpressionError
        If the document is not a ``lawfind.export/1`` document or holds an invalid law.
    """
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise ExpressionError(f"the law document is not valid JSON: {exc}") from None
    if not isinstance(document, Mapping) or document.get("schema") != EXPORT_SCHEMA:
        found = document.get("schema") if isinstance(document, Mapping) else type(document).__name__
        raise ExpressionError(f"not a lawfind law document: schema {found!r}, expected {EXPORT_SCHEMA!r}")
    law = Law.from_dict(document.get("law"))
    raw = document.get("intervals") or []
    if not isinstance(raw, list):
        raise ExpressionError("the document's 'intervals' must be a list")
    return law, tuple(CoefficientIntervals.from_dict(item, law) for item in raw)
