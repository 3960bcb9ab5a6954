"""A room: one live document, its clients, and the persist-then-broadcast pipeline.

Updates from clients are validated, queued, written to the database in one
transaction per burst (group commit on the writer thread) and only then applied
to the room's document and sent to the other clients. So every update a client
can see is durable, and the room's document is always the stored state, which
is what late joiners are synced from.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType

from pycrdt import Doc, Text, get_state, merge_updates

from server.collab import protocol as p
from server.collab.awareness import AwarenessRelay
from server.collab.fanout import KIND_AWARENESS, KIND_UPDATE, RedisFanout
from server.collab.hooks import BroadcastPayload, Hooks, JoinPayload, StorePayload
from server.collab.idlewrite import IdleWriter
from server.collab.peer import MAX_MERGED, Peer
from server.collab.protocol import CloseCode, ProtocolError
from server.collab.rawws import binary_frame
from server.collab.store import DocKey
from server.collab.transport import TransportClosed

log = logging.getLogger(__name__)

Persist = Callable[[DocKey, list[bytes], set[int]], Awaitable[None]]
TextSink = Callable[[DocKey, str], Awaitable[None]]

VIEWER_NOTICE = "read-only: your role in this project is viewer; edits are not saved"


@dataclass(slots=True)
class _Pending:
    update: bytes
    message: bytes
    sender: Peer | None
    user_id: int | None


def _coalesce(batch: list[_Pending]) -> list[tuple[bytes, Peer | None]]:
    """The messages that broadcast `batch`: each run of consecutive updates
    from one sender goes out as one merged update (at most `MAX_MERGED` per
    message), to everyone but that sender. A single update is sent as the
    frame its client sent; a client catching up after a burst gets a few
    messages instead of hundreds, and the merge is done once per room, not
    per receiver."""
    out: list[tuple[bytes, Peer | None]] = []
    start = 0
    while start < len(batch):
        sender = batch[start].sender
        end = start + 1
        while (
            end < len(batch)
            and batch[end].sender is sender
            and end - start < MAX_MERGED
        ):
            end += 1
        if end - start == 1:
            out.append((batch[start].message, sender))
        else:
            try:
                merged = merge_updates(*(item.update for item in batch[start:end]))
            except ValueError:  # never expected: each update was decoded before
                log.exception("merging a batch failed; sending it unmerged")
                out.extend((item.message, sender) for item in batch[start:end])
            else:
                out.append((p.update_message(merged), sender))
        start = end
    return out


class Room:
    """One document (`key`) shared by every connected client."""

    def __init__(
        self,
        key: DocKey,
        doc: Doc[Text],
        persist: Persist,
        *,
        write_text: TextSink | None = None,
        idle_write_seconds: float = 1.0,
        max_clients: int = 200,
        hooks: Hooks | None = None,
        fanout: RedisFanout | None = None,
    ) -> None:
        self.key = key
        self.doc = doc
        self.text = doc.get("content", type=Text)
        self.peers: dict[int, Peer] = {}
        self.awareness = AwarenessRelay()
        self.hooks = hooks or Hooks()
        self.max_clients = max_clients
        self._persist = persist
        self.fanout = fanout
        sink = (lambda text: write_text(key, text)) if write_text else None
        self.file = IdleWriter(lambda: str(self.text), sink, idle_write_seconds)
        self._pending: list[_Pending] = []
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._flusher: asyncio.Task[None] | None = None
        self.updates_stored = 0

    async def __aenter__(self) -> Room:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        self._flusher = asyncio.get_running_loop().create_task(self._flush_loop())

    async def stop(self) -> None:
        """Store and apply everything queued, write the file, disconnect everyone."""
        await self.drain()
        await self.flush_text()
        for peer in list(self.peers.values()):
            peer.kick(CloseCode.GOING_AWAY, "server shutting down")
            await peer.stop()
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher

    # -- clients -------------------------------------------------------------

    async def serve(self, peer: Peer) -> None:
        """Run one client until it leaves or is disconnected."""
        if len(self.peers) >= self.max_clients:
            await peer.transport.close(CloseCode.ROOM_FULL, "room is full")
            return
        self.peers[peer.id] = peer
        peer.start()
        peer.send(p.sync_step1(self.doc.get_state()))
        snapshot = self.awareness.snapshot()
        if snapshot is not None:
            peer.send(snapshot)
        self.hooks.run("on_join", JoinPayload(self.key, peer))
        reader = asyncio.get_running_loop().create_task(self._read_loop(peer))
        closed = asyncio.get_running_loop().create_task(peer.closed.wait())
        try:
            await asyncio.wait({reader, closed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reader, closed):
                task.cancel()
            await asyncio.gather(reader, closed, return_exceptions=True)
            self.peers.pop(peer.id, None)
            gone = self.awareness.remove(peer.id)
            if gone is not None:
                self._send_all(gone, None)
                if self.fanout is not None:
                    self.fanout.publish(self.key, KIND_AWARENESS, gone)
            await peer.stop()

    async def _read_loop(self, peer: Peer) -> None:
        with contextlib.suppress(TransportClosed):
            while peer.close_code is None:
                frame = await peer.transport.recv()
                self.receive(peer, frame)

    def receive(self, peer: Peer, frame: bytes) -> None:
        """Handle one frame from `peer`; bad input disconnects only that peer."""
        if len(frame) > peer.limits.max_message_bytes:
            peer.kick(CloseCode.MESSAGE_TOO_BIG, "message too big")
            return
        if not peer.bucket.take():
            peer.kick(CloseCode.RATE_LIMITED, "too many messages per second")
            return
        try:
            self._dispatch(peer, frame)
        except ProtocolError as exc:
            peer.kick(CloseCode.INVALID_PAYLOAD, f"malformed message: {exc}")

    def _dispatch(self, peer: Peer, frame: bytes) -> None:
        msg = p.parse(frame)
        if msg.type == p.MSG_SYNC:
            if msg.sync_type == p.SYNC_STEP1:
                try:
                    reply = self.doc.get_update(msg.payload)
                except ValueError as exc:
                    raise ProtocolError("bad state vector") from exc
                peer.send(p.sync_step2(reply))
                return
            self._client_update(peer, msg.payload, frame, msg.sync_type)
        elif msg.type == p.MSG_AWARENESS:
            relayed = self.awareness.apply(peer.id, peer.identity, msg.payload)
            if relayed is not None:
                self._send_all(relayed, peer)
                if self.fanout is not None:
                    self.fanout.publish(self.key, KIND_AWARENESS, relayed)
        elif msg.type == p.MSG_QUERY_AWARENESS:
            snapshot = self.awareness.snapshot()
            if snapshot is not None:
                peer.send(snapshot)
        # Auth messages and unknown types are ignored, as y-websocket does.

    def _client_update(
        self, peer: Peer, update: bytes, frame: bytes, kind: int
    ) -> None:
        if update == p.EMPTY_UPDATE:
            return
        if not peer.can_write:
            if not peer.denied_notice_sent:
                peer.denied_notice_sent = True
                peer.send(p.permission_denied(VIEWER_NOTICE))
            return
        try:
            get_state(update)  # decodes the whole update: rejects garbage early
        except ValueError as exc:
            raise ProtocolError("undecodable update") from exc
        message = frame if kind == p.SYNC_UPDATE else p.update_message(update)
        self._enqueue(_Pending(update, message, peer, peer.identity.user_id))

    def submit(self, update: bytes, user_id: int | None) -> None:
        """Queue a server-made update (REST write, restore) like a client's."""
        self._enqueue(_Pending(update, p.update_message(update), None, user_id))

    def _enqueue(self, item: _Pending) -> None:
        self._pending.append(item)
        self._idle.clear()
        self._wakeup.set()

    def _send_all(self, message: bytes, skip: Peer | None) -> None:
        """Send `message` to every peer but `skip`, encoded as a frame once."""
        frame = binary_frame(message)
        for peer in self.peers.values():
            if peer is not skip:
                peer.send(message, frame)

    # -- persistence ----------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            if not self._pending:
                self._idle.set()
                await self._wakeup.wait()
                self._wakeup.clear()
                continue
            batch, self._pending = self._pending, []
            await self._store_and_broadcast(batch)

    async def _store_and_broadcast(self, batch: list[_Pending]) -> None:
        updates = [item.update for item in batch]
        editors = {item.user_id for item in batch if item.user_id is not None}
        try:
            await self._persist(self.key, updates, editors)
        except Exception:
            log.exception("storing %d updates of %s failed", len(batch), self.key)
            for item in batch:  # they resync on reconnect; nothing was broadcast
                if item.sender is not None:
                    item.sender.kick(1011, "could not store your changes; reconnect")
            return
        self.updates_stored += len(batch)
        self.hooks.run("after_store", StorePayload(self.key, updates, editors))
        with self.doc.transaction():  # one commit for the whole batch
            for item in batch:
                try:
                    self.doc.apply_update(item.update)
                except ValueError:
                    log.warning("stored update of %s does not apply", self.key)
        if self.hooks.before_broadcast:
            payload = BroadcastPayload(self.key, [i.message for i in batch])
            self.hooks.run("before_broadcast", payload)
        for message, sender in _coalesce(batch):
            self._send_all(message, sender)
        if self.fanout is not None:
            for item in batch:
                self.fanout.publish(self.key, KIND_UPDATE, item.message)
        self.file.changed()

    async def drain(self) -> None:
        """Wait until every queued update is stored, applied and broadcast."""
        await self._idle.wait()

    # -- working tree and other instances ------------------------------------

    async def flush_text(self) -> None:
        """Write the document to its working-tree file now, if it changed."""
        await self.file.flush()

    def mark_text_dirty(self) -> None:
        self.file.mark_dirty()

    def abandon_text(self) -> None:
        self.file.abandon()

    def receive_remote(self, kind: bytes, frame: bytes) -> None:
        """A message another instance stored or relayed for this document."""
        try:
            msg = p.parse(frame)
            if kind == KIND_UPDATE and msg.type == p.MSG_SYNC:
                self.doc.apply_update(msg.payload)
                self.file.changed()
            elif kind == KIND_AWARENESS and msg.type == p.MSG_AWARENESS:
                self.awareness.apply_remote(msg.payload)
            else:
                return
        except ValueError:
            log.warning("ignoring a bad message from another instance")
            return
        self._send_all(frame, None)
