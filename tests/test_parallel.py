"""Executors (serial, processes, Dask LocalCluster) and discover_many: same results, clear failures."""

from __future__ import annotations

import pytest

from lawfind import OperonEngine, planted_dataset
from lawfind.exceptions import ConfigError, SearchError
from lawfind.parallel import (DaskExecutor, SearchTask, SerialExecutor, TaskFailedError, TaskFailure,
                              discover_many, make_executor)


def _square_or_fail(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x * x


def _tasks(n: int = 3) -> list[SearchTask]:
    frame = planted_dataset(lambda a, b: 2 * a * b + 1, {"a": (1, 2), "b": (1, 2)}, n=40)
    engine = OperonEngine(generations=10, n_threads=1, population_size=60, max_length=15)
    return [SearchTask(frame, "y", engine=engine, time_limit=120.0, seed=s, label=f"seed {s}") for s in range(n)]


def _laws(runs) -> list[list[str]]:
    return [[law.equation() for law in run.front] for run in runs]


@pytest.fixture(scope="module")
def dask_executor():
    pytest.importorskip("distributed", reason="the dask executor needs lawfind[dask]")
    with make_executor("dask", n_workers=2) as executor:
        yield executor
    assert executor.cluster is None and executor.client.status == "closed"


@pytest.fixture(scope="module")
def serial_runs():
    return discover_many(_tasks(), executor="serial")


def test_serial_map_keeps_order():
    with make_executor() as executor:
        assert executor.map(_square_or_fail, [2, 1, 0]) == [4, 1, 0]
        assert executor.map(_square_or_fail, []) == []


@pytest.mark.parametrize("kind", ["serial", "processes"])
def test_failure_names_the_task_and_keeps_finished_results(kind):
    with make_executor(kind, n_workers=2 if kind != "serial" else None) as executor:
        with pytest.raises(TaskFailedError, match=r"1 of 5 tasks failed; first: task 3 \(d\): ValueError: three") as info:
            executor.map(_square_or_fail, [0, 1, 2, 3, 4], labels=list("abcde"))
        returned = executor.map(_square_or_fail, [3, 2], errors="return")
    error = info.value
    assert isinstance(error, SearchError)
    assert error.results[:3] == [0, 1, 4] and error.results[4] == 16
    failure = error.failures[0]
    assert (failure.index, failure.label) == (3, "d")
    assert isinstance(failure.exception, ValueError) and "three is not allowed" in failure.traceback
    assert isinstance(returned[0], TaskFailure) and returned[1] == 4


def test_dask_map_and_failure(dask_executor):
    assert dask_executor.n_workers == 2
    assert dask_executor.map(_square_or_fail, [5, 6]) == [25, 36]
    with pytest.raises(TaskFailedError, match=r"task 1 \(b\)") as info:
        dask_executor.map(_square_or_fail, [2, 3, 4], labels=["a", "b", "c"])
    assert info.value.results[0] == 4 and info.value.results[2] == 16


def test_dask_searches_equal_serial(dask_executor, serial_runs):
    runs = discover_many(_tasks(), executor=dask_executor)
    assert _laws(runs) == _laws(serial_runs)
    assert [run.seed for run in runs] == [0, 1, 2]


def test_process_searches_equal_serial(serial_runs):
    assert _laws(discover_many(_tasks(), executor="processes")) == _laws(serial_runs)


def test_discover_many_reports_the_failed_search():
    tasks = _tasks(2) + [SearchTask(planted_dataset(lambda a: a, {"a": (1, 2)}, n=10), "missing",
                                    engine="sparse", label="bad target")]
    with pytest.raises(TaskFailedError, match="task 2 \\(bad target\\): DataError") as info:
        discover_many(tasks, executor=SerialExecutor())
    assert all(run.best is not None for run in info.value.results[:2])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kind": "threads"}, "unknown executor kind"),
    ({"kind": "serial", "scheduler": "tcp://127.0.0.1:1"}, "only used with kind='dask'"),
    ({"kind": "processes", "n_workers": 0}, "positive integer"),
    ({"kind": "dask", "scheduler": "127.0.0.1:8786"}, "tcp://HOST:PORT"),
])
def test_bad_executor_options(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        make_executor(**kwargs)


def test_bad_labels_and_errors_options():
    with pytest.raises(ConfigError, match="one label per item"):
        SerialExecutor().map(abs, [1, 2], labels=["a"])
    with pytest.raises(ConfigError, match="errors must be"):
        SerialExecutor().map(abs, [1], errors="ignore")
    with pytest.raises(ConfigError, match="either scheduler"):
        DaskExecutor(scheduler="tcp://127.0.0.1:1", local_workers=2)
    with pytest.raises(TypeError, match="SearchTask"):
        discover_many([{"data": None}])


def test_unreachable_scheduler_is_a_search_error():
    pytest.importorskip("distributed", reason="the dask executor needs lawfind[dask]")
    with pytest.raises(SearchError, match="cannot reach the Dask scheduler"):
        make_executor("dask", scheduler="tcp://127.0.0.1:9")
