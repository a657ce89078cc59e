"""scikit-learn estimators that search for a closed-form law."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from lawfind._discover import check_search_options
from lawfind._progress import no_progress
from lawfind.exceptions import ConfigError, DataError
from lawfind.law import Law, SnapTolerance
from lawfind.search import Engine, ParetoFront, PickRule, laws_from_expressions, make_engine
from lawfind.search._admissible import drop_aliased_laws, drop_laws_worse_than_the_mean

__all__ = ["LawRegressor"]


class LawRegressor(RegressorMixin, BaseEstimator):
    """A regressor whose model is a closed-form law found by a search engine.

    Works in :class:`~sklearn.pipeline.Pipeline`, :func:`~sklearn.base.clone` and
    :func:`~sklearn.model_selection.cross_val_score`.

    Parameters
    ----------
    engine : str or Engine, default="operon"
        ``"operon"``, ``"sparse"``, or an :class:`~lawfind.search.Engine` instance
        (cloned per fit: the object you pass is never changed).
    engine_options : dict, optional
        Options of a named engine, e.g. ``{"max_terms": 2}``.
    time_limit : float, default=30.0
        Seconds per search.
    random_state : int, default=0
        Seed of the search.
    rule : PickRule, optional
        How the law is picked from the Pareto front.
    snap : bool, default=True
        Snap constants to simple exact values when the fit allows it.

    Attributes
    ----------
    front_ : ParetoFront
        The laws found, simplest first.
    law_ : Law
        The picked law, used by :meth:`predict`.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.
    search_info_ : dict
        What the engine reported (e.g. generations, interrupted).

    Examples
    --------
    >>> import numpy as np
    >>> from lawfind import LawRegressor
    >>> X = np.random.default_rng(0).uniform(1, 2, (50, 2))
    >>> model = LawRegressor(engine="sparse", time_limit=5).fit(X, 1.5 + 2 * X[:, 0] - 0.7 * X[:, 1])
    >>> model.law_.equation()
    '2*x0 - 0.7*x1 + 1.5'
    """

    def __init__(
        self,
        engine: str | Engine = "operon",
        engine_options: dict[str, Any] | None = None,
        time_limit: float = 30.0,
        random_state: int = 0,
        rule: PickRule | None = None,
        snap: bool = True,
    ) -> None:
        self.engine = engine
        self.engine_options = engine_options
        self.time_limit = time_limit
        self.random_state = random_state
        self.rule = rule
        self.snap = snap

    def _make_engine(self) -> Engine:
        options = dict(self.engine_options or {})
        if isinstance(self.engine, Engine):
            from copy import deepcopy

            if options:
                raise ConfigError("engine_options only apply to an engine given by name")
            return make_engine(deepcopy(self.engine))
        return make_engine(self.engine, **options)

    def fit(self, X: Any, y: Any) -> "LawRegressor":
        """Search for a law ``y = f(X)`` and keep the Pareto front and the picked law."""
        check_search_options(self.time_limit, self.random_state)
        if self.rule is not None and not isinstance(self.rule, PickRule):
            raise ConfigError(f"rule must be a lawfind PickRule or None, got {type(self.rule).__name__}")
        engine = self._make_engine()
        if np.asarray(y).dtype.kind in "OUS":  # strings: name the fix instead of numpy's conversion error
            try:
                np.asarray(y, dtype=float)
            except (TypeError, ValueError):
                raise DataError("LawRegressor needs a numeric y; for class labels use "
                                "lawfind.discover(..., task='classification')") from None
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        X = np.ascontiguousarray(X, dtype=float)
        y = np.array(y, dtype=float, copy=True)
        names = (
            [str(n) for n in self.feature_names_in_]
            if hasattr(self, "feature_names_in_")
            else [f"x{i}" for i in range(X.shape[1])]
        )
        variables = {f"x{i}": name for i, name in enumerate(names)}
        if np.ptp(y) == 0:
            # nothing to search: the law is the constant
            laws = [Law(_constant(y[0]), {}, origin="constant").with_metrics(
                {"r2": 1.0, "rmse": 0.0, "mae": 0.0, "nrmse": 0.0, "max_abs_error": 0.0})]
            self.search_info_ = {"constant_target": True}
        else:
            result = engine.search(X, y, time_limit=float(self.time_limit), seed=int(self.random_state),
                                   progress=no_progress)
            laws = laws_from_expressions(result.expressions, X, y, variables, target="y", origin=engine.name,
                                         snap=SnapTolerance() if self.snap else None)
            laws, aliased = drop_aliased_laws(laws, X)
            laws, worse = drop_laws_worse_than_the_mean(laws)
            self.search_info_ = {**result.info, "interrupted": result.interrupted, "aliased": aliased,
                                 "worse_than_the_mean": worse}
            if not laws:
                laws = [Law(_constant(float(np.mean(y))), {}, origin="mean")]
                laws = [laws[0].with_metrics({"nrmse": 1.0})]
        self.front_ = ParetoFront(laws, self.rule)
        self.law_ = self.front_.best
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predict with the picked law."""
        check_is_fitted(self, "law_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self.law_.predict(np.asarray(X, dtype=float))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = not (isinstance(self.engine, str) and self.engine == "sparse")
        return tags


def _constant(value: float):
    import sympy as sp

    return sp.Float(float(value))
