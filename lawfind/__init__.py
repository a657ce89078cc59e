"""lawfind: discover closed-form property laws in materials data.

>>> import lawfind
>>> run = lawfind.discover(lawfind.make_demo("hall_petch"), target="sigma_y [MPa]")  # doctest: +SKIP
>>> print(run.best.equation())  # doctest: +SKIP
70 + 600/sqrt(`d [um]`)
"""

from importlib import metadata as _metadata

from lawfind._discover import discover
from lawfind._progress import rich_progress
from lawfind.data import Dataset, make_demo, planted_dataset
from lawfind.exceptions import (
    ConfigError,
    DataError,
    ExpressionError,
    LawfindError,
    RunError,
    SearchError,
)
from lawfind.law import Law
from lawfind.run import Run
from lawfind.search import Engine, OperonEngine, ParetoFront, PickRule, PortfolioEngine, SparseEngine

try:
    __version__ = _metadata.version("lawfind")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "discover",
    "compare",
    "Dataset",
    "Law",
    "ParetoFront",
    "PickRule",
    "Run",
    "Engine",
    "OperonEngine",
    "PortfolioEngine",
    "SparseEngine",
    "LawRegressor",
    "make_demo",
    "planted_dataset",
    "rich_progress",
    "LawfindError",
    "DataError",
    "ConfigError",
    "ExpressionError",
    "RunError",
    "SearchError",
]


def __getattr__(name: str):
    # the estimator pulls in scikit-learn's estimator machinery: load it on first use
    if name == "LawRegressor":
        from lawfind.estimators import LawRegressor

        return LawRegressor
    if name == "compare":  # baselines, SHAP and the comparison: sklearn and (on use) shap
        from lawfind.explain import compare

        return compare
    raise AttributeError(f"module 'lawfind' has no attribute {name!r}")
