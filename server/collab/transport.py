"""The transport a room talks through: FastAPI's WebSocket and test fakes both fit.

A transport may also offer `raw`, a `FrameWriter` that takes ready-encoded
WebSocket frames without awaiting (see `server.collab.rawws`); a peer then
writes the room's broadcasts through it instead of queueing them for `send`.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

from starlette.websockets import WebSocket, WebSocketDisconnect

from server.collab.rawws import RAW_FRAMES


class TransportClosed(Exception):
    """The other side went away."""


class FrameWriter(Protocol):
    """Synchronous writes of whole, ready-encoded WebSocket frames."""

    def write(self, frame: bytes) -> bool:
        """Queue `frame` for the socket; False once the connection is closing."""
        ...

    def buffered(self) -> int:
        """Bytes written but not yet sent."""
        ...


class Transport(Protocol):
    """One client connection carrying binary y-websocket frames."""

    @property
    def path(self) -> str: ...

    async def send(self, message: bytes) -> None: ...

    async def recv(self) -> bytes:
        """The next binary frame; raises `TransportClosed` when the peer left."""
        ...

    async def close(self, code: int, reason: str) -> None: ...


class WebSocketTransport:
    """`Transport` over an accepted Starlette/FastAPI WebSocket."""

    def __init__(self, websocket: WebSocket) -> None:
        self._ws = websocket
        self._closed = False
        extensions = websocket.scope.get("extensions") or {}
        self.raw: FrameWriter | None = extensions.get(RAW_FRAMES)

    @property
    def path(self) -> str:
        return self._ws.url.path

    async def send(self, message: bytes) -> None:
        if self._closed:
            raise TransportClosed
        try:
            await self._ws.send_bytes(message)
        except (WebSocketDisconnect, RuntimeError, OSError) as exc:
            self._closed = True
            raise TransportClosed from exc

    async def recv(self) -> bytes:
        while True:
            try:
                event = await self._ws.receive()
            except (RuntimeError, OSError) as exc:
                self._closed = True
                raise TransportClosed from exc
            if event["type"] == "websocket.disconnect":
                self._closed = True
                raise TransportClosed
            data = event.get("bytes")
            if data is not None:
                return bytes(data)
            text = event.get("text")
            if text is not None:  # y-websocket never sends text; treat as bytes
                return str(text).encode()

    async def close(self, code: int, reason: str) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(RuntimeError, OSError):
            await self._ws.close(code=code, reason=reason[:120])
