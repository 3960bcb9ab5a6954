"""Where jedi runs: one dedicated thread, or a pool of analysis processes.

jedi is not thread-safe and evaluates lazily, so every jedi call *and* the
building of LSP results from its objects runs in one place. By default that is
the single jedi thread, shared by every server instance in the process (this
is what ``devsync lsp`` over stdio uses). A server attached to an
``lsp.analysis.AnalysisPool`` (the bridge's in-process servers, see
``attach``) sends its calls to a worker process instead: ``run_jedi`` is the
one entry point either way, so features do not know which backend runs them.

A call can leave the process when it is a method of a ``Feature`` (the worker
keeps its own instance per connection) or a module-level function; arguments
must pickle, the server's ``ServerContext`` and ``Snapshot`` values are
carried specially. Anything else (a closure) runs on the jedi thread.

Linters keep a small thread pool here too.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from lsp.context import ServerContext
from lsp.documents import Snapshot
from lsp.jedi_speedups import HeapPolicy

if TYPE_CHECKING:
    from lsp.analysis import AnalysisPool
    from lsp.analysis_worker import CtxState

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_jedi: ThreadPoolExecutor | None = None
# The collector policy for the jedi thread (see lsp.jedi_speedups).
_heap = HeapPolicy()
_HEAP_DELAY = 0.05
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


# jedi calls queued or running on this process's jedi thread (they share the
# GIL with everything here, so all linting waits for them) ...
_in_flight = 0
# ... and, per server (id of its context), calls queued or running in an
# analysis pool: only that server's own linting waits for those, so that a
# busy bridge does not hold back every connection's diagnostics.
_pooled_in_flight: dict[int, int] = {}


def busy(ctx: ServerContext | None = None) -> bool:
    """Whether a jedi call that ``ctx``'s linting should wait for is in flight."""
    return _in_flight > 0 or (ctx is not None and id(ctx) in _pooled_in_flight)


_conn_ids = itertools.count(1)
# id(ctx) -> (weak ctx, pool, connection id): servers whose jedi calls go to a pool.
_attached: dict[int, tuple[weakref.ref[ServerContext], AnalysisPool, int]] = {}


def attach(ctx: ServerContext, pool: AnalysisPool) -> int:
    """Send this server's jedi calls to ``pool``; returns its connection id."""
    conn = next(_conn_ids)
    _attached[id(ctx)] = (weakref.ref(ctx), pool, conn)
    return conn


def detach(ctx: ServerContext) -> None:
    """The server is gone: back to the thread, and its worker forgets it."""
    entry = _attached.pop(id(ctx), None)
    if entry is not None:
        entry[1].forget(entry[2])


def _pool_of(ctx: ServerContext | None) -> tuple[AnalysisPool, int] | None:
    if ctx is None:
        return None
    entry = _attached.get(id(ctx))
    if entry is None or entry[0]() is not ctx:
        return None
    return entry[1], entry[2]


def _remote(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """(ctx, target) if ``fn`` can run in a worker process, else None."""
    owner = getattr(fn, "__self__", None)
    if owner is not None:
        ctx = getattr(owner, "ctx", None)
        if not isinstance(ctx, ServerContext):
            return None
        cls = type(owner)
        if "<locals>" in cls.__qualname__:
            return None
        return ctx, (cls.__module__, cls.__qualname__, fn.__name__)
    qualname = getattr(fn, "__qualname__", "<locals>")
    if "<locals>" in qualname or "<lambda>" in qualname:
        return None
    ctx = next((a for a in args if isinstance(a, ServerContext)), None)
    return ctx, (fn.__module__, qualname, None)


def _state(ctx: ServerContext) -> CtxState:
    from lsp.analysis_worker import CtxState

    caps = getattr(ctx.server.protocol, "client_capabilities", None)
    return CtxState(ctx.root_path, ctx.options, ctx.mapper, caps)


def _carry(value: Any) -> Any:
    from lsp.analysis_worker import CtxArg, DocArg

    if isinstance(value, ServerContext):
        return CtxArg()
    if isinstance(value, Snapshot):
        return DocArg(
            value.uri,
            value.version,
            value.source,
            value.path,
            value.codec.encoding,
            value.language_id,
        )
    return value


async def run_jedi(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` where this server's jedi runs: its analysis pool, if attached,
    else the jedi thread. Cancelling the caller drops work not yet started."""
    global _in_flight
    remote = _remote(fn, args)
    pooled = _pool_of(remote[0]) if remote is not None else None
    if pooled is not None and remote is not None:
        pool, conn = pooled
        ctx, target = remote
        key = id(ctx)
        _pooled_in_flight[key] = _pooled_in_flight.get(key, 0) + 1
        try:
            future = pool.submit(
                conn,
                _state(ctx),
                target,
                tuple(_carry(a) for a in args),
                {k: _carry(v) for k, v in kwargs.items()},
            )
            result: R = await asyncio.wrap_future(future)
            return result
        finally:
            left = _pooled_in_flight.pop(key) - 1
            if left:
                _pooled_in_flight[key] = left
    _in_flight += 1
    loop = asyncio.get_running_loop()
    try:
        call = functools.partial(fn, *args, **kwargs)
        return await loop.run_in_executor(jedi_executor(), call)
    finally:
        _in_flight -= 1
        if _heap.note_call():
            # Queued on the jedi thread a little later: by then the reply
            # has been written, and the next request waits at most once.
            loop.call_later(_HEAP_DELAY, jedi_executor().submit, _heap.collect)


async def jedi_idle(limit: float, ctx: ServerContext | None = None) -> None:
    """Wait (at most ``limit`` seconds) until no jedi call is in flight.

    Background work such as linting waits here so that it does not take CPU
    and the GIL from the request the user is waiting for.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    # Polled: the counter is process-wide and servers may run on other loops.
    while busy(ctx) and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.005)


async def run_lint(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` on the linter pool."""
    loop = asyncio.get_running_loop()
    call = functools.partial(fn, *args, **kwargs)
    return await loop.run_in_executor(lint_executor(), call)
