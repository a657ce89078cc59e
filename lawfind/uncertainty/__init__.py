"""Uncertainty of laws: intervals on their constants and the stability of their structure.

* :func:`bootstrap_intervals` / :func:`asymptotic_intervals` — 95 % (or any level)
  intervals for every float constant of a law, its structure held fixed;
* :func:`law_stability` — the run's search repeated on bootstrap or cross-validation
  resamples, counting how often each law structure comes back;
* :func:`open_training_data` — a run's training data, reopened and checked against
  the hash recorded in the run.

>>> from lawfind.run import Run                                   # doctest: +SKIP
>>> run = Run.load("lawfind_runs/hardness")                       # doctest: +SKIP
>>> data = open_training_data(run)                                # doctest: +SKIP
>>> bootstrap_intervals(run.best, data, n_resamples=1000).to_frame()  # doctest: +SKIP
"""

from lawfind.uncertainty._data import DATASET_PREFIX, open_training_data
from lawfind.uncertainty._fit import ParametrizedLaw, law_arrays
from lawfind.uncertainty._intervals import (
    INTERVALS_SCHEMA,
    CoefficientIntervals,
    IntervalMethod,
    asymptotic_intervals,
    bootstrap_intervals,
    coefficient_intervals,
)
from lawfind.uncertainty._stability import Scheme, StabilityResult, law_stability

__all__ = [
    "CoefficientIntervals",
    "IntervalMethod",
    "INTERVALS_SCHEMA",
    "bootstrap_intervals",
    "asymptotic_intervals",
    "coefficient_intervals",
    "ParametrizedLaw",
    "law_arrays",
    "StabilityResult",
    "Scheme",
    "law_stability",
    "open_training_data",
    "DATASET_PREFIX",
]
