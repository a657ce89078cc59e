"""Laws: SymPy-centred closed-form models, their parsing, printing and post-processing."""

from lawfind.law._complexity import complexity
from lawfind.law._law import LAW_SCHEMA, Decision, Law
from lawfind.law._metrics import nrmse, regression_metrics
from lawfind.law._parse import ALLOWED_FUNCTIONS, internal_symbol, parse_expression
from lawfind.law._postprocess import SnapTolerance, finalize_expression, simplify_expression, snap_constants
from lawfind.law._printing import latex_name
from lawfind.law._refit import refit_constants
from lawfind.law._units import UnitsCheck, check_units, dimension_vectors

__all__ = [
    "Law",
    "Decision",
    "LAW_SCHEMA",
    "complexity",
    "nrmse",
    "regression_metrics",
    "parse_expression",
    "internal_symbol",
    "ALLOWED_FUNCTIONS",
    "SnapTolerance",
    "finalize_expression",
    "simplify_expression",
    "snap_constants",
    "refit_constants",
    "latex_name",
    "check_units",
    "dimension_vectors",
    "UnitsCheck",
]
