"""A raw JSON-RPC-over-WebSocket client for the bridge's security tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed


class RawClient:
    """Sends frames as given and records every frame received."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.seen: list[str] = []
        self.next_id = 0

    @classmethod
    async def open(cls, url: str, **kwargs: Any) -> RawClient:
        return cls(await connect(url, max_size=None, **kwargs))

    async def send(self, message: dict[str, Any] | str | bytes) -> None:
        await self.ws.send(
            message if isinstance(message, str | bytes) else json.dumps(message)
        )

    async def recv(self, wait: float = 10) -> dict[str, Any]:
        frame = await asyncio.wait_for(self.ws.recv(), wait)
        assert isinstance(frame, str), "the bridge sends text frames only"
        self.seen.append(frame)
        message: dict[str, Any] = json.loads(frame)
        return message

    async def reply_to(self, msg_id: Any, wait: float = 10) -> dict[str, Any]:
        """The response with ``msg_id``, skipping notifications and server requests."""
        while True:
            message = await self.recv(wait)
            if message.get("id") == msg_id and "method" not in message:
                return message

    async def notification(self, method: str, wait: float = 10) -> dict[str, Any]:
        while True:
            message = await self.recv(wait)
            if message.get("method") == method and "id" not in message:
                return message

    async def request(self, method: str, params: Any = None) -> dict[str, Any]:
        self.next_id += 1
        await self.send(
            {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        )
        return await self.reply_to(self.next_id)

    async def notify(self, method: str, params: Any = None) -> None:
        await self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def initialize(self) -> dict[str, Any]:
        result = await self.request(
            "initialize", {"capabilities": {}, "rootUri": "devsync:///"}
        )
        await self.notify("initialized", {})
        return result

    async def open_doc(self, rel: str, text: str) -> str:
        uri = f"devsync:///{rel}"
        doc = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        await self.notify("textDocument/didOpen", {"textDocument": doc})
        return uri

    async def closed(self, wait: float = 10) -> tuple[int, str]:
        """Wait for the server to close; (code, reason)."""
        try:
            while True:
                frame = await asyncio.wait_for(self.ws.recv(), wait)
                self.seen.append(str(frame))
        except ConnectionClosed as exc:
            rcvd = exc.rcvd
        assert rcvd is not None, "closed without a close frame"
        return rcvd.code, rcvd.reason

    async def close(self) -> None:
        await self.ws.close()
