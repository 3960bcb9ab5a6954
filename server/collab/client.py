"""A y-websocket client on pycrdt: joins a room as one more Yjs peer.

Used by the language server's session peer, the end-to-end tests and the
benchmark. Local edits are sent as they are made; remote updates are applied
as they arrive; `on_frame` sees every frame with its arrival time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

from pycrdt import Doc, Text
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from server.collab import protocol as p


class YClient:
    """One connection to `url` (`ws://host/collab/{project}/{path}?token=...`)."""

    def __init__(
        self, url: str, *, on_frame: Callable[[bytes, float], None] | None = None
    ):
        self.url = url
        self.doc: Doc[Text] = Doc()
        self.text = self.doc.get("content", type=Text)
        self.awareness: dict[int, dict[str, Any]] = {}
        self.synced = asyncio.Event()
        self.denied: list[str] = []
        self.on_frame = on_frame
        self.close_code: int | None = None
        self.close_reason = ""
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._clock = 0
        self._activity = asyncio.Event()
        self.closed = asyncio.Event()

    async def connect(self, within: float = 10.0) -> YClient:
        self._ws = await connect(self.url, max_size=None, open_timeout=within)
        self._reader = asyncio.get_running_loop().create_task(self._read())
        await self._send_now(p.sync_step1(self.doc.get_state()))
        return self

    async def wait_synced(self, within: float = 10.0) -> None:
        await asyncio.wait_for(self.synced.wait(), within)

    async def until(self, predicate: Callable[[], bool], within: float = 30.0) -> None:
        """Wait until `predicate()` holds, re-checking after every frame."""
        async with asyncio.timeout(within):
            while not predicate():
                if self.closed.is_set():
                    raise ConnectionError(
                        f"closed: {self.close_code} {self.close_reason}"
                    )
                self._activity.clear()
                await self._activity.wait()

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for frame in self._ws:
                if isinstance(frame, str):
                    continue
                self._handle(frame)
                if self.on_frame is not None:
                    self.on_frame(frame, time.perf_counter())
                self._activity.set()
        except ConnectionClosed:
            pass
        finally:
            if self._ws.close_code is not None:
                self.close_code = self._ws.close_code
                self.close_reason = self._ws.close_reason or ""
            self.closed.set()
            self._activity.set()

    def _handle(self, frame: bytes) -> None:
        msg = p.parse(frame)
        if msg.type == p.MSG_SYNC:
            if msg.sync_type == p.SYNC_STEP1:
                self._send(p.sync_step2(self.doc.get_update(msg.payload)))
            else:
                self.doc.apply_update(msg.payload)
                if msg.sync_type == p.SYNC_STEP2:
                    self.synced.set()
        elif msg.type == p.MSG_AWARENESS:
            for entry in p.parse_awareness(msg.payload):
                if entry.state == "null":
                    self.awareness.pop(entry.client_id, None)
                else:
                    self.awareness[entry.client_id] = json.loads(entry.state)
        elif msg.type == p.MSG_AUTH:
            self.denied.append(msg.payload[2:].decode(errors="replace"))

    def _send(self, frame: bytes) -> None:
        if self._ws is None:
            return
        task = asyncio.get_running_loop().create_task(self._send_now(frame))
        task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)

    async def _send_now(self, frame: bytes) -> None:
        assert self._ws is not None
        with contextlib.suppress(ConnectionClosed):
            await self._ws.send(frame)

    async def send_raw(self, frame: bytes) -> None:
        await self._send_now(frame)

    async def edit(self, fn: Callable[[Text], None]) -> bytes:
        """Apply `fn` to the text in one transaction and send the update."""
        before = self.doc.get_state()
        with self.doc.transaction():
            fn(self.text)
        update = self.doc.get_update(before)
        await self._send_now(p.update_message(update))
        return update

    async def insert(self, index: int, value: str) -> bytes:
        return await self.edit(lambda t: t.insert(index, value))

    async def set_awareness(self, state: dict[str, Any] | None) -> None:
        self._clock += 1
        raw = "null" if state is None else json.dumps(state)
        entry = p.AwarenessEntry(self.doc.client_id, self._clock, raw)
        await self._send_now(p.awareness_message(p.encode_awareness([entry])))

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def __aenter__(self) -> YClient:
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
