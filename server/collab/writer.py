"""The collaboration writer thread: every database write of live documents.

One thread serialises the group commits, seeds and compactions, so SQLite sees
one writer and the event loop never blocks on the database.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import ctypes.util
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[[], Any]]


class Writer:
    """Runs blocking store calls, one at a time, on a single dedicated thread.

    Leaner than `loop.run_in_executor`: one queue put to hand a call over and
    one `call_soon_threadsafe` to hand the result back, with no
    `concurrent.futures` future chained to an asyncio one. A live room makes
    one call per group commit, so this hand-off is on every update's path.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        loop = asyncio.get_running_loop()
        if self._closed:
            raise RuntimeError("the collaboration writer is closed")
        self._start()
        future: asyncio.Future[R] = loop.create_future()
        self._jobs.put((loop, future, lambda: fn(*args, **kwargs)))
        return await future

    def _start(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._work, name="collab-writer", daemon=True
                    )
                    self._thread.start()
                    _LIVE.add(self)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            loop, future, call = job
            try:
                result = call()
            except BaseException as exc:  # handed to the awaiting task, whatever it is
                _deliver(loop, _set_exception, future, exc)
            else:
                _deliver(loop, _set_result, future, result)

    def close(self) -> None:
        """Finish the calls already handed over, then stop the thread."""
        self._closed = True
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            _LIVE.discard(self)


# Like the executor threads this replaces: at interpreter exit, writes already
# handed over are finished before the process goes.
_LIVE: weakref.WeakSet[Writer] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for writer in list(_LIVE):
        writer.close()


def _deliver(
    loop: asyncio.AbstractEventLoop,
    setter: Callable[[asyncio.Future[Any], Any], None],
    future: asyncio.Future[Any],
    value: Any,
) -> None:
    with contextlib.suppress(RuntimeError):  # the loop is closed: no one waits
        loop.call_soon_threadsafe(setter, future, value)


def _set_result(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():  # the awaiting task may have been cancelled
        future.set_result(value)


def _set_exception(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


def _libc_malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


_MALLOC_TRIM = _libc_malloc_trim()


def trim_heap() -> None:
    """Give freed native memory back to the OS (glibc's malloc_trim; no-op elsewhere).

    Compaction merges a document's updates in Rust and SQLite on this thread;
    the freed buffers otherwise stay in malloc's arenas and show up as growth
    of the server's resident memory.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
