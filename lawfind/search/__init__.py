"""Search engines behind one interface, the Pareto front and its pick rule."""

from lawfind.search._base import Engine, SearchResult
from lawfind.search._candidates import laws_from_expressions
from lawfind.search._front import ParetoFront, PickRule, pareto_filter
from lawfind.search._operon import OPERON_OPERATORS, OperonEngine
from lawfind.search._portfolio import OPERATOR_SETS, PortfolioEngine
from lawfind.search._pysr import PySREngine, pysr_status
from lawfind.search._registry import ENGINES, engine_names, make_engine
from lawfind.search._sparse import SparseEngine
from lawfind.search._transforms import TRANSFORMS

__all__ = [
    "Engine",
    "SearchResult",
    "ParetoFront",
    "PickRule",
    "pareto_filter",
    "laws_from_expressions",
    "OperonEngine",
    "OPERON_OPERATORS",
    "PortfolioEngine",
    "OPERATOR_SETS",
    "SparseEngine",
    "TRANSFORMS",
    "PySREngine",
    "pysr_status",
    "ENGINES",
    "engine_names",
    "make_engine",
]
