"""Glue between the Streamlit explorer (``apps/explorer``) and the public lawfind API.

Nothing here fits or scores anything: it runs :func:`lawfind.discover` in a thread
(:class:`SearchJob`, with a stop request that keeps the best-so-far laws), reads uploads
with the library's CSV checks, lists the run store, says which engines can run (and why
not), renders export files for download buttons, draws the library's tables as Altair
charts, and starts the app in a subprocess (:class:`AppServer`, for tests and benchmarks).
The charts need altair (installed with streamlit: the ``app`` extra).
"""

from lawfind.explore._charts import (
    FRONT_SELECTION,
    correlation_heatmap,
    decision_chart,
    error_column,
    pareto_chart,
    parity_chart,
    residual_chart,
)
from lawfind.explore._engines import SPARSE_METHODS, EngineChoice, default_engine, engine_choices, pysr_status
from lawfind.explore._exports import FORMAT_LABELS, NEEDS_DATA, Download, export_download, format_label
from lawfind.explore._job import JobState, SearchJob, SearchSpec
from lawfind.explore._runs import DEFAULT_STORE, list_runs, new_run_path
from lawfind.explore._server import AppServer, free_port
from lawfind.explore._tables import column_summary, correlation_long, numeric_columns
from lawfind.explore._upload import MAX_UPLOAD_MB, UPLOADS_FOLDER, read_upload, store_upload

__all__ = [
    "SearchJob",
    "SearchSpec",
    "JobState",
    "EngineChoice",
    "engine_choices",
    "default_engine",
    "SPARSE_METHODS",
    "pysr_status",
    "Download",
    "export_download",
    "format_label",
    "FORMAT_LABELS",
    "NEEDS_DATA",
    "DEFAULT_STORE",
    "list_runs",
    "new_run_path",
    "AppServer",
    "free_port",
    "MAX_UPLOAD_MB",
    "UPLOADS_FOLDER",
    "read_upload",
    "store_upload",
    "numeric_columns",
    "column_summary",
    "correlation_long",
    "FRONT_SELECTION",
    "pareto_chart",
    "parity_chart",
    "residual_chart",
    "decision_chart",
    "correlation_heatmap",
    "error_column",
]
