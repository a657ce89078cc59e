"""Executors (serial, processes, Dask LocalCluster): same results as serial, clear failures, nothing left running.

One LocalCluster on 127.0.0.1 (2 workers) serves every Dask test of this module; the
fixture stops it and checks that its worker processes are gone.
"""

from __future__ import annotations

import os
import time

import pytest
import sympy as sp

from lawfind import OperonEngine, discover, planted_dataset
from lawfind.baselines import nested_cross_validate
from lawfind.data import Dataset
from lawfind.exceptions import ConfigError, SearchError
from lawfind.parallel import (DaskExecutor, ProcessExecutor, SearchTask, SerialExecutor, TaskFailedError, TaskFailure,
                              check_scheduler_address, discover_many, engine_for_tasks, make_executor)
from lawfind.search import SparseEngine
from lawfind.uncertainty import law_stability


def _square_or_fail(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x * x


def _small_engine(**options) -> OperonEngine:
    return OperonEngine(generations=10, population_size=60, max_length=15, **options)


def _tasks(n: int = 3) -> list[SearchTask]:
    frame = planted_dataset(lambda a, b: 2 * a * b + 1, {"a": (1, 2), "b": (1, 2)}, n=40)
    return [SearchTask(frame, "y", engine=_small_engine(n_threads=1), time_limit=120.0, seed=s, label=f"seed {s}")
            for s in range(n)]


def _laws(runs) -> list[list[str]]:
    return [[sp.srepr(law.expression) for law in run.front] for run in runs]


def _worker_threads(_: int) -> tuple[str | None, list[int]]:
    import threadpoolctl

    return os.environ.get("OMP_NUM_THREADS"), [info["num_threads"] for info in threadpoolctl.threadpool_info()]


def _alive(pids: list[int]) -> list[int]:
    import psutil

    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.fixture(scope="module")
def dask_executor():
    pytest.importorskip("distributed", reason="the dask executor needs lawfind[dask]")
    with make_executor("dask", n_workers=2) as executor:
        pids = list(executor.client.run(os.getpid).values())
        yield executor
    assert executor.cluster is None and executor.client.status == "closed"
    deadline = time.monotonic() + 10
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pids), "LocalCluster workers are still running"


@pytest.fixture(scope="module")
def process_executor():
    """Two local worker processes, kept warm for the module and shut down at its end."""
    with ProcessExecutor(2) as executor:
        yield executor


def _executor(kind: str, request):
    return request.getfixturevalue(f"{kind}_executor") if kind != "serial" else SerialExecutor()


@pytest.fixture(scope="module")
def serial_runs():
    return discover_many(_tasks(), executor="serial")


# ----------------------------------------------------------------- map, failures, progress
def test_serial_map_keeps_order_and_reports_progress():
    seen = []
    with make_executor() as executor:
        assert executor.map(_square_or_fail, [2, 1, 0], progress=lambda f, m: seen.append((f, m))) == [4, 1, 0]
        assert executor.map(_square_or_fail, []) == []
        assert executor.task_threads is None and executor.tasks_run == 3
    assert [f for f, _ in seen] == pytest.approx([1 / 3, 2 / 3, 1.0]) and seen[-1][1] == "task 2 done (3/3)"


@pytest.mark.parametrize("kind", ["serial", "process"])
def test_failure_names_the_task_and_keeps_finished_results(kind, request):
    executor = _executor(kind, request)
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


def test_dask_map_failure_and_progress(dask_executor):
    assert dask_executor.n_workers == 2 and dask_executor.task_threads == 1
    seen = []
    assert dask_executor.map(_square_or_fail, [5, 6], progress=lambda f, m: seen.append(f)) == [25, 36]
    assert sorted(seen) == [0.5, 1.0]
    with pytest.raises(TaskFailedError, match=r"task 1 \(b\)") as info:
        dask_executor.map(_square_or_fail, [2, 3, 4], labels=["a", "b", "c"])
    assert info.value.results[0] == 4 and info.value.results[2] == 16


def test_dask_workers_use_one_thread(dask_executor):
    for omp, blas_threads in dask_executor.map(_worker_threads, [0, 1]):
        assert omp == "1" and blas_threads and set(blas_threads) == {1}


# ----------------------------------------------------------------- searches: identical to serial
def test_dask_searches_equal_serial(dask_executor, serial_runs):
    runs = discover_many(_tasks(), executor=dask_executor)
    assert _laws(runs) == _laws(serial_runs)
    assert [run.seed for run in runs] == [0, 1, 2]


def test_process_searches_equal_serial(process_executor, serial_runs):
    assert _laws(discover_many(_tasks(), executor=process_executor)) == _laws(serial_runs)


def test_discover_many_reports_the_failed_search():
    tasks = _tasks(2) + [SearchTask(planted_dataset(lambda a: a, {"a": (1, 2)}, n=10), "missing",
                                    engine="sparse", label="bad target")]
    with pytest.raises(TaskFailedError, match="task 2 \\(bad target\\): DataError") as info:
        discover_many(tasks, executor=SerialExecutor())
    assert all(run.best is not None for run in info.value.results[:2])


