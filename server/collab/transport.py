"""The transport a room talks through: FastAPI's WebSocket and test fakes both fit."""

from __future__ import annotations

import contextlib
from typing import Protocol

from starlette.websockets import WebSocket, WebSocketDisconnect


class TransportClosed(Exception):
    """The other side went away."""


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
