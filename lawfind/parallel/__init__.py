"""Scale-out of independent searches: serial, local processes (joblib) or Dask distributed.

>>> from lawfind.parallel import make_executor
>>> with make_executor("serial") as ex:
...     ex.map(abs, [-1, 2, -3])
[1, 2, 3]
"""

from lawfind.parallel._dask import WORKER_ENV, DaskExecutor, check_scheduler_address
from lawfind.parallel._executor import (
    Executor,
    ExecutorKind,
    ProcessExecutor,
    SerialExecutor,
    TaskFailedError,
    TaskFailure,
    as_executor,
    make_executor,
)
from lawfind.parallel._tasks import SearchTask, discover_many, engine_for_tasks, run_task

__all__ = [
    "Executor",
    "ExecutorKind",
    "SerialExecutor",
    "ProcessExecutor",
    "DaskExecutor",
    "make_executor",
    "as_executor",
    "check_scheduler_address",
    "WORKER_ENV",
    "TaskFailure",
    "TaskFailedError",
    "SearchTask",
    "discover_many",
    "run_task",
    "engine_for_tasks",
]
