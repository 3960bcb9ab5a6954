"""In-process transport and clients for room tests."""

from __future__ import annotations

import asyncio

from pycrdt import Doc, Text

from server.collab import protocol as p
from server.collab.transport import TransportClosed


class FakeTransport:
    """A `Transport` fed and read by the test."""

    def __init__(self, path: str = "/collab/1/a.txt") -> None:
        self._path = path
        self.incoming: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.sent: asyncio.Queue[bytes] = asyncio.Queue()
        self.closed: tuple[int, str] | None = None

    @property
    def path(self) -> str:
        return self._path

    async def send(self, message: bytes) -> None:
        if self.closed is not None:
            raise TransportClosed
        await self.sent.put(message)

    async def recv(self) -> bytes:
        item = await self.incoming.get()
        if item is None:
            raise TransportClosed
        return item

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)
        self.incoming.put_nowait(None)

    def feed(self, frame: bytes) -> None:
        self.incoming.put_nowait(frame)

    def drain(self) -> list[bytes]:
        out = []
        while not self.sent.empty():
            out.append(self.sent.get_nowait())
        return out


class FakeClient:
    """A pycrdt document that speaks to a room through a FakeTransport."""

    def __init__(self) -> None:
        self.transport = FakeTransport()
        self.doc: Doc[Text] = Doc()
        self.text = self.doc.get("content", type=Text)
        self.awareness: list[bytes] = []
        self.denied: list[bytes] = []
        self.transport.feed(p.sync_step1(self.doc.get_state()))  # as y-websocket does

    def edit(self, index: int, value: str) -> bytes:
        before = self.doc.get_state()
        self.text.insert(index, value)
        update = self.doc.get_update(before)
        self.transport.feed(p.update_message(update))
        return update

    def absorb(self) -> None:
        """Apply everything the server sent so far."""
        for frame in self.transport.drain():
            msg = p.parse(frame)
            if msg.type == p.MSG_SYNC and msg.sync_type == p.SYNC_STEP1:
                reply = p.sync_step2(self.doc.get_update(msg.payload))
                self.transport.feed(reply)
            elif msg.type == p.MSG_SYNC:
                self.doc.apply_update(msg.payload)
            elif msg.type == p.MSG_AWARENESS:
                self.awareness.append(msg.payload)
            elif msg.type == p.MSG_AUTH:
                self.denied.append(frame)


async def settle(seconds: float = 0.05) -> None:
    await asyncio.sleep(seconds)
