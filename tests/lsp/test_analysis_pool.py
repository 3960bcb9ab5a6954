"""The analysis pool (`lsp.analysis`): real worker processes, routing,
cancellation, crashes and shutdown. (A server attached to a pool:
tests/lsp/features/test_pool_backend.py.)"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from pygls.exceptions import JsonRpcInternalError

from lsp.analysis import AnalysisPool

JOBS = "tests.lsp.pool_jobs"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return status != "Z"


@pytest.fixture
def pool() -> Iterator[AnalysisPool]:
    p = AnalysisPool(2)
    yield p
    p.close()


def call(pool: AnalysisPool, conn: int, name: str, *args: object) -> Any:
    return pool.submit(conn, None, (JOBS, name, None), args, {}).result(60)


def test_jobs_run_in_worker_processes_routed_per_connection(
    pool: AnalysisPool,
) -> None:
    first = call(pool, 1, "pid")
    assert first != os.getpid()
    assert call(pool, 1, "pid") == first  # a connection keeps its worker
    second = call(pool, 2, "pid")
    assert second != first  # the next connection goes to the idler worker
    assert sorted(pool.pids()) == sorted([first, second])
    assert pool.worker_pid(1) == first


def test_forgotten_connections_free_their_place(pool: AnalysisPool) -> None:
    a, b = call(pool, 1, "pid"), call(pool, 2, "pid")
    pool.forget(1)
    assert call(pool, 3, "pid") == a  # the slot conn 1 left is the emptier one
    assert call(pool, 2, "pid") == b


def test_errors_come_back_as_exceptions(pool: AnalysisPool) -> None:
    with pytest.raises(ValueError, match="no good"):
        call(pool, 1, "fail", "no good")
    assert isinstance(call(pool, 1, "pid"), int)


def test_a_crash_fails_the_request_and_the_worker_restarts(
    pool: AnalysisPool,
) -> None:
    before = call(pool, 1, "pid")
    with pytest.raises(JsonRpcInternalError):
        call(pool, 1, "crash")
    assert not alive(cast(int, before))
    after = call(pool, 1, "pid")
    assert after != before
    assert alive(cast(int, after))


def test_a_worker_killed_while_idle_is_replaced_unnoticed(
    pool: AnalysisPool,
) -> None:
    before = cast(int, call(pool, 1, "pid"))
    os.kill(before, 9)
    while alive(before):
        pass
    assert call(pool, 1, "pid") != before


def test_a_job_cancelled_while_queued_never_runs(
    pool: AnalysisPool, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    busy = pool.submit(1, None, (JOBS, "nap", None), (0.5,), {})
    queued = pool.submit(1, None, (JOBS, "touch", None), (str(marker),), {})
    assert queued.cancel()
    assert busy.result(60) == pool.worker_pid(1)
    call(pool, 1, "pid")  # the queue behind it has drained
    assert not marker.exists()


def test_close_stops_every_worker() -> None:
    p = AnalysisPool(2)
    call(p, 1, "pid")
    pids = p.pids()
    assert len(pids) == 2
    running = p.submit(1, None, (JOBS, "nap", None), (0.3,), {})
    p.close()
    assert running.done()
    assert not any(alive(pid) for pid in pids)
    with pytest.raises(RuntimeError):
        call(p, 1, "pid")


def test_a_job_over_the_time_limit_is_stopped_and_its_worker_replaced() -> None:
    p = AnalysisPool(1, job_timeout=0.5)
    try:
        stuck = call(p, 1, "pid")
        with pytest.raises(JsonRpcInternalError, match=r"longer than 0\.5 s"):
            call(p, 1, "nap", 30)
        assert not alive(stuck)
        # The next request (queued behind it, or new) gets a fresh worker.
        fresh = call(p, 1, "pid")
        assert fresh != stuck
        assert call(p, 2, "nap", 0.1) == fresh
    finally:
        p.close()
