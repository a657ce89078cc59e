"""``discover``: data in, a saved :class:`~lawfind.run.Run` out — the one-call API."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lawfind._checks import check_seed
from lawfind._progress import ProgressCallback, no_progress
from lawfind.data import Dataset, Task
from lawfind.exceptions import ConfigError, LawfindError, SearchError
from lawfind.law import Law, SnapTolerance, regression_metrics
from lawfind.law._units_filter import check_units_mode, filter_by_units
from lawfind.run import Run
from lawfind.run._run import check_destination
from lawfind.search._admissible import drop_aliased_laws, drop_laws_worse_than_the_mean
from lawfind.search._classify import classification_laws
from lawfind.search import Engine, ParetoFront, PickRule, laws_from_expressions, make_engine

__all__ = ["discover", "check_search_options", "AUTO_ENGINES"]

#: The engine ``discover(engine="auto")`` (the default) runs for each task.
AUTO_ENGINES: dict[str, str] = {"regression": "portfolio", "classification": "sisso"}


def check_search_options(time_limit: float, seed: int) -> None:
    """Raise :class:`ConfigError` for a bad time limit or seed (before any work is done)."""
    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float, np.integer, np.floating)):
        raise ConfigError(f"time_limit must be a number of seconds (CLI: --time-limit), got {time_limit!r}")
    if not np.isfinite(time_limit) or time_limit <= 0:
        raise ConfigError(f"time_limit must be a positive number of seconds (CLI: --time-limit), got {time_limit!r}")
    check_seed(seed)


def discover(
    data: Dataset | pd.DataFrame | str | os.PathLike[str],
    target: str | None = None,
    features: Sequence[str] | None = None,
    *,
    engine: str | Engine = "auto",
    time_limit: float = 30.0,
    seed: int = 0,
    rule: PickRule | None = None,
    snap: SnapTolerance | None = SnapTolerance(),
    dropna: bool = False,
    task: Task | None = None,
    units: Mapping[str, str] | None = None,
    units_check: str = "keep",
    composition: Any = None,
    select: str | Sequence[str] = "none",
    out: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    progress: ProgressCallback = no_progress,
    **engine_options: Any,
) -> Run:
    """Find closed-form laws ``target = f(features)`` and return them as a Run.

    Parameters
    ----------
    data : Dataset, DataFrame, path to a CSV file, or ``"datasets:NAME"``
        ``"datasets:NAME"`` loads a built-in dataset (see ``lawfind datasets list``).
    target : str, optional
        Column to explain; required unless ``data`` is a :class:`Dataset` or a built-in
        dataset (which has a default target).
    features : sequence of str, optional
        Feature columns; every other column by default.
    engine : str or Engine, default="auto"
        ``"auto"`` (the portfolio for regression, sisso for classification: see
        :data:`AUTO_ENGINES`; takes no engine options), ``"portfolio"`` (power laws,
        target transforms, monomial sums, sparse, sisso and
        operon runs in one budget; see ``docs/engines.md``), ``"operon"`` (symbolic
        regression alone), ``"sparse"`` (sparse linear laws), ``"sisso"`` or an
        :class:`~lawfind.search.Engine` instance.
    time_limit : float, default=30.0
        Seconds for the engine's search. Polishing its candidates (simplify, refit, snap the
        constants; about 0.3 s per candidate) comes on top: ``run.info`` records both times
        (``search_seconds``, ``polish_seconds``).
    seed : int, default=0
    rule : PickRule, optional
        How the law is picked from the Pareto front (:class:`PickRule` by default).
    snap : SnapTolerance or None, default=SnapTolerance()
        Constant snapping; None to keep fitted constants as they are.
    dropna : bool, default=False
        Drop rows with missing values instead of refusing them.
    task : {"regression", "classification"}, optional
        Regression by default (built-in datasets: their registered task).
    units : mapping of column to unit, optional
        pint units of some columns, used by units-aware engines (``sisso``) and by the
        units check of every law (columns without a unit count as dimensionless).
    units_check : {"keep", "filter"}, default="keep"
        With units, every law is checked for a form that depends on the units (``cos`` of
        an energy, a length plus a temperature; :func:`lawfind.law.check_units`):
        ``"keep"`` leaves them on the front (the CLI marks them), ``"filter"`` keeps them
        off it; ``run.info["units_check"]`` counts them either way.  A snapped constant is
        exact, so ``cos(1.0·E)`` found with E in eV reads ``cos(E)`` and counts as
        inconsistent: filter only when such a law would be a coincidence of the units.
    composition : str or lawfind.materials.CompositionFeaturizer, optional
        A column of composition strings (``"Fe0.7Ni0.3"``): Magpie-style composition features
        are computed from it (materials extra, see docs/materials.md) and searched instead of it.
    select : "none", "auto", or step names (list or comma-separated), default="none"
        Feature selection before the search (:func:`lawfind.features.select`, 5 folds,
        this ``seed``); the run keeps its report (``run.selection``, ``selection.csv``).
    out : path, optional
        Save the run to this folder (atomically).
    overwrite : bool, default=False
        Replace an existing run folder at ``out``.
    progress : callable, optional
        ``progress(fraction, message)``, e.g. from :func:`lawfind.rich_progress`.
    **engine_options
        Options of the named engine (e.g. ``max_terms=2`` for ``"sparse"``).

    Returns
    -------
    Run
        ``run.best`` is the picked law, ``run.front`` the Pareto front.

    Examples
    --------
    >>> from lawfind import discover, make_demo
    >>> run = discover(make_demo("hall_petch", n=100), target="sigma_y [MPa]",
    ...                engine="sparse", time_limit=10)
    >>> run.best.equation()
    '70 + 600/sqrt(`d [um]`)'
    """
    check_search_options(time_limit, seed)
    check_units_mode(units_check)
    if out is not None:
        check_destination(out, overwrite)
    automatic = isinstance(engine, str) and engine == "auto"
    if automatic and engine_options:
        raise ConfigError(f"engine options ({', '.join(sorted(engine_options))}) need a named engine, not 'auto': "
                          f"choose one, e.g. engine='sparse' (CLI: --engine sparse)")
    search_engine = None if automatic else make_engine(engine, **engine_options)
    select_steps = _selection_steps(select)
    featurized = None
    if composition is not None:
        from lawfind.materials._dataset import composition_dataset

        dataset, featurized = composition_dataset(data, target, features, composition, dropna=dropna, task=task,
                                                  units=units, progress=lambda f, m: progress(0.0, m))
    else:
        dataset = _as_dataset(data, target, features, dropna, task, units)
    if search_engine is None:
        search_engine = make_engine(AUTO_ENGINES[dataset.task])
    if dataset.task != "regression" and not search_engine.supports_classification:
        raise ConfigError(f"engine {search_engine.name!r} does not support the task {dataset.task!r}; "
                          f"use an engine that classifies (e.g. --engine sisso)")
    selection = None
    if select_steps:
        from lawfind.features._select import select_dataset

        dataset, selection = select_dataset(dataset, select_steps, seed=int(seed),
                                            progress=lambda f, m: progress(0.0, m))
    search_engine = _adapt_engine(search_engine, dataset)

    started = time.monotonic()
    X, y = dataset.X, dataset.y
    result = search_engine.search(
        X, y, time_limit=float(time_limit), seed=int(seed),
        progress=lambda f, m: progress(0.9 * f, m),
    )
    if not result.expressions:
        raise SearchError(
            f"engine {search_engine.name!r} returned no candidate law"
            + (" before it was interrupted" if result.interrupted else "; try a longer --time-limit")
        )
    interrupted, info = result.interrupted, dict(result.info)
    searched = time.monotonic()
    info["search_seconds"] = round(searched - started, 3)
    try:
        if dataset.task == "classification":
            if result.decisions is None or len(result.decisions) != len(result.expressions):
                raise SearchError(f"engine {search_engine.name!r} returned no decision (threshold) per candidate")
            laws = classification_laws(result.expressions, result.decisions, X, y, dataset.variables,
                                       target=dataset.target, origin=search_engine.name)
        else:
            laws = laws_from_expressions(
                result.expressions, X, y, dataset.variables,
                target=dataset.target, origin=search_engine.name, snap=snap, units=dataset.units,
                progress=lambda f, m: progress(0.9 + 0.1 * f, m),
            )
    except KeyboardInterrupt:
        if dataset.task != "regression":
            raise
        # Ctrl-C while polishing: keep the engine's candidates as they are (scored, not simplified)
        laws = _unpolished_laws(result.expressions, X, y, dataset.variables, dataset.target, search_engine.name)
        interrupted, info["polished"] = True, False
    info["polish_seconds"] = round(time.monotonic() - searched, 3)
    if not laws:
        raise SearchError(f"engine {search_engine.name!r} found no law that evaluates to finite values on the data")
    laws, info["aliased"] = drop_aliased_laws(laws, X)
    if not laws:
        raise SearchError(f"engine {search_engine.name!r} found only laws with aliased oscillations (e.g. "
                          f"{info['aliased']['examples'][0]}): sines or cosines the data sample too coarsely to "
                          f"follow; try a longer --time-limit or an engine without trigonometric functions")
    if dataset.task == "regression":
        laws, info["worse_than_the_mean"] = drop_laws_worse_than_the_mean(laws)
        if not laws:
            raise SearchError(f"engine {search_engine.name!r} found no law more accurate than the mean of the target "
                              f"(every candidate has R² ≤ 0); try a longer --time-limit, other features or another "
                              f"engine")
    laws, info["units_check"] = filter_by_units(laws, dataset.units, units_check)
    front = ParetoFront(laws, rule)
    run = Run(
        front=front,
        data=dataset.describe(),
        config={
            "engine": search_engine.get_config(),
            "time_limit": float(time_limit),
            "seed": int(seed),
            "rule": front.to_dict()["rule"],
            "snap": None if snap is None else {"rel_tol": snap.rel_tol, "abs_tol": snap.abs_tol,
                                               "max_denominator": snap.max_denominator, "window": snap.window},
            **({"composition": featurized} if featurized is not None else {}),
            **({"select": selection.steps} if selection is not None else {}),
        },
        status="interrupted" if interrupted else "completed",
        seconds=time.monotonic() - started,
        info=info,
        selection=None if selection is None else selection.to_dict(),
    )
    if out is not None:
        run.save(out, overwrite=overwrite)
    return run


DATASET_PREFIX = "datasets:"


def _selection_steps(select: Any) -> list[Any]:
    """The selection steps of ``discover(select=...)`` (checked before any work; [] for "none")."""
    if isinstance(select, str) and select.strip().lower() == "none":
        return []
    from lawfind.features import parse_steps

    return parse_steps(select)


def _merged_units(engine: Engine, dataset: Dataset) -> tuple[tuple[str | None, ...], str | None]:
    """The data's units, completed by those set on the engine; a column given two different units is refused."""
    own = getattr(engine, "feature_units", None)
    if own is not None and len(own) != len(dataset.features):
        raise ConfigError(f"{engine.name} engine: feature_units has {len(own)} entries but the data have "
                          f"{len(dataset.features)} features {list(dataset.features)}")
    own = tuple(own) if own is not None else (None,) * len(dataset.features)
    merged = []
    for name, mine in zip(dataset.features, own):
        theirs = dataset.units.get(name)
        if mine is not None and theirs is not None and str(mine) != str(theirs):
            raise ConfigError(f"column {name!r} has the unit {theirs!r} in the data (units=...) but {mine!r} in the "
                              f"{engine.name} engine's feature_units; give it once")
        merged.append(theirs if theirs is not None else mine)
    target, mine = dataset.units.get(dataset.target), getattr(engine, "target_unit", None)
    if mine is not None and target is not None and str(mine) != str(target):
        raise ConfigError(f"the target {dataset.target!r} has the unit {target!r} in the data (units=...) but "
                          f"{mine!r} in the {engine.name} engine's target_unit; give it once")
    return tuple(merged), target if target is not None else mine


