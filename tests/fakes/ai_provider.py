"""A real HTTP fake of model providers on 127.0.0.1, for tests and benchmarks.

Speaks the OpenAI completions and chat wire formats (streaming and not),
Codestral's FIM endpoint and Ollama's ``/api/generate``. It records every
request body and when each connection opened, finished or was closed by the
client, so tests can assert what a route sends and that cancellation really
closes the upstream connection. It runs its own event loop in a thread, so
sync benchmarks, async tests and separate language-server processes can all
use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Responder = Callable[["Recorded"], str]


@dataclass
class Recorded:
    """One request as the fake saw it."""

    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    received_at: float
    finished_at: float | None = None  # the fake sent the whole response
    closed_at: float | None = None  # the client hung up before the end

    @property
    def prompt(self) -> str:
        return str(self.body.get("prompt", ""))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))


@dataclass
class FakeProvider:
    """Configurable fake; change the attributes between requests."""

    text: str = "return 42"
    responder: Responder | None = None
    delay: float = 0.0  # seconds before the first byte of the body
    chunk_delay: float = 0.0  # seconds between streamed chunks
    chunk_size: int = 4  # characters per streamed chunk
    status: int = 200
    error_body: str = '{"error": {"message": "fake failure", "type": "server_error"}}'
    requests: list[Recorded] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: asyncio.Server | None = None
    _in_flight: int = 0
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)
    max_in_flight: int = 0
    connections: int = 0  # TCP connections accepted (keep-alive reuse shows here)

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> FakeProvider:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._server = loop.run_until_complete(
                asyncio.start_server(self._handle, self.host, self.port)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(
            target=run, name="fake-ai-provider", daemon=True
        )
        self._thread.start()
        ready.wait(5)
        return self

    def stop(self) -> None:
        loop, server = self._loop, self._server
        if loop is None or server is None:
            return

        async def shutdown() -> None:
            server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for writer in list(self._writers):
                writer.close()
                with contextlib.suppress(Exception):
                    await writer.wait_closed()
            await server.wait_closed()
            await asyncio.sleep(0.01)  # let transports finish closing

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL without a path, e.g. for Ollama's native API."""
        return f"http://{self.host}:{self.port}"

    @property
    def v1(self) -> str:
        """OpenAI-compatible base URL."""
        return f"{self.url}/v1"

    def generations(self) -> list[Recorded]:
        """The requests that asked for text (not Ollama's ``/api/show``)."""
        return [r for r in self.requests if r.path != "/api/show"]

    def reset(self) -> None:
        self.requests.clear()
        self.max_in_flight = 0
        self.connections = 0

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Recorded]:
        """Block until ``count`` requests have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.002)
        return self.requests

    async def arrived(self, count: int, within: float = 5.0) -> list[Recorded]:
        """Like ``wait_for``, without blocking the caller's event loop."""
        deadline = time.monotonic() + within
        while len(self.requests) < count and time.monotonic() < deadline:  # noqa: ASYNC110 - another thread appends
            await asyncio.sleep(0.001)
        return self.requests

    # -- HTTP ----------------------------------------------------------------

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._writers.add(writer)
        self.connections += 1
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # client went away, or the fake is shutting down
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        _method, target, _version = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        raw = await reader.readexactly(int(headers.get("content-length", "0")))
        body = json.loads(raw) if raw else {}
        rec = Recorded(target.split("?")[0], body, headers, time.monotonic())
        self.requests.append(rec)
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        # The client hanging up shows as EOF on the reader; watch for it
        # while we "think" and stream, and note the moment.
        hangup = asyncio.ensure_future(reader.read(1))
        try:
            done = await self._respond(rec, writer, hangup)
        except ConnectionError:
            done = False  # the client hung up while we were writing
        finally:
            self._in_flight -= 1
        if not done:
            rec.closed_at = time.monotonic()
            return False
        rec.finished_at = time.monotonic()
        if hangup.done():  # EOF, or a pipelined request (clients here never do)
            return False
        hangup.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await hangup
        return headers.get("connection", "").lower() != "close"

    async def _pause(self, seconds: float, hangup: asyncio.Future[bytes]) -> bool:
        """Sleep, returning False early if the client hangs up."""
        if seconds <= 0:
            return not hangup.done()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(hangup), seconds)
        return not hangup.done()

    async def _respond(
        self, rec: Recorded, writer: asyncio.StreamWriter, hangup: asyncio.Future[bytes]
    ) -> bool:
        # Read the knobs once: changing them affects only later requests.
        delay, chunk_delay, size = self.delay, self.chunk_delay, self.chunk_size
        if not await self._pause(delay, hangup):
            return False
        if self.status != 200:
            await self._send(writer, self.status, "application/json", self.error_body)
            return True
        if rec.path == "/api/show":  # litellm asks Ollama about the model
            show = {"template": "", "parameters": "", "details": {}, "model_info": {}}
            await self._send(writer, 200, "application/json", json.dumps(show))
            return True
        text = self.responder(rec) if self.responder else self.text
        stream = bool(rec.body.get("stream"))
        if not stream:
            payload = _whole(rec, text)
            await self._send(writer, 200, "application/json", json.dumps(payload))
            return True
        ollama = rec.path == "/api/generate"
        ctype = "application/x-ndjson" if ollama else "text/event-stream"
        writer.write(
            f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n"
            "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n".encode()
        )
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        for index, piece in enumerate(pieces):
            if index and not await self._pause(chunk_delay, hangup):
                return False
            await _chunk(writer, _stream_event(rec, piece, final=False))
        await _chunk(writer, _stream_event(rec, "", final=True))
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True

    async def _send(
        self, writer: asyncio.StreamWriter, status: int, ctype: str, body: str
    ) -> None:
        data = body.encode()
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n".encode()
            + data
        )
        await writer.drain()


