"""The law as SymPy source (``srepr``): a module that rebuilds the exact expression, no pickle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from lawfind.export._python import python_literal
from lawfind.law import Law
from lawfind.uncertainty import CoefficientIntervals

__all__ = ["sympy_module"]


def sympy_module(
    law: Law,
    intervals: CoefficientIntervals | None = None,
    *,
    units: Mapping[str, str] | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> str:
    """A Python module defining ``expression`` (SymPy, symbols named as the columns) and ``equation``.

    The expression is written with :func:`sympy.srepr`, so floats keep every digit and
    symbols keep their assumptions; ``expression == law.sympy()`` after loading.  When
    ``intervals`` are given, ``template`` holds the law with one symbol ``c0, c1, ...``
    per float constant and ``constants`` their values and bounds.

    Parameters
    ----------
    law : Law
    intervals : CoefficientIntervals, optional
    units : mapping of column name to unit, optional
    provenance : mapping, optional

    Examples
    --------
    >>> law = Law.from_string("3.25*x0 - 1", {"x0": "HV"}, target="UTS")
    >>> namespace = {}
    >>> exec(sympy_module(law), namespace)
    >>> namespace["expression"] == law.sympy()
    True
    """
    expression = law.sympy()
    target = sp.Symbol(law.target, real=True)
    header = f"SymPy form of a law found by lawfind: {law.target} = {law.equation(6)}"
    lines = [
        '"""' + header.replace("\\", "\\\\").replace('"""', "'''") + "",
        "",
        "Built from srepr text (no pickle): import or exec this file; it needs only SymPy.",
        '"""',
        "from sympy import *  # noqa: F401,F403 - the srepr text names SymPy classes",
        "",
        f"target = {sp.srepr(target)}",
        f"expression = {sp.srepr(expression)}",
        "equation = Eq(target, expression)",
        f"units = {python_literal({c: u for c, u in dict(units or {}).items() if c in {law.target, *law.features}})}",
    ]
    if law.decision is not None:
        d = law.decision
        lines += [f"threshold = {python_literal(float(d.threshold))}",
                  f"labels = ({python_literal(d.below)}, {python_literal(d.above)})  # (value <= threshold, > threshold)"]
    if intervals is not None and len(intervals.values):
        model = intervals.parametrized()
        names = {s: sp.Symbol(column, real=True) for s, column in zip(law.symbols, law.features)}
        constants = {p: sp.Symbol(name, real=True) for p, name in zip(model.parameters, intervals.names)}
        template = model.template.xreplace({**names, **constants})
        lines += [
            f"#: The law with one symbol per float constant; constants with {intervals.describe()}",
            f"template = {sp.srepr(template)}",
            "constants = " + python_literal({
                name: {"value": float(v), "lower": float(lo), "upper": float(hi)}
                for name, v, lo, hi in zip(intervals.names, intervals.values, intervals.lower, intervals.upper)
            }),
        ]
    if provenance:
        lines.append(f"provenance = {python_literal(dict(provenance))}")
    return "\n".join(lines) + "\n"