def test_engines_get_the_executor_thread_budget():
    engine = _small_engine()
    assert engine_for_tasks(engine, threads=None) == (engine, {})
    pinned, options = engine_for_tasks(engine, threads=1)
    assert pinned.n_threads == 1 and options == {} and engine.n_threads is None
    assert engine_for_tasks(_small_engine(n_threads=3), threads=1)[0].n_threads == 3  # an explicit choice is kept
    built, _ = engine_for_tasks("operon", {"generations": 5}, threads=2)
    assert isinstance(built, OperonEngine) and (built.generations, built.n_threads) == (5, 2)
    assert isinstance(engine_for_tasks("sparse", {"max_terms": 2}, threads=1)[0], SparseEngine)
    with pytest.raises(ConfigError, match="bad option"):
        engine_for_tasks("sparse", {"generations": 5}, threads=1)
    assert ProcessExecutor(2).task_threads == max(1, (os.cpu_count() or 1) // 2)


# ----------------------------------------------------------------- the loops: stability and nested CV
@pytest.fixture(scope="module")
def planted():
    frame = planted_dataset(lambda a, b, c: 1.5 + 2 * a * b - 0.5 * c, {"a": (1, 2), "b": (1, 2), "c": (1, 2)},
                            n=40, noise=0.01, seed=1)
    data = Dataset.from_frame(frame, "y")
    run = discover(data, engine=_small_engine(), time_limit=120, seed=2)  # n_threads=None: "all cores"
    return run, data


def _stability_view(result) -> tuple:
    fronts = [None if f is None else [sp.srepr(law.expression) for law in f] for f in result.fronts]
    return fronts, result.failures, result.structures().to_dict(orient="records")


@pytest.fixture(scope="module")
def serial_stability(planted):
    run, data = planted
    return _stability_view(law_stability(run, data, n_resamples=3, time_limit=120, seed=4))


@pytest.mark.parametrize("kind", ["process", "dask"])
def test_stability_on_executors_equals_serial(kind, planted, serial_stability, request):
    run, data = planted
    executor = _executor(kind, request)
    seen = []
    result = law_stability(run, data, n_resamples=3, time_limit=120, seed=4, executor=executor,
                           progress=lambda f, m: seen.append(f))
    assert _stability_view(result) == serial_stability
    assert result.n_succeeded == 3 and seen[-1] == 1.0


def _nested_view(result) -> tuple:
    folds = result.folds.drop(columns=["search_seconds"]).to_dict(orient="records")
    return [sp.srepr(law.expression) for law in result.laws], folds


@pytest.fixture(scope="module")
def serial_nested(planted):
    _, data = planted
    return _nested_view(nested_cross_validate(data, cv=3, engine=_small_engine(), time_limit=120, seed=5,
                                              baselines=False))


@pytest.mark.parametrize("kind", ["process", "dask"])
def test_nested_cv_on_executors_equals_serial(kind, planted, serial_nested, request):
    _, data = planted
    executor = _executor(kind, request)
    done = []
    result = nested_cross_validate(data, cv=3, engine=_small_engine(), time_limit=120, seed=5, baselines=False,
                                   executor=executor, progress=lambda k, n: done.append((k, n)))
    assert _nested_view(result) == serial_nested
    assert sorted(done) == [(1, 3), (2, 3), (3, 3)]


def test_nested_cv_engine_options_and_discover_keywords():
    frame = planted_dataset(lambda a, b: 3 * a - b, {"a": (1, 2), "b": (1, 2)}, n=30)
    data = Dataset.from_frame(frame, "y")
    result = nested_cross_validate(data, cv=2, engine="sparse", time_limit=5, baselines=False, max_terms=2,
                                   snap=None, executor="serial")
    assert len(result.laws) == 2
    with pytest.raises(ConfigError, match="bad option for engine 'sparse'"):
        nested_cross_validate(data, cv=2, engine="sparse", baselines=False, generations=3, executor="processes")


# ----------------------------------------------------------------- bad options
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kind": "threads"}, "unknown executor kind"),
    ({"kind": "serial", "scheduler": "tcp://127.0.0.1:1"}, "only used with kind='dask'"),
    ({"kind": "processes", "n_workers": 0}, "positive integer"),
    ({"kind": "dask", "scheduler": "127.0.0.1:8786"}, "is not SCHEME://HOST:PORT"),
    ({"kind": "dask", "scheduler": "tcp://127.0.0.1:8786", "n_workers": 2}, "own workers"),
    ({"kind": "dask", "scheduler": "tcp://127.0.0.1:8786", "timeout": 0}, "timeout must be"),
])
def test_bad_executor_options(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        make_executor(**kwargs)


@pytest.mark.parametrize(("address", "match"), [
    ("127.0.0.1:8786", "not SCHEME://HOST:PORT"),
    ("tcp://127.0.0.1", "not SCHEME://HOST:PORT"),
    ("tcp://127.0.0.1:notaport", "not SCHEME://HOST:PORT"),
    ("tcp://:8786", "not SCHEME://HOST:PORT"),
    ("foo://127.0.0.1:1", "scheme 'foo'"),
    ("tcp://127.0.0.1:70000", "ports are 1-65535"),
    ("", "must be a string"),
    (8786, "must be a string"),
])
def test_bad_scheduler_addresses(address, match):
    with pytest.raises(ConfigError, match=match):
        check_scheduler_address(address)


def test_good_scheduler_addresses():
    for address in ("tcp://10.0.0.5:8786", "tls://scheduler.example.org:8786", "tcp://[::1]:8786"):
        assert check_scheduler_address(address) == address


def test_bad_labels_and_errors_options():
    with pytest.raises(ConfigError, match="one label per item"):
        SerialExecutor().map(abs, [1, 2], labels=["a"])
    with pytest.raises(ConfigError, match="errors must be"):
        SerialExecutor().map(abs, [1], errors="ignore")
    with pytest.raises(ConfigError, match="either scheduler"):
        DaskExecutor(scheduler="tcp://127.0.0.1:1", local_workers=2)
    with pytest.raises(TypeError, match="SearchTask"):
        discover_many([{"data": None}])


def test_unreachable_scheduler_fails_fast():
    pytest.importorskip("distributed", reason="the dask executor needs lawfind[dask]")
    with pytest.raises(SearchError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 1 s"):
        make_executor("dask", scheduler="tcp://127.0.0.1:9", timeout=1.0)
