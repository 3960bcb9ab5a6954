"""One `/lsp` connection: limits, validation and URI rewriting between a
WebSocket (one JSON-RPC message per text frame) and a language-server backend.

Every way a connection ends goes through `end()`, and `run()` then frees the
backend (tasks, threads, the process) before closing the socket with a reason.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from bridge import framing, interceptors, limits, rewrite
from bridge.backend import Backend
from bridge.transport import Transport
from bridge.uris import OutsideProject, UriMap
from server.core.ratelimit import TokenBucket
from server.projects.models import Role

log = logging.getLogger(__name__)
# The user's standing now: (user id, role), or the close code to end with.
Recheck = Callable[[], Awaitable[tuple[int, Role] | int]]


class Connection:
    """Pumps one client and one backend until either side ends or a limit trips."""

    def __init__(
        self,
        transport: Transport,
        backend: Backend,
        umap: UriMap,
        role: Role,
        config: limits.BridgeLimits,
        recheck: Recheck | None = None,
    ) -> None:
        self.transport, self.backend, self.umap = transport, backend, umap
        self.role, self.limits = role, config
        self.recheck = recheck
        self.bucket = TokenBucket(config.rate_per_second, config.rate_burst)
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.needles = ("file:", *umap.secrets)

    async def run(self) -> None:
        """Serve until the end, then release every resource."""
        self.loop = asyncio.get_running_loop()
        self.thread = threading.get_ident()
        self.ended: asyncio.Future[tuple[int, str]] = self.loop.create_future()
        tasks: list[asyncio.Task[None]] = []
        try:
            await self.backend.start(self.emit, self.end)
            tasks = [
                asyncio.create_task(self._receive_loop()),
                asyncio.create_task(self._send_loop()),
            ]
            if self.recheck is not None:
                tasks.append(asyncio.create_task(self._access_loop(self.recheck)))
            code, reason = await self.ended
        except Exception:
            log.exception("bridge connection failed")
            code, reason = limits.CLOSE_SERVER_ENDED, "language server failed"
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.backend.close()
        await self.transport.close(code, reason)

    def end(self, code: int, reason: str) -> None:
        """Stop the connection (thread-safe; the first reason wins)."""
        if threading.get_ident() != self.thread:
            self.loop.call_soon_threadsafe(self.end, code, reason)
        elif not self.ended.done():
            self.ended.set_result((code, reason))

    def emit(self, text: str) -> None:
        """Queue one message for the client (thread-safe)."""
        if threading.get_ident() != self.thread:
            self.loop.call_soon_threadsafe(self.emit, text)
        elif not self.ended.done():
            if self.queue.qsize() >= self.limits.max_pending:
                self.end(limits.CLOSE_POLICY, "client is not reading its messages")
            else:
                self.queue.put_nowait(text)

    async def _receive_loop(self) -> None:
        max_bytes = self.limits.max_message_bytes
        while True:
            try:
                async with asyncio.timeout(self.limits.idle_timeout):
                    frame = await self.transport.recv()
            except TimeoutError:
                return self.end(limits.CLOSE_IDLE, "idle timeout")
            if frame is None:
                return self.end(1000, "client closed")
            if len(frame) > max_bytes or (
                isinstance(frame, str)
                and len(frame) * 4 > max_bytes
                and len(frame.encode()) > max_bytes
            ):
                return self.end(limits.CLOSE_TOO_BIG, f"message over {max_bytes} bytes")
            if not self.bucket.take():
                return self.end(limits.CLOSE_TOO_MANY, "too many messages; slow down")
            await self._handle(frame)

    async def _handle(self, frame: str | bytes) -> None:
        try:
            message = framing.parse_frame(frame)
        except framing.FrameError as exc:
            return self.emit(framing.error_response(exc.msg_id, exc.code, exc.message))
        method = message.get("method")
        if isinstance(method, str) and (why := interceptors.refusal(self.role, method)):
            return self._refuse(message, framing.REQUEST_FAILED, why)
        try:
            message = rewrite.inbound(message, self.umap)
        except OutsideProject as exc:
            return self._refuse(message, framing.INVALID_PARAMS, str(exc))
        if method == "initialize":
            message["params"] = interceptors.pin_initialize(
                message.get("params"), self.umap
            )
        await self.backend.deliver(json.dumps(message))

    def _refuse(self, message: dict[str, Any], code: int, why: str) -> None:
        if framing.is_request(message):
            self.emit(framing.error_response(message["id"], code, why))
        elif "method" in message:  # a notification cannot be answered: tell the user
            params = {"type": 1, "message": f"DevSync: {why}"}
            self.emit(
                json.dumps(
                    {"jsonrpc": "2.0", "method": "window/showMessage", "params": params}
                )
            )

    async def _access_loop(self, recheck: Recheck) -> None:
        """Hold the connection to the user's current token and role: a revoked
        or expired token, or a removed member, ends it with the same close
        codes as at the upgrade; a demoted member keeps read-only features."""
        while True:
            await asyncio.sleep(self.limits.recheck_seconds)
            try:
                outcome = await recheck()
            except Exception:
                log.exception("rechecking a bridge connection's access failed")
                continue
            if isinstance(outcome, int):
                return self.end(outcome, limits.CLOSE_REASONS[outcome])
            self.role = outcome[1]

    async def _send_loop(self) -> None:
        while True:
            text = await self.queue.get()
            if any(needle in text for needle in self.needles):
                out = rewrite.outbound_message(json.loads(text), self.umap)
                if out is None:
                    continue
                text = json.dumps(out)
            try:
                await self.transport.send(text)
            except Exception:
                return self.end(1000, "client gone")
