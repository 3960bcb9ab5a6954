"""`DevSyncWebSocketProtocol` under a real uvicorn server and a real client."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn
from websockets.asyncio.client import connect

from server.collab.rawws import RAW_FRAMES, DevSyncWebSocketProtocol, binary_frame


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_raw_frames_reach_a_client_between_asgi_messages() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        raw = scope["extensions"].get(RAW_FRAMES)
        seen["raw"] = raw
        assert (await receive())["type"] == "websocket.connect"
        assert raw is not None
        assert not raw.write(binary_frame(b"too early"))  # before the handshake
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "bytes": b"one"})
        assert raw.write(binary_frame(b"two"))
        assert raw.write(binary_frame(bytes(70000)))
        await send({"type": "websocket.send", "bytes": b"three"})
        message = await receive()
        seen["echo"] = message.get("bytes")
        await send({"type": "websocket.close", "code": 4410, "reason": "done"})
        seen["after_close"] = raw.write(binary_frame(b"late"))

    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ws=DevSyncWebSocketProtocol,
        lifespan="off",
        log_level="error",
    )
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event
                await asyncio.sleep(0.01)
        async with connect(f"ws://127.0.0.1:{port}/", max_size=None) as ws:
            got = [await ws.recv() for _ in range(4)]
            await ws.send(b"back")
            await ws.wait_closed()
            assert ws.close_code == 4410
            assert ws.close_reason == "done"
        assert got == [b"one", b"two", bytes(70000), b"three"]
        assert seen["echo"] == b"back"
        assert seen["after_close"] is False
    finally:
        server.should_exit = True
        await task
