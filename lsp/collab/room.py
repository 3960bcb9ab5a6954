"""One y-websocket connection per session document, reconnecting with backoff.

Speaks the standard protocol with pycrdt's helpers. Updates from the room go
to ``sink`` (the document's ``TextSync``) once it is attached; before that
they are applied to the doc directly. Local updates made while disconnected
stay in the doc and reach the room in the sync exchange on reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from pycrdt import (
    Awareness,
    Decoder,
    Doc,
    Text,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    create_sync_message,
    create_update_message,
    handle_sync_message,
)
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

log = logging.getLogger(__name__)

FINAL_CODES = {4401: "not signed in", 4403: "no access", 4404: "not found", 4410: ""}
EMPTY_UPDATE = b"\x00\x00"


class Room:
    """The Yjs peer for one document: ``doc``, its ``text`` and ``awareness``."""

    def __init__(
        self,
        url: str,
        token: str,
        on_state: Callable[[Room, str, str], None],
        on_awareness: Callable[[Room], None],
    ) -> None:
        self.url, self.token = url, token
        self.doc: Doc[Any] = Doc()
        self.text = self.doc.get("content", type=Text)
        self.awareness = Awareness(self.doc)
        self.synced = asyncio.Event()
        self.state = "connecting"
        self.sink: Callable[[bytes], None] | None = None
        self.offline_updates = 0
        self.read_only = False
        self._on_state, self._on_awareness = on_state, on_awareness
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Say goodbye (awareness null) and close."""
        self._stopped = True
        if self._ws is not None:
            self.awareness.set_local_state(None)
            with contextlib.suppress(Exception):
                await self._ws.send(self._awareness_frame())
                await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def _set(self, state: str, detail: str = "") -> None:
        self.state = state
        self._on_state(self, state, detail)

    async def _run(self) -> None:
        delay = 0.2
        while not self._stopped:
            code, reason = None, ""
            try:
                async with connect(
                    self.url,
                    additional_headers={"Authorization": f"Bearer {self.token}"},
                    max_size=None,
                    open_timeout=10,
                ) as ws:
                    self._ws = ws
                    await ws.send(create_sync_message(self.doc))
                    await ws.send(self._awareness_frame())
                    delay = 0.2
                    async for frame in ws:
                        if isinstance(frame, bytes):
                            self._handle(frame)
                code, reason = ws.close_code, ws.close_reason or ""
            except InvalidStatus as exc:
                code = exc.response.status_code
            except (OSError, ConnectionClosed, TimeoutError) as exc:
                log.info("room %s: %s", self.url.split("?")[0], exc)
            finally:
                self._ws = None
            if self._stopped:
                return
            if code in FINAL_CODES:
                self._set("closed", reason or FINAL_CODES[code])
                return
            self._set("reconnecting", reason)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _handle(self, frame: bytes) -> None:
        if frame[0] == YMessageType.SYNC:
            kind, payload = frame[1], Decoder(frame[2:]).read_message() or b""
            if kind == YSyncMessageType.SYNC_STEP1:
                reply = handle_sync_message(frame[1:], self.doc)
                if reply is not None:
                    self._send(reply)
                return
            if payload != EMPTY_UPDATE:
                if self.sink is not None:
                    self.sink(payload)
                else:
                    self.doc.apply_update(payload)
            if kind == YSyncMessageType.SYNC_STEP2:
                self.offline_updates = 0
                self.synced.set()
                self._set("connected")
        elif frame[0] == YMessageType.AWARENESS:
            payload = Decoder(frame[1:]).read_message() or b""
            self.awareness.apply_awareness_update(payload, "remote")
            self._on_awareness(self)
        elif frame[0] == 2:  # y-websocket auth: permission denied
            self.read_only = True
            log.warning("room %s is read-only for us", self.url.split("?")[0])

    def _send(self, frame: bytes) -> None:
        ws = self._ws
        if ws is None:
            return
        task = asyncio.get_running_loop().create_task(ws.send(frame))
        task.add_done_callback(_quiet)

    def send_update(self, update: bytes) -> None:
        """A local update; kept in the doc (and counted) while offline."""
        if self._ws is None or self.state != "connected":
            self.offline_updates += 1
        self._send(create_update_message(update))

    def _awareness_frame(self) -> bytes:
        update = self.awareness.encode_awareness_update([self.awareness.client_id])
        return create_awareness_message(update)

    def set_presence(self, state: dict[str, Any]) -> None:
        """Publish our awareness state (cursor, selection)."""
        self.awareness.set_local_state(state)
        self._send(self._awareness_frame())


def _quiet(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()  # a closed socket: the reconnect loop handles it
