"""Standalone Python source (NumPy only) of a law, with its metadata and intervals as constants."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from lawfind.law import Law
from lawfind.uncertainty import CoefficientIntervals

__all__ = ["python_module", "python_literal"]


def python_literal(value: Any) -> str:
    """Python source for JSON-like data (dicts, lists, str, numbers, None); non-finite floats included."""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({str(value)!r})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{python_literal(str(k))}: {python_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(python_literal(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) and len(value) == 1 else (
            f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if hasattr(value, "item"):
        return python_literal(value.item())
    raise TypeError(f"cannot write {type(value).__name__} as a Python literal")


def python_module(
    law: Law,
    intervals: CoefficientIntervals | None = None,
    *,
    units: Mapping[str, str] | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> str:
    """A Python module with ``predict(data)``: NumPy only, constants with all their digits.

    ``data`` is any mapping from column name to array (a DataFrame works).  The module
    reproduces :meth:`Law.predict` to rounding error; classification laws also get
    ``decision_function(data)``.  Module constants ``TARGET``, ``FEATURES``, ``UNITS``,
    ``CONSTANTS`` (with intervals) and ``PROVENANCE`` describe the law.

    Parameters
    ----------
    law : Law
    intervals : CoefficientIntervals, optional
    units : mapping of column name to unit, optional
    provenance : mapping, optional
        JSON-like facts about where the law comes from (data hash, engine, versions).

    Examples
    --------
    >>> law = Law.from_string("1.5*x0 + 2", {"x0": "T (K)"}, target="E")
    >>> namespace = {}
    >>> exec(python_module(law), namespace)
    >>> namespace["predict"]({"T (K)": [2.0]})
    array([5.])
    """
    if law.decision is None:
        source = law.python_source("predict")
    else:
        d = law.decision
        source = law.python_source("decision_function") + "\n".join([
            "",
            "",
            f"THRESHOLD = {python_literal(float(d.threshold))}",
            f"LABELS = ({python_literal(d.below)}, {python_literal(d.above)})",
            "",
            "",
            "def predict(data):",
            '    """Class labels: LABELS[1] where decision_function(data) > THRESHOLD, else LABELS[0]."""',
            "    return numpy.where(decision_function(data) > THRESHOLD, LABELS[1], LABELS[0])",
            "",
        ])
    used_units = {c: u for c, u in dict(units or {}).items() if c in {law.target, *law.features}}
    lines = [
        "",
        "",
        f"TARGET = {python_literal(law.target)}",
        f"FEATURES = {python_literal(tuple(law.features))}",
        f"UNITS = {python_literal(used_units)}",
    ]
    if intervals is not None and len(intervals.values):
        lines.append(f"#: The law's float constants c0, c1, ... with {intervals.describe()}")
        constants = {name: {"value": float(v), "lower": float(lo), "upper": float(hi)}
                     for name, v, lo, hi in zip(intervals.names, intervals.values, intervals.lower, intervals.upper)}
        lines.append(f"CONSTANTS = {python_literal(constants)}")
    if provenance:
        lines.append(f"PROVENANCE = {python_literal(dict(provenance))}")
    return source + "\n".join(lines) + "\n"
