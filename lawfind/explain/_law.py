"""SHAP values of a law: exact per-term attributions when it is additive, shap's explainers otherwise.

For a law ``f(x) = c + Σ_j g_j(x_j)`` (each term depends on one feature), interventional
SHAP values have a closed form: ``φ_j(x) = g_j(x_j) − mean_b g_j(b_j)`` over the
background rows ``b``; the base value is ``mean_b f(b)``.  Any other law goes through
``shap.explainers.Exact`` (or ``Permutation``) with the same ``shap.maskers.Independent``
background as the black box, over the law's own features only: a feature a law does not
use gets exactly zero (Shapley's dummy axiom), and leaving it out changes nothing else.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import sympy as sp

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError, DataError
from lawfind.explain._result import Explanation, additivity_error
from lawfind.explain._shap import EXACT_MAX_FEATURES, as_matrix, import_shap, masker, run_in_chunks, tolerance
from lawfind.law import Law
from lawfind.law._printing import ExactNumPyPrinter

__all__ = ["explain_law", "additive_terms", "law_partial_dependence", "law_explained_output", "LawAlgorithm"]

LawAlgorithm = Literal["auto", "additive", "exact", "permutation"]
_ALGORITHMS = ("auto", "additive", "exact", "permutation")


def additive_terms(law: Law) -> dict[str, sp.Expr] | None:
    """The law's value split into one term per feature, or None when it is not additive.

    Returns
    -------
    dict of str to sympy.Expr or None
        Column name -> the sum of the law's terms that depend on that column alone (over
        internal symbols); key ``""`` holds the constant.  None when a term mixes
        features (e.g. ``x0*x1`` or ``x0/x1``), even after expanding products of sums.
    """
    expr = law.expression
    for candidate in (expr, sp.expand(expr, power_exp=False, log=False, multinomial=False)):
        groups: dict[str, sp.Expr] = {"": sp.Integer(0)}
        for term in sp.Add.make_args(candidate):
            symbols = term.free_symbols
            if len(symbols) > 1:
                break
            key = law.variables[next(iter(symbols)).name] if symbols else ""
            groups[key] = groups.get(key, sp.Integer(0)) + term
        else:
            return groups
    return None


def _compile(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable[[np.ndarray], np.ndarray]:
    """``f(matrix)`` evaluating ``expr`` with column ``i`` of ``matrix`` as ``symbols[i]``."""
    func = sp.lambdify(list(symbols), expr, modules="numpy", printer=ExactNumPyPrinter)

    def evaluate(matrix: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = func(*matrix.T)
        return np.broadcast_to(np.asarray(value, dtype=float), (len(matrix),)).copy()

    return evaluate


def _positions(law: Law, names: tuple[str, ...], from_frame: bool) -> list[int]:
    if from_frame:
        missing = [f for f in law.features if f not in names]
        if missing:
            raise DataError(f"the data lack the column(s) {missing} that the law {law.equation(6)!r} needs; "
                            f"columns: {list(names)[:30]}")
        return [names.index(f) for f in law.features]
    positions = [int(k[1:]) for k in law.variables]
    if positions and max(positions) >= len(names):
        raise DataError(f"the law uses feature column {max(positions)} but the array has {len(names)} columns")
    return positions


def law_explained_output(law: Law) -> str:
    """What a law's SHAP values explain: its prediction, or a classifier's decision score."""
    if law.decision is None:
        return "prediction"
    d = law.decision
    return f"law value (class {d.above!r} when > {d.threshold:.6g}, else {d.below!r})"


def _not_finite(law: Law) -> DataError:
    return DataError(
        f"the law {law.equation(6)!r} is not finite on some combinations of explained and background values "
        f"(interventional SHAP evaluates it on feature values taken from different rows); choose a background "
        f"inside the law's domain, or explain another law")


def explain_law(
    law: Law,
    X: Any,
    background: Any,
    *,
    algorithm: LawAlgorithm = "auto",
    max_evals: int = 500,
    seed: int = 0,
    name: str = "law",
    progress: ProgressCallback | None = None,
) -> Explanation:
    """Interventional SHAP values of a law, on the same footing as :func:`explain_model`.

    Parameters
    ----------
    law : Law
        A regression law, or a classification law (its value before the threshold,
        :meth:`Law.decision_function`, is explained).
    X : DataFrame or 2-D array
        The rows to explain, with every feature to report (the law's columns are looked
        up by name in a DataFrame, by index ``x{i}`` in an array).  Features the law does
        not use get SHAP values of exactly 0.
    background : DataFrame or 2-D array
        The reference rows: pass the black box's background.
    algorithm : {"auto", "additive", "exact", "permutation"}, default="auto"
        ``auto``: ``additive`` (closed form, exact) when every term of the law depends on
        one feature, else shap's ``Exact`` explainer over the law's features (``Permutation``
        above 10 of them), with ``shap.maskers.Independent(background)``.
    max_evals : int, default=500
        Evaluations per row for the permutation explainer.
    seed : int, default=0
    name : str, default="law"
    progress : callable, optional

    Returns
    -------
    Explanation

    Examples
    --------
    >>> import pandas as pd
    >>> from lawfind import Law
    >>> law = Law.from_string("2*x0 + x1**2", {"x0": "a", "x1": "b"})
    >>> frame = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, 2.0, 3.0], "c": [5.0, 5.0, 5.0]})
    >>> e = explain_law(law, frame, frame)
    >>> e.method, e.values[2].round(3).tolist(), round(float(e.base_values[0]), 3)
    ('additive', [2.0, 4.333, 0.0], 6.667)
    """
    if algorithm not in _ALGORITHMS:
        raise ConfigError(f"algorithm must be one of {list(_ALGORITHMS)}, got {algorithm!r}")
    matrix, names, index = as_matrix(X)
    bg, bg_names, _ = as_matrix(background, what="background")
    if bg.shape[1] != matrix.shape[1] or (isinstance(X, pd.DataFrame) and isinstance(background, pd.DataFrame)
                                          and bg_names != names):
        raise ConfigError(f"the background's columns {list(bg_names)} differ from X's {list(names)}")
    positions = _positions(law, names, isinstance(X, pd.DataFrame))
    full = _compile(law.expression, law.symbols)
    output = full(matrix[:, positions])
    if not np.all(np.isfinite(output)):
        bad = int(np.count_nonzero(~np.isfinite(output)))
        raise DataError(f"the law {law.equation(6)!r} is not finite on {bad} of the {len(output)} rows to explain; "
                        f"drop those rows first")
    terms = additive_terms(law)
    if algorithm == "additive" and terms is None:
        raise ConfigError(f"the law {law.equation(6)!r} is not additive (a term mixes features); use "
                          f"algorithm='exact' or 'auto'")
    method = ("additive" if terms is not None else
              "exact" if len(positions) <= EXACT_MAX_FEATURES else "permutation") if algorithm == "auto" else algorithm
    used = np.zeros((len(matrix), len(positions)))
    if method == "additive":
        columns = {f: positions[i] for i, f in enumerate(law.features)} if isinstance(X, pd.DataFrame) else \
            {col: int(key[1:]) for key, col in law.variables.items()}

        def explain(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            out = np.zeros((len(rows), len(positions)))
            base = float(terms[""])
            for i, feature in enumerate(law.features):
                column = columns[feature]
                term = _compile(terms[feature], [sp.Symbol(k, real=True) for k, v in law.variables.items()
                                                  if v == feature][:1])
                at_rows, at_bg = term(rows[:, [column]]), term(bg[:, [column]])
                if not np.all(np.isfinite(at_bg)):
                    raise _not_finite(law)
                out[:, i] = at_rows - at_bg.mean()
                base += float(at_bg.mean())
            return out, np.full(len(rows), base)
    else:
        shap = import_shap()
        if method == "exact":
            explainer = shap.explainers.Exact(full, masker(bg[:, positions]))
            options: dict[str, Any] = {}
        else:
            explainer = shap.explainers.Permutation(full, masker(bg[:, positions]), seed=seed)
            options = {"max_evals": max(int(max_evals), 2 * len(positions) + 2)}

        def explain(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = explainer(rows[:, positions], silent=True, **options)
            return result.values, result.base_values

    if positions:
        used, base, seconds = run_in_chunks(explain, matrix, progress=progress, label="SHAP of the law",
                                            chunk=len(matrix) if method == "additive" else 128)
    else:  # a constant law
        base, seconds = output.copy(), 0.0
    if not (np.all(np.isfinite(used)) and np.all(np.isfinite(base))):
        raise _not_finite(law)
    values = np.zeros_like(matrix)
    values[:, positions] = used
    ignored = [n for j, n in enumerate(names) if j not in positions]
    notes = (f"the law does not use {ignored}: their SHAP values are 0 (dummy features)",) if ignored else ()
    return Explanation(values, base, matrix, names, output, name, law_explained_output(law), method, len(bg),
                       max_additivity_error=additivity_error(values, base, output), tolerance=tolerance(output),
                       seconds=seconds, index=index, notes=notes,
                       threshold=None if law.decision is None else float(law.decision.threshold))


def law_partial_dependence(law: Law, background: Any, feature: str, grid: Any = None, *,
                           points: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """The law's centred partial dependence on ``feature`` over the background.

    ``PD(v) = mean_b f(b with feature = v) − mean_b f(b)``: for an additive law this is
    exactly the curve its SHAP values of ``feature`` lie on, so it can be drawn over a
    black box's SHAP dependence plot on the same scale.

    Parameters
    ----------
    law : Law
    background : DataFrame
        Background rows with the law's columns.
    feature : str
        A column the law uses (a feature it ignores has PD 0 everywhere).
    grid : array-like, optional
        Values of ``feature``; ``points`` values spanning the background by default.
    points : int, default=50

    Returns
    -------
    grid, pd : ndarray
        ``pd`` is NaN where the law is not finite.
    """
    if not isinstance(background, pd.DataFrame):
        raise DataError("law_partial_dependence needs the background as a DataFrame with named columns")
    if feature not in background.columns:
        raise DataError(f"no column {feature!r} in the background; columns: {[str(c) for c in background.columns]}")
    column = background[feature].to_numpy(dtype=float)
    grid = np.linspace(column.min(), column.max(), points) if grid is None else np.asarray(grid, dtype=float)
    if feature not in law.features:
        return grid, np.zeros(len(grid))
    _positions(law, tuple(str(c) for c in background.columns), True)
    full = _compile(law.expression, law.symbols)
    bg = background[law.features].to_numpy(dtype=float)
    j = law.features.index(feature)
    stacked = np.repeat(bg[None, :, :], len(grid), axis=0)
    stacked[:, :, j] = grid[:, None]
    values = full(stacked.reshape(-1, bg.shape[1])).reshape(len(grid), len(bg))
    with np.errstate(all="ignore"):
        centred = values.mean(axis=1) - full(bg).mean()
    return grid, np.where(np.isfinite(centred), centred, np.nan)
