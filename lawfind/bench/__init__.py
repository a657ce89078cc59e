"""Ground-truth benchmarks: the AI Feynman equations under SRBench's protocol.

>>> from lawfind.bench import read_equations, select_equations, run_feynman, FeynmanConfig
>>> equations = select_equations(read_equations("FeynmanEquations.csv"), subset=3)  # doctest: +SKIP
>>> result = run_feynman(equations, FeynmanConfig(methods=("lawfind",), time_limit=5))  # doctest: +SKIP
>>> [format_summary(s) for s in result.summaries]  # doctest: +SKIP
['lawfind [portfolio] noise 0: solved 3/3 (positive symbols 3) · R²>0.999 3/3 · median size 8 · median time 1.8 s']

The command line: ``lawfind bench feynman --help``; the numbers: ``docs/benchmarks.md``.
"""

from lawfind.bench._assess import R2_GATE, Assessment, assess_model, clean_model, round_floats, symbolic_match
from lawfind.bench._data import SRBENCH_NOISE_LEVELS, BenchData, check_noise, generate_data
from lawfind.bench._equations import (
    Equation,
    Variable,
    default_equations_path,
    parse_formula,
    read_equations,
    select_equations,
)
from lawfind.bench._methods import GPLEARN_SETTINGS, METHODS, MethodOutput, default_engine, gplearn_to_sympy, run_method
from lawfind.bench._results import ACCURATE_R2, COLUMNS, MethodSummary, format_summary, read_rows, summarize, write_rows
from lawfind.bench._runner import (
    RESULTS_FILE,
    SUMMARY_FILE,
    BenchResult,
    BenchTask,
    FeynmanConfig,
    r2_score,
    run_feynman,
    run_task,
)
from lawfind.bench._timeout import SympyTimeout, call_with_timeout

__all__ = [
    "Equation", "Variable", "read_equations", "select_equations", "default_equations_path", "parse_formula",
    "BenchData", "generate_data", "check_noise", "SRBENCH_NOISE_LEVELS",
    "Assessment", "assess_model", "clean_model", "symbolic_match", "round_floats", "R2_GATE",
    "METHODS", "MethodOutput", "run_method", "default_engine", "gplearn_to_sympy", "GPLEARN_SETTINGS",
    "COLUMNS", "ACCURATE_R2", "MethodSummary", "summarize", "format_summary", "read_rows", "write_rows",
    "FeynmanConfig", "BenchTask", "BenchResult", "run_task", "run_feynman", "r2_score", "RESULTS_FILE",
    "SUMMARY_FILE", "SympyTimeout", "call_with_timeout",
]
