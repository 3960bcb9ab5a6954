"""The analysis worker process: runs jedi for ``lsp.analysis.AnalysisPool``.

Started as ``python -m lsp.analysis_worker``; reads length-prefixed pickled
jobs on stdin and writes replies on stdout, one job at a time. It mirrors, per
bridged connection, what the feature methods read from their ``ServerContext``
(root, options, URI mapper, client capabilities) and the documents' text, and
runs the very feature methods the thread backend runs. Results leave as
lsprotocol objects; jedi's own objects stay here (the completion feature keeps
its last list for ``completionItem/resolve``, so a connection always comes back
to the same worker).
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import struct
import sys
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import IO, Any

from pygls.workspace import PositionCodec

from lsp import jedi_speedups
from lsp.context import ServerContext
from lsp.documents import Snapshot

log = logging.getLogger("lsp.analysis_worker")
HEADER = struct.Struct("!I")


class CtxArg:
    """Stands for "this connection's ServerContext" in a job's arguments."""

    __slots__ = ()


@dataclass(frozen=True)
class DocArg:
    """A Snapshot in transit; ``source`` is None when the worker already has
    this (uri, version) from an earlier job of the same connection."""

    uri: str
    version: int | None
    source: str | None
    path: str | None
    encoding: Any
    language_id: str | None


@dataclass(frozen=True)
class CtxState:
    """What the feature methods read from the connection's ServerContext."""

    root_path: str | None
    options: Any
    mapper: Any
    capabilities: Any


@dataclass
class _Connection:
    ctx: ServerContext
    features: dict[type[Any], Any] = field(default_factory=dict)
    docs: dict[str, Snapshot] = field(default_factory=dict)


def read_message(stream: IO[bytes]) -> Any:
    """One pickled message, or None at end of stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)


def write_message(stream: IO[bytes], message: Any) -> None:
    """Write one pickled message and flush."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


class Worker:
    """Per-connection mirrors of the server state, and the job runner."""

    def __init__(self) -> None:
        self.connections: dict[int, _Connection] = {}
        self.projects: dict[Any, Any] = {}  # jedi Projects shared by connections

    def _connection(self, conn: int, state: CtxState | None) -> _Connection:
        entry = self.connections.get(conn)
        if entry is None:
            server = SimpleNamespace(protocol=SimpleNamespace(client_capabilities=None))
            ctx = ServerContext(server)  # type: ignore[arg-type]
            entry = self.connections[conn] = _Connection(ctx)
        if state is not None:
            ctx = entry.ctx
            ctx.root_path, ctx.options, ctx.mapper = (
                state.root_path,
                state.options,
                state.mapper,
            )
            protocol: Any = ctx.server.protocol
            protocol.client_capabilities = state.capabilities
        return entry

    def _snapshot(self, entry: _Connection, doc: DocArg) -> Snapshot:
        if doc.source is None:
            known = entry.docs.get(doc.uri)
            if known is None or known.version != doc.version:
                raise RuntimeError(f"analysis worker lost {doc.uri} v{doc.version}")
            return known
        snap = Snapshot(
            uri=doc.uri,
            version=doc.version,
            source=doc.source,
            lines=doc.source.splitlines(keepends=True),
            path=doc.path,
            codec=PositionCodec(doc.encoding),
            language_id=doc.language_id,
        )
        entry.docs[doc.uri] = snap
        return snap

    def _arg(self, entry: _Connection, value: Any) -> Any:
        if isinstance(value, CtxArg):
            return entry.ctx
        if isinstance(value, DocArg):
            return self._snapshot(entry, value)
        return value

    def call(
        self,
        conn: int,
        state: CtxState | None,
        target: tuple[str, str, str | None],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        """Run one feature method (or module function) for ``conn``."""
        entry = self._connection(conn, state)
        module_name, qualname, method = target
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        if method is not None:  # a Feature subclass: one instance per connection
            instance = entry.features.get(obj)
            if instance is None:
                instance = entry.features[obj] = obj(entry.ctx)
            obj = getattr(instance, method)
        ctx = entry.ctx
        opts = ctx.options
        key = (ctx.root_path, getattr(opts, "python", None), opts.extra_paths)
        if ctx.project is None and key in self.projects:
            ctx.project, ctx.project_key = self.projects[key], key
        real = tuple(self._arg(entry, a) for a in args)
        try:
            return obj(*real, **{k: self._arg(entry, v) for k, v in kwargs.items()})
        finally:
            if ctx.project is not None and ctx.project_key is not None:
                self.projects.setdefault(ctx.project_key, ctx.project)

    def forget(self, conn: int) -> None:
        """A connection closed: drop its documents and feature state."""
        self.connections.pop(conn, None)


def _reply_error(exc: BaseException) -> BaseException:
    """The exception itself if it crosses the pipe, else a plain copy."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def main() -> int:
    """Serve jobs until stdin closes."""
    logging.basicConfig(
        level=os.environ.get("DEVSYNC_LOG_LEVEL", "warning").upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s analysis[%(process)d] %(name)s: %(message)s",
    )
    # Replies own the real stdout; anything printed by accident goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    stdin = sys.stdin.buffer
    worker = Worker()
    jedi_speedups.tune_gc()
    heap = jedi_speedups.HeapPolicy()
    while True:
        message = read_message(stdin)
        if message is None:
            return 0
        kind = message[0]
        if kind == "forget":
            worker.forget(message[1])
            continue
        _, job, conn, state, target, args, kwargs = message
        write_message(out, ("start", job, None))  # see AnalysisPool: the ack
        try:
            result = worker.call(conn, state, target, args, kwargs)
        except Exception as exc:
            if not getattr(exc, "code", None):  # JSON-RPC errors are expected
                log.exception("analysis job %s failed", target)
            write_message(out, ("err", job, _reply_error(exc)))
        else:
            try:
                write_message(out, ("ok", job, result))
            except Exception as exc:
                write_message(out, ("err", job, _reply_error(exc)))
        if heap.note_call():
            heap.collect()  # the reply is out; see lsp.jedi_speedups


if __name__ == "__main__":
    # Run the imported module's main: pickled jobs name classes of
    # ``lsp.analysis_worker``, not of ``__main__``.
    from lsp import analysis_worker

    sys.exit(analysis_worker.main())
