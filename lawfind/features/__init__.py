"""Feature selection with reasons: scikit-learn transformers chained by :func:`select`.

Every step records, for every column it sees, whether it was kept, a score and a
reason in plain words (``decisions_``).  :func:`select` runs a chain of steps and
returns a :class:`Selection` with the kept columns and one report table.

Steps (``select(steps=...)`` names):

========================  ==============================================================
``constant``              non-numeric, mostly-missing, constant and near-constant columns
``correlation``           groups with |r| >= 0.95: one representative kept, the group named
``mutual_info``           k-NN mutual information with the target (nonlinear); top 20
``sis``                   sure-independence screening (|r|, or eta for classes)
``lasso``                 cross-validated elastic-net path (L1-logistic for classes)
``stability``             stability selection with a randomized LASSO (slow)
``rfecv``                 recursive feature elimination with a random forest, CV (slow)
``permutation``           held-out permutation importance of a random forest (slow)
========================  ==============================================================

``steps="auto"`` runs ``constant, correlation, mutual_info, lasso``.

>>> from lawfind.features import select
>>> sel = select(frame, "y")  # doctest: +SKIP
>>> sel.kept, sel.report  # doctest: +SKIP
"""

from lawfind.features._base import BaseSelector, infer_task
from lawfind.features._filters import ConstantFilter, CorrelationFilter
from lawfind.features._models import PermutationSelector, RFECVSelector
from lawfind.features._registry import AUTO_STEPS, STEPS, parse_steps
from lawfind.features._screening import MutualInfoFilter, SISFilter
from lawfind.features._select import select
from lawfind.features._selection import SELECTION_SCHEMA, Selection
from lawfind.features._sparse import LassoSelector
from lawfind.features._stability import StabilitySelector

__all__ = [
    "select",
    "Selection",
    "BaseSelector",
    "ConstantFilter",
    "CorrelationFilter",
    "MutualInfoFilter",
    "SISFilter",
    "LassoSelector",
    "StabilitySelector",
    "RFECVSelector",
    "PermutationSelector",
    "STEPS",
    "AUTO_STEPS",
    "SELECTION_SCHEMA",
    "parse_steps",
    "infer_task",
]
