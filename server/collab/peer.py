"""One connected client: its identity, its role, and its outgoing messages.

A room never awaits a client's socket. When the transport takes raw frames
(`devsync serve`), the room encodes each broadcast frame once and every peer
writes those same bytes to its socket at once: no queue, no task wake-up per
message. Otherwise (other ASGI servers, tests) the message goes into a
bounded queue that the peer's sender task drains.

Either way a client that does not keep up (more than `max_queue_bytes`
waiting for it) is disconnected with a close reason, never silently skipped,
so no one is left with a diverged document.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import deque
from dataclasses import dataclass

from pycrdt import merge_updates

from server.collab.awareness import Identity
from server.collab.protocol import (
    MSG_SYNC,
    SYNC_UPDATE,
    CloseCode,
    parse,
    permission_denied,
    update_message,
)
from server.collab.rawws import binary_frame
from server.collab.transport import FrameWriter, Transport, TransportClosed
from server.core.ratelimit import TokenBucket

log = logging.getLogger(__name__)
_ids = itertools.count(1)
_UPDATE_PREFIX = bytes([MSG_SYNC, SYNC_UPDATE])
MAX_MERGED = 100  # merge_updates grows superlinearly past a few hundred
SLOW = "too slow: outgoing queue overflow"


@dataclass(frozen=True, slots=True)
class PeerLimits:
    max_message_bytes: int = 4 * 1024 * 1024
    rate_per_second: float = 500.0
    rate_burst: int = 2000
    max_queue_bytes: int = 16 * 1024 * 1024


class Peer:
    """A client in a room. `can_write` is False for viewers."""

    def __init__(
        self,
        transport: Transport,
        identity: Identity,
        *,
        can_write: bool,
        session_id: int | None = None,
        token_hash: str | None = None,
        limits: PeerLimits | None = None,
    ) -> None:
        self.id = next(_ids)
        self.transport = transport
        self._raw: FrameWriter | None = getattr(transport, "raw", None)
        self.identity = identity
        self.can_write = can_write
        self.session_id = session_id
        # Digest of the token it signed in with (never the token itself), so
        # that revoking the token or signing out closes the connection.
        self.token_hash = token_hash
        self.limits = limits or PeerLimits()
        self.bucket = TokenBucket(self.limits.rate_per_second, self.limits.rate_burst)
        self.close_code: int | None = None
        self.close_reason = ""
        self.denied_notice_sent = False
        self._queue: deque[bytes] = deque()
        self._queued_bytes = 0
        self._wakeup = asyncio.Event()
        self._sender: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    def __repr__(self) -> str:
        return f"Peer({self.id}, user={self.identity.user_id})"

    def start(self) -> None:
        self._sender = asyncio.get_running_loop().create_task(self._send_loop())

    def send(self, message: bytes, frame: bytes | None = None) -> None:
        """Send `message` to this client, without waiting. `frame` is the same
        message already encoded as a WebSocket frame, when the caller has it."""
        if self.close_code is not None:
            return
        raw = self._raw
        if raw is not None:
            # False: the connection is closing, and its reader ends the peer.
            written = raw.write(binary_frame(message) if frame is None else frame)
            if written and raw.buffered() > self.limits.max_queue_bytes:
                self.kick(CloseCode.SLOW_CONSUMER, SLOW)
            return
        size = len(message)
        if self._queued_bytes + size > self.limits.max_queue_bytes:
            self.kick(CloseCode.SLOW_CONSUMER, SLOW)
            return
        self._queue.append(message)
        self._queued_bytes += size
        self._wakeup.set()

    def revoke_write(self, notice: str) -> None:
        """From now on this client's updates are refused; it is told why."""
        if not self.can_write:
            return
        log.info("%r is read-only from now on", self)
        self.can_write = False
        self.denied_notice_sent = True
        self.send(permission_denied(notice))

    def kick(self, code: int, reason: str) -> None:
        """Disconnect this client with `code` and a reason it can show."""
        if self.close_code is not None:
            return
        log.info("closing %r: %s %s", self, code, reason)
        self.close_code = code
        self.close_reason = reason
        self._queue.clear()
        self._queued_bytes = 0
        self._wakeup.set()

    async def _send_loop(self) -> None:
        try:
            while self.close_code is None:
                await self._wakeup.wait()
                self._wakeup.clear()
                while self._queue and self.close_code is None:
                    await self.transport.send(self._next_frame())
        except TransportClosed:
            self.close_code = self.close_code or CloseCode.GOING_AWAY
        finally:
            if self.close_code is not None and self.close_code != CloseCode.GOING_AWAY:
                await self.transport.close(self.close_code, self.close_reason)
            self.closed.set()

    def _next_frame(self) -> bytes:
        """The next frame to send: queued document updates that follow each
        other go out merged into one, so a client that fell behind catches up
        with one frame instead of hundreds (fewer syscalls when it matters)."""
        message = self._queue.popleft()
        self._queued_bytes -= len(message)
        if not message.startswith(_UPDATE_PREFIX):
            return message
        run = [message]
        while self._queue and self._queue[0].startswith(_UPDATE_PREFIX):
            if len(run) >= MAX_MERGED:
                break
            following = self._queue.popleft()
            self._queued_bytes -= len(following)
            run.append(following)
        if len(run) == 1:
            return message
        try:
            merged = merge_updates(*(parse(m).payload for m in run))
        except ValueError:  # never expected: every update was decoded before
            log.exception("merging updates for %r failed", self)
            for later in reversed(run[1:]):
                self._queue.appendleft(later)
                self._queued_bytes += len(later)
            return message
        return update_message(merged)

    async def stop(self) -> None:
        """Stop the sender task (the transport is closed if the peer was kicked)."""
        if self.close_code is None:
            self.close_code = CloseCode.GOING_AWAY
            self._wakeup.set()
        if self._sender is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._sender), timeout=5)
            if not self._sender.done():
                self._sender.cancel()
