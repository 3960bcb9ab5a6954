"""Uvicorn's WebSocket protocol, plus direct frame writes for the broadcast path.

A room sends the same message to every client. Through ASGI each copy costs a
task wake-up, Starlette's and uvicorn's `send` coroutines and websockets'
frame serialisation; with 100 clients that is most of the server's time per
update. Server-to-client frames are not masked, so one encoded frame is the
same bytes for every client: `RawFrames` writes it to each connection's socket
without awaiting anything.

The connection is still uvicorn's in every other respect (handshake, reading,
ping/pong, closing with a code and reason through ASGI). Writes stop once a
close was sent or the connection is going away. `devsync serve` runs uvicorn
with `DevSyncWebSocketProtocol`; under any other server (or Starlette's test
client) the extension is absent and the room falls back to ASGI sends.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import (
    WebSocketsSansIOProtocol,
)

RAW_FRAMES = "devsync.raw_frames"


def binary_frame(message: bytes) -> bytes:
    """`message` as one unfragmented, unmasked binary WebSocket frame (RFC 6455)."""
    size = len(message)
    if size < 126:
        return bytes((0x82, size)) + message
    if size < 0x10000:
        return b"\x82\x7e" + size.to_bytes(2, "big") + message
    return b"\x82\x7f" + size.to_bytes(8, "big") + message


class RawFrames:
    """Writes ready-encoded frames straight to one open connection."""

    __slots__ = ("_proto",)

    def __init__(self, proto: WebSocketsSansIOProtocol) -> None:
        self._proto = proto

    def write(self, frame: bytes) -> bool:
        """Queue `frame` on the socket; False once the connection is closing."""
        proto = self._proto
        if (
            proto.close_sent
            or proto.disconnected
            or not proto.handshake_complete
            or proto.transport.is_closing()
        ):
            return False
        proto.transport.write(frame)
        return True

    def buffered(self) -> int:
        """Bytes written but not yet taken by the kernel (what a slow reader owes)."""
        return self._proto.transport.get_write_buffer_size()


class DevSyncWebSocketProtocol(WebSocketsSansIOProtocol):
    """Uvicorn's default (websockets sans-I/O) protocol, offering `RawFrames`
    to the application in the scope's extensions."""

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        # The ASGI task was created but has not run yet. If a uvicorn release
        # renamed the state RawFrames reads, the room just uses ASGI sends.
        if scope is not None and all(hasattr(self, name) for name in _STATE):
            extensions: dict[str, Any] = scope.setdefault("extensions", {})
            extensions[RAW_FRAMES] = RawFrames(self)


_STATE = ("close_sent", "disconnected", "handshake_complete", "transport")