def _adapt_engine(engine: Engine, dataset: Dataset) -> Engine:
    """Give engines that take them the task and the units of the data (a copy; the user's engine is untouched)."""
    fields = {f.name for f in dataclasses.fields(engine)} if dataclasses.is_dataclass(engine) else set()
    changes: dict[str, Any] = {}
    if "task" in fields:
        changes["task"] = dataset.task
    if dataset.units and engine.supports_units and "feature_units" in fields:
        changes["feature_units"], changes["target_unit"] = _merged_units(engine, dataset)
    if not changes:
        return engine
    adapted = dataclasses.replace(engine, **changes)
    adapted.validate()
    return adapted


def _as_dataset(data: Any, target: str | None, features: Sequence[str] | None, dropna: bool,
                task: Task | None = None, units: Mapping[str, str] | None = None) -> Dataset:
    if isinstance(data, Dataset):
        if target is not None and target != data.target:
            raise ConfigError(f"target {target!r} differs from the Dataset's target {data.target!r}")
        if features is not None:
            return Dataset.from_frame(data.frame, data.target, features, task=data.task, units=data.units,
                                      dropna=dropna, source=data.source)
        return data
    if isinstance(data, str) and data.startswith(DATASET_PREFIX):
        from lawfind.datasets import load_dataset

        dataset = load_dataset(data[len(DATASET_PREFIX):], target=target, features=features, task=task, dropna=dropna)
        if units:
            dataset = Dataset.from_frame(dataset.frame, dataset.target, dataset.features, task=dataset.task,
                                         units={**dataset.units, **units}, source=dataset.source)
        return dataset
    if target is None:
        raise ConfigError("target is required: name the column to explain, e.g. target='sigma_y'")
    if isinstance(data, pd.DataFrame):
        return Dataset.from_frame(data, target, features, dropna=dropna, task=task or "regression", units=units)
    if isinstance(data, (str, os.PathLike)):
        return Dataset.from_csv(data, target, features, dropna=dropna, task=task or "regression", units=units)
    raise ConfigError(f"data must be a Dataset, a DataFrame or a CSV path, got {type(data).__name__}")


def _unpolished_laws(expressions: Sequence[Any], X: np.ndarray, y: np.ndarray, variables: dict[str, str],
                     target: str, origin: str) -> list[Law]:
    """Score the raw candidates without simplifying or refitting them (after Ctrl-C)."""
    laws = []
    for expr in expressions:
        used = {s.name: variables[s.name] for s in expr.free_symbols if s.name in variables}
        if len(used) != len(expr.free_symbols):
            continue
        try:
            law = Law(expr, used, target=target, origin=origin)
            metrics = regression_metrics(y, law.predict(X))
        except (LawfindError, ArithmeticError, TypeError, ValueError):
            continue
        if np.isfinite(metrics["nrmse"]):
            laws.append(law.with_metrics(metrics))
    return laws
