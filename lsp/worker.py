"""Process-wide executors: one dedicated thread for jedi, a small pool for linters.

jedi is not thread-safe and evaluates lazily, so every jedi call *and* the
building of LSP results from its objects runs on the single jedi thread. All
server instances in a process (one per bridge connection) share it.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_jedi: ThreadPoolExecutor | None = None
_lint: ThreadPoolExecutor | None = None


def jedi_executor() -> ThreadPoolExecutor:
    """The one thread every jedi call runs on."""
    global _jedi
    with _lock:
        if _jedi is None:
            _jedi = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jedi")
        return _jedi


def lint_executor() -> ThreadPoolExecutor:
    """Threads for pyflakes and ruff, kept apart from the jedi thread."""
    global _lint
    with _lock:
        if _lint is None:
            _lint = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lint")
        return _lint


_in_flight = 0  # jedi calls queued or running, process-wide


async def run_jedi(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` on the jedi thread; cancelling the caller drops queued work."""
    global _in_flight
    loop = asyncio.get_running_loop()
    call = functools.partial(fn, *args, **kwargs)
    _in_flight += 1
    try:
        return await loop.run_in_executor(jedi_executor(), call)
    finally:
        _in_flight -= 1


async def jedi_idle(limit: float) -> None:
    """Wait (at most ``limit`` seconds) until no jedi call is in flight.

    Background work such as linting waits here so that it does not take CPU
    and the GIL from the request the user is waiting for.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    # Polled: the counter is process-wide and servers may run on other loops.
    while _in_flight and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.005)


async def run_lint(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` on the linter pool."""
    loop = asyncio.get_running_loop()
    call = functools.partial(fn, *args, **kwargs)
    return await loop.run_in_executor(lint_executor(), call)
