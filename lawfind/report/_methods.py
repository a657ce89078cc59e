"""A methods paragraph written from what a run recorded (data, selection, engine, budget, versions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lawfind.export._names import unit_text
from lawfind.run import Run
from lawfind.uncertainty import CoefficientIntervals, StabilityResult

__all__ = ["methods_paragraph"]

_ENGINE_NAMES = {
    "operon": "genetic-programming symbolic regression (pyoperon)",
    "sparse": "sparse linear regression over a descriptor library",
}
_SKIPPED_OPTIONS = {"name"}


def _with_unit(name: str, units: Mapping[str, str]) -> str:
    unit = units.get(name)
    shown = unit_text(unit) if unit else ""
    return f"{name} [{shown}]" if shown else name


def _listing(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _engine_sentence(run: Run) -> str:
    engine = dict(run.config.get("engine") or {})
    name = str(engine.get("name", "unknown"))
    options = ", ".join(f"{k}={v}" for k, v in engine.items() if k not in _SKIPPED_OPTIONS)
    what = _ENGINE_NAMES.get(name, f"the {name} engine")
    budget = run.config.get("time_limit")
    seed = run.seed
    sentence = f"Laws were searched with {what} (engine {name!r}"
    sentence += f"; options {options})" if options else ")"
    sentence += f" with a time limit of {budget:g} s" if isinstance(budget, (int, float)) else ""
    sentence += f" and random seed {seed}" if seed is not None else ""
    status = "was interrupted (best-so-far front kept)" if run.status == "interrupted" else "completed"
    return sentence + f"; the search {status} in {run.seconds:.1f} s."


def _engine_facts(run: Run) -> str:
    info = run.info
    if "library_size" in info and "k_star" in info:
        criterion = info.get("criterion", "?")
        how = {"cv": "cross-validation with the selection rerun in every fold", "bic": "BIC", "aic": "AIC",
               "ebic": "extended BIC"}.get(criterion, criterion)
        return (f"Supports were selected by {str(info.get('method', '?')).replace('_', ' ')} over a library of "
                f"{info['library_size']} descriptors; the number of terms ({info['k_star']}) was chosen by {how}.")
    if "generations" in info:
        return (f"The search ran {info['generations']} generations with {info.get('restarts', 0)} restart(s) and "
                f"passed {info.get('candidates', '?')} candidate expressions to post-processing.")
    return ""


def _selection_sentence(run: Run) -> str:
    selection = run.info.get("selection", run.config.get("selection"))
    if not isinstance(selection, Mapping):
        return ""
    kept = selection.get("kept")
    method = selection.get("method", "a selection step")
    if isinstance(kept, Sequence) and not isinstance(kept, str):
        return f"Descriptors were first selected with {method}: {len(kept)} kept ({_listing([str(k) for k in kept])})."
    return f"Descriptors were first selected with {method}."


def _post_processing(run: Run) -> str:
    rule = run.config.get("rule") or {}
    snap = run.config.get("snap")
    text = ("Candidates were simplified and their constants refit by nonlinear least squares; "
            f"the law was picked from the Pareto front of complexity against error as the simplest law whose "
            f"error is within {100 * float(rule.get('rel_tol', 0.05)):g} % (plus {float(rule.get('abs_tol', 1e-8)):g}) "
            f"of the most accurate one")
    if snap:
        text += (f"; constants were snapped to simple rationals (denominator ≤ {snap.get('max_denominator')}) only "
                 f"when the NRMSE rose by less than {100 * float(snap.get('rel_tol', 0)):g} %")
    return text + "."


def methods_paragraph(
    run: Run,
    *,
    intervals: Sequence[CoefficientIntervals] = (),
    stability: StabilityResult | None = None,
) -> str:
    """A methods paragraph for a paper, from the run record.

    Parameters
    ----------
    run : Run
    intervals : sequence of CoefficientIntervals, default=()
        Mentioned with their method, level and resamples.
    stability : StabilityResult, optional
        Mentioned with its scheme, resamples and per-search budget.

    Returns
    -------
    str
        Plain text (Markdown-safe), one paragraph.
    """
    data: dict[str, Any] = run.data
    units = dict(data.get("units") or {})
    features = [str(f) for f in data.get("features", [])]
    dropped = int(data.get("dropped_rows", 0) or 0)
    parts = [
        f"The data ({data.get('source', 'unknown source')}; {data.get('n_rows', '?')} rows"
        + (f" after dropping {dropped} with missing values" if dropped else "")
        + f"; SHA-256 {str(data.get('hash', '?')).removeprefix('sha256:')}) give the target "
        f"{_with_unit(str(data.get('target', 'y')), units)} ({data.get('task', 'regression')}) and "
        f"{len(features)} feature(s): {_listing([_with_unit(f, units) for f in features])}.",
        _selection_sentence(run),
        _engine_sentence(run),
        _engine_facts(run),
        _post_processing(run),
    ]
    if intervals:
        others = "".join(f"; {item.describe()} are listed for comparison" for item in intervals[1:])
        parts.append(f"Constants are given with {intervals[0].describe()}, the law's structure held fixed{others}.")
    if stability is not None:
        kind = "bootstrap resamples" if stability.scheme == "bootstrap" else "cross-validation training folds"
        parts.append(f"Stability: the search was repeated on {stability.n_resamples} {kind} "
                     f"({stability.time_limit:g} s each, resampling seed {stability.seed}). {stability.summary()}")
    versions = ", ".join(f"{k} {v}" for k, v in run.versions.items() if v != "not installed")
    if versions:
        parts.append(f"Software: {versions}.")
    return " ".join(p for p in parts if p)
