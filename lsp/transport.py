"""Byte-stream transports (stdio, TCP) that survive malformed input.

pygls's own reader loses its place after a wrong ``Content-Length`` and never
answers requests with invalid params; this framing resynchronises on the next
header and hands each body to ``lsp.rpc.dispatch``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from lsp import fastinit, ruff_tool

if TYPE_CHECKING:
    from lsp.server import DevSyncServer

log = logging.getLogger(__name__)

HEADER = re.compile(rb"Content-Length:[ \t]*(\d+)[ \t]*\r?\n", re.IGNORECASE)
MAX_BODY = 512 * 1024 * 1024


class Framer:
    """Split a byte stream into message bodies, skipping garbage.

    A raw ``Content-Length:`` line cannot occur inside a valid JSON body (JSON
    strings cannot hold raw newlines), so finding one inside the announced
    body means the length was wrong: the body is cut there and reading
    resumes at that header.
    """

    def __init__(self) -> None:
        self.buf = bytearray()
        self._scan_from = 0  # where to resume looking for a header in the body

    def feed(self, data: bytes) -> list[bytes]:
        """Add bytes; return every complete body now available."""
        self.buf += data
        bodies: list[bytes] = []
        while (body := self._next()) is not None:
            bodies.append(body)
        return bodies

    def _drop(self, count: int) -> None:
        del self.buf[:count]
        self._scan_from = 0

    def _next(self) -> bytes | None:
        match = HEADER.search(self.buf)
        if match is None:
            if len(self.buf) > 64:  # keep a tail that may be a partial header
                log.warning("skipping %d bytes without a header", len(self.buf) - 64)
                self._drop(len(self.buf) - 64)
            return None
        if match.start():
            log.warning("skipping %d bytes before a header", match.start())
            self._drop(match.start())
            return self._next()
        end = self.buf.find(b"\r\n\r\n", match.start())
        limit = end if end >= 0 else len(self.buf)
        later = HEADER.search(self.buf, match.end(), limit)
        if later is not None:
            self._drop(later.start())  # a header block without its blank line
            return self._next()
        if end < 0:
            return None
        length, start = int(match.group(1)), end + 4
        if length > MAX_BODY:
            log.warning("ignoring message announcing %d bytes", length)
            self._drop(start)
            return self._next()
        scan = max(start, self._scan_from - 64)
        cut = HEADER.search(self.buf, scan, start + length)
        if cut is not None:
            log.warning("Content-Length %d too long; resynchronising", length)
            body = bytes(self.buf[start : cut.start()])
            self._drop(cut.start())
            return body
        if len(self.buf) < start + length:
            self._scan_from = len(self.buf)
            return None
        body = bytes(self.buf[start : start + length])
        self._drop(start + length)
        return body


def _load() -> Callable[[], DevSyncServer]:
    """Import the server (slow: lsprotocol) off the event loop thread."""
    from lsp.server import create_server

    return create_server


async def serve(
    read: Callable[[], Awaitable[bytes]],
    attach: Callable[[DevSyncServer], None],
    write: Callable[[bytes], object],
) -> int:
    """Serve one client until EOF or ``exit``; return the exit code.

    While the server module loads, the first ``initialize`` is answered by
    ``lsp.fastinit`` and later messages wait; then everything is replayed to
    the real server in order.
    """
    loop = asyncio.get_running_loop()
    ruff = ruff_tool.ruff_binary() is not None
    framer = Framer()
    queued: list[bytes] = []
    answered: list[object] = []
    pending_read: asyncio.Future[bytes] | None = None
    # Loading competes for the GIL, so it starts once initialize is answered
    # (or after a short wait for a client that is slow to send it).
    loading: asyncio.Future[Callable[[], DevSyncServer]] | None = None
    start_by = loop.time() + 0.05
    while loading is None or not loading.done():
        pending_read = pending_read or asyncio.ensure_future(read())
        waits: set[asyncio.Future[Any]] = {pending_read}
        if loading is not None:
            waits.add(loading)
        timeout = None if loading else max(0.0, start_by - loop.time())
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if pending_read.done():
            data = pending_read.result()
            pending_read = None
            if not data:
                if loading is not None:
                    loading.cancel()
                return 1
            for body in framer.feed(data):
                if not queued:
                    reply = fastinit.answer(body, ruff)
                    if reply is not None:
                        write(reply[0])
                        answered.append(reply[1])
                queued.append(body)
        if loading is None and (queued or loop.time() >= start_by):
            loading = loop.run_in_executor(None, _load)
    server = (await loading)()
    from lsp.rpc import dispatch  # loaded with the server by now

    attach(server)
    server.rpc.suppress_ids.update(answered)
    stopped = asyncio.Event()
    server.exit_callbacks.append(stopped.set)
    for body in queued:
        dispatch(server.rpc, body)
    while not stopped.is_set():
        data = await (pending_read or read())
        pending_read = None
        if not data:
            break
        for body in framer.feed(data):
            dispatch(server.rpc, body)
            if stopped.is_set():
                break
    server.shutdown()  # type: ignore[no-untyped-call]
    if server.exit_code is not None:
        return server.exit_code
    return 0 if server.rpc._shutdown else 1


def _stdin_reader(stdin: BinaryIO) -> Callable[[], Awaitable[bytes]]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    fd = stdin.fileno()

    def pump() -> None:
        while True:
            try:
                data = os.read(fd, 1 << 16)
            except OSError:
                data = b""
            loop.call_soon_threadsafe(queue.put_nowait, data)
            if not data:
                return

    threading.Thread(target=pump, name="stdin", daemon=True).start()
    return queue.get


async def serve_stdio(stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Serve one client on stdin/stdout."""

    def write(data: bytes) -> None:
        stdout.write(data)
        stdout.flush()

    def attach(server: DevSyncServer) -> None:
        from pygls.io_ import StdoutWriter

        server.protocol.set_writer(StdoutWriter(stdout))

    return await serve(_stdin_reader(stdin), attach, write)


async def serve_tcp(host: str, port: int, ready: Callable[[int], None]) -> None:
    """Serve TCP clients forever, each with its own fresh server instance."""

    async def connection(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        def attach(server: DevSyncServer) -> None:
            server.protocol.set_writer(writer)

        try:
            await serve(lambda: reader.read(1 << 16), attach, writer.write)
        finally:
            writer.close()

    tcp = await asyncio.start_server(connection, host, port)
    ready(tcp.sockets[0].getsockname()[1])
    async with tcp:
        await tcp.serve_forever()
