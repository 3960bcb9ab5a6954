"""The collaboration writer thread: every database write of live documents.

One thread serialises the group commits, seeds and compactions, so SQLite sees
one writer and the event loop never blocks on the database.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Writer:
    """Runs blocking store calls on a single dedicated thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="collab-writer"
        )

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: fn(*args, **kwargs))

    def close(self) -> None:
        self._pool.shutdown(wait=True)


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
