"""generator.parallel: the same results, in order, in worker processes and in this one."""

from __future__ import annotations

import os
import threading

import pytest

from generator import parallel


def _scaled(context: dict[str, object], item: int) -> tuple[int, int]:
    # the lock cannot be pickled: the context reaches the workers by fork, not by pickle
    assert isinstance(context["lock"], type(threading.Lock()))
    factor = context["factor"]
    assert isinstance(factor, int)
    return item * factor, os.getpid()


def _context() -> dict[str, object]:
    return {"factor": 3, "lock": threading.Lock()}


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork")
def test_workers_get_the_context_without_pickling_and_results_keep_their_order() -> None:
    results = list(parallel.map_in_processes(_scaled, list(range(200)), _context(), jobs=2, chunksize=7))
    assert [value for value, _ in results] == [3 * n for n in range(200)]
    assert os.getpid() not in {pid for _, pid in results}


def test_without_fork_everything_runs_here_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    results = list(parallel.map_in_processes(_scaled, list(range(50)), _context(), jobs=2))
    assert results == [(3 * n, os.getpid()) for n in range(50)]


def test_small_work_and_one_job_run_here() -> None:
    assert list(parallel.map_in_processes(_scaled, [1, 2], _context(), jobs=2, parallel_from=3)) == \
        [(3, os.getpid()), (6, os.getpid())]
    assert [pid for _, pid in parallel.map_in_processes(_scaled, list(range(10)), _context(), jobs=1)] == \
        [os.getpid()] * 10


@pytest.mark.parametrize("fork", [True, False])
def test_a_background_task_gives_its_result_or_its_failure(monkeypatch: pytest.MonkeyPatch, fork: bool) -> None:
    if fork and not parallel.can_fork():
        pytest.skip("needs fork")
    monkeypatch.setattr(parallel, "can_fork", lambda: fork)
    with parallel.in_background(lambda: (os.getpid(), [1, 2, 3])) as result:
        pid, value = result()
    assert value == [1, 2, 3] and (pid != os.getpid()) is fork

    def fail() -> None:
        raise OSError("磁盘已满")

    with pytest.raises(parallel.BackgroundFailed, match="OSError: 磁盘已满"), parallel.in_background(fail) as result:
        result()


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork")
def test_a_background_process_that_dies_is_a_failure_not_a_hang() -> None:
    with pytest.raises(parallel.BackgroundFailed, match="退出码 3"), parallel.in_background(lambda: os._exit(3)) as result:
        result()
