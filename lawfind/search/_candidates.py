"""Turn an engine's raw candidate expressions into finished, scored laws."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import sympy as sp

from lawfind._progress import ProgressCallback, no_progress
from lawfind.law import Law, SnapTolerance, finalize_expression, regression_metrics
from lawfind.law._units import units_consistency

__all__ = ["laws_from_expressions"]


def laws_from_expressions(
    expressions: Sequence[sp.Expr],
    X: np.ndarray,
    y: np.ndarray,
    variables: Mapping[str, str],
    *,
    target: str,
    origin: str,
    snap: SnapTolerance | None = SnapTolerance(),
    units: Mapping[str, str] | None = None,
    progress: ProgressCallback = no_progress,
) -> list[Law]:
    """Post-process candidates (simplify, snap, refit) and score them on ``(X, y)``.

    Candidates that do not evaluate to finite values, or that refer to columns outside
    ``variables``, are skipped; identical results are merged.

    Parameters
    ----------
    expressions : sequence of sympy.Expr
        Raw engine output over ``x0``, ``x1``...
    X, y : ndarray
        Training data (column ``i`` of ``X`` is ``x{i}``).
    variables : mapping of str to str
        Internal name -> column name for every column of ``X``.
    target, origin : str
        Recorded on each law.
    snap : SnapTolerance or None, default=SnapTolerance()
        Constant snapping tolerance; None switches snapping off (simplify and refit only).
    units : mapping of column name to unit, optional
        The data's units: a constant is not snapped where that would make a law's form
        depend on them (a fitted prefactor 1.0 of a dimensional target stays a fitted 1.0).
    """
    keep = units_consistency(variables, target, units)
    laws: list[Law] = []
    seen: set[sp.Expr] = set()
    for position, raw in enumerate(expressions):
        progress(position / max(len(expressions), 1), f"polishing {position + 1}/{len(expressions)}")
        if not raw.free_symbols <= {sp.Symbol(name, real=True) for name in variables}:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if snap is None:
                from lawfind.law import refit_constants, simplify_expression

                expr = refit_constants(simplify_expression(raw), X, y)
            else:
                expr = finalize_expression(raw, X, y, snap, keep)
        if expr in seen or expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan, sp.I):
            continue
        seen.add(expr)
        used = {s.name: variables[s.name] for s in expr.free_symbols}
        law = Law(expr, used, target=target, origin=origin)
        prediction = law.predict(X)
        metrics = regression_metrics(y, prediction)
        if not np.isfinite(metrics["nrmse"]):
            continue
        laws.append(law.with_metrics(metrics))
    progress(1.0, f"{len(laws)} law(s)")
    return laws