async def _chunk(writer: asyncio.StreamWriter, data: str) -> None:
    raw = data.encode()
    writer.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
    await writer.drain()


def _whole(rec: Recorded, text: str) -> dict[str, Any]:
    model = rec.body.get("model", "fake")
    if rec.path == "/api/generate":
        return {"model": model, "response": text, "done": True, "done_reason": "stop"}
    usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    if rec.path.endswith("/chat/completions"):
        message = {"role": "assistant", "content": text}
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [choice],
            "usage": usage,
        }
    choice = {"index": 0, "text": text, "finish_reason": "stop", "logprobs": None}
    if rec.path.endswith("/fim/completions"):  # Codestral answers chat-shaped
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": "stop",
        }
    return {
        "id": "cmpl-fake",
        "object": "text_completion",
        "created": 0,
        "model": model,
        "choices": [choice],
        "usage": usage,
    }


def _stream_event(rec: Recorded, piece: str, *, final: bool) -> str:
    model = rec.body.get("model", "fake")
    if rec.path == "/api/generate":
        line = {"model": model, "response": piece, "done": final}
        if final:
            line["done_reason"] = "stop"
        return json.dumps(line) + "\n"
    reason = "stop" if final else None
    if rec.path.endswith("/chat/completions") or rec.path.endswith("/fim/completions"):
        delta = {} if final else {"role": "assistant", "content": piece}
        choice: dict[str, Any] = {"index": 0, "delta": delta, "finish_reason": reason}
        obj = "chat.completion.chunk"
    else:
        choice = {"index": 0, "text": piece, "finish_reason": reason, "logprobs": None}
        obj = "text_completion"
    event = {
        "id": "fake",
        "object": obj,
        "created": 0,
        "model": model,
        "choices": [choice],
    }
    tail = "data: [DONE]\n\n" if final else ""
    return f"data: {json.dumps(event)}\n\n{tail}"


@contextlib.contextmanager
def running(**kwargs: Any) -> Iterator[FakeProvider]:
    """``with running(text="x") as fake:`` starts and stops a fake."""
    fake = FakeProvider(**kwargs).start()
    try:
        yield fake
    finally:
        fake.stop()
