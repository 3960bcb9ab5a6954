"""The client side of a connection: a `Protocol`, so FastAPI's WebSocket and
test fakes both fit, and its implementation over an accepted WebSocket."""

from __future__ import annotations

import contextlib
from typing import Protocol

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect


class Transport(Protocol):
    """One browser connection carrying one JSON-RPC message per text frame."""

    async def recv(self) -> str | bytes | None:
        """The next frame (bytes for a binary one), or None once the client left."""
        ...

    async def send(self, text: str) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


class WebSocketTransport:
    """`Transport` over an accepted Starlette/FastAPI WebSocket."""

    def __init__(self, websocket: WebSocket) -> None:
        self.ws = websocket

    async def recv(self) -> str | bytes | None:
        try:
            event = await self.ws.receive()
        except (RuntimeError, OSError, WebSocketDisconnect):
            return None
        if event["type"] == "websocket.disconnect":
            return None
        text = event.get("text")
        return text if text is not None else bytes(event.get("bytes") or b"")

    async def send(self, text: str) -> None:
        await self.ws.send_text(text)

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            await self.ws.close(code=code, reason=reason[:120])
