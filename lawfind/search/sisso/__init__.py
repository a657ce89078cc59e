"""SISSO descriptor search: feature-space construction, sure-independence screening, exhaustive ℓ0.

>>> from lawfind.search.sisso import SissoEngine
>>> engine = SissoEngine(rung=2, max_dimension=2, operators=("+", "-", "*", "/", "^2"))
>>> engine.validate()

See Also
--------
lawfind.search.sisso.SissoEngine : the engine and its options.
"""

from lawfind.search.sisso._engine import SissoEngine
from lawfind.search.sisso._operators import DEFAULT_OPERATORS, OPERATORS, Operator
from lawfind.search.sisso._threshold import ThresholdRules, best_thresholds

__all__ = ["SissoEngine", "OPERATORS", "DEFAULT_OPERATORS", "Operator", "best_thresholds", "ThresholdRules"]
