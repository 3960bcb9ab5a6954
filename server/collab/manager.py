"""Room lifecycle: load on first join, share while used, flush and unload after.

A room is built completely (stored state applied, or seeded from the working
tree and the seed stored) before any client is attached, so no client ever
sees a half-loaded document. Loading and unloading of one document are
serialised by a per-document lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Doc, Text

from server.collab.fanout import RedisFanout
from server.collab.hooks import Hooks
from server.collab.peer import Peer, PeerLimits
from server.collab.protocol import CloseCode
from server.collab.room import Room
from server.collab.store import CollabStore, DocKey
from server.collab.textdiff import replace_text
from server.collab.worktree import WorkingTree
from server.collab.writer import Writer, trim_heap
from server.core.errors import NotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CollabConfig:
    idle_write_seconds: float = 1.0
    unload_delay_seconds: float = 0.5
    max_clients_per_room: int = 200
    compact_after: int = 1000
    peer_limits: PeerLimits = field(default_factory=PeerLimits)
    # Open connections are checked against the current roles this often (and
    # at once when this process commits a change of roles or sessions).
    recheck_access_seconds: float = 2.0


@dataclass(frozen=True, slots=True)
class Standing:
    """What a user may do in a project now (see `RoomManager.recheck_access`)."""

    member: bool
    can_write: bool
    session_id: int | None  # the live session their role comes from, if any


# (project_id, user_id) pairs -> their standing; blocking, run off the loop.
StandingLookup = Callable[[set[tuple[int, int]]], dict[tuple[int, int], Standing]]
# Token digests -> those still valid (not revoked, not expired); blocking.
TokenCheck = Callable[[set[str]], set[str]]

REMOVED = "you are no longer a member of this project"
SIGNED_OUT = "your sign-in was revoked or has expired"
SESSION_GONE = "the session you joined through has ended"
DEMOTED = (
    "read-only: your role in this project is now viewer; "
    "edits from now on are not saved"
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class RoomManager:
    """Every live room of this process."""

    def __init__(
        self,
        store: CollabStore,
        tree: WorkingTree,
        config: CollabConfig | None = None,
        hooks: Hooks | None = None,
        fanout: RedisFanout | None = None,
        standings: StandingLookup | None = None,
        tokens: TokenCheck | None = None,
    ) -> None:
        self.store = store
        self.tree = tree
        self.config = config or CollabConfig()
        self.hooks = hooks or Hooks()
        self.fanout = fanout
        self.writer = Writer()
        self.rooms: dict[DocKey, Room] = {}
        self._users: dict[DocKey, int] = defaultdict(int)
        self._locks: dict[DocKey, asyncio.Lock] = defaultdict(asyncio.Lock)
        # Stored update rows already in a live document, not yet in a snapshot.
        self._unfolded: dict[DocKey, list[int]] = defaultdict(list)
        self._tasks: set[asyncio.Task[Any]] = set()
        self.standings = standings
        self.tokens = tokens
        self._loop: asyncio.AbstractEventLoop | None = None
        self._access_changed: asyncio.Event | None = None
        self._watcher: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------

    async def acquire(self, key: DocKey) -> Room:
        """The room of `key`, loaded if needed; pair with `release`."""
        async with self._locks[key]:
            room = self.rooms.get(key)
            if room is None:
                room = await self._load(key)
                self.rooms[key] = room
            self._users[key] += 1
            return room

    def release(self, key: DocKey, room: Room) -> None:
        if self.rooms.get(key) is not room:
            return  # forgotten or replaced meanwhile
        self._users[key] -= 1
        if self._users[key] <= 0:
            self._spawn(self._unload_later(key))

    async def serve(self, key: DocKey, peer: Peer) -> None:
        self._watch_access()
        room = await self.acquire(key)
        try:
            await room.serve(peer)
        finally:
            self.release(key, room)

    async def close(self) -> None:
        """Flush and stop every room (server shutdown)."""
        for key in list(self.rooms):
            async with self._locks[key]:
                room = self.rooms.pop(key, None)
                if room is not None:
                    await room.stop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        await self.writer.run(self.store.close)
        if self.fanout is not None:
            await self.fanout.close()
        await asyncio.to_thread(self.writer.close)

    async def _unload_later(self, key: DocKey) -> None:
        await asyncio.sleep(self.config.unload_delay_seconds)
        async with self._locks[key]:
            if self._users[key] > 0 or key not in self.rooms:
                return
            room = self.rooms.pop(key)
            await room.stop()
            del self._users[key]
            if self.fanout is not None:
                await self.fanout.unsubscribe(key)
            await self._compact(key, room)
            log.debug("unloaded %s", key)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _load(self, key: DocKey) -> Room:
        file_text = await self.tree.aread(key.project_id, key.path)
        if file_text is None:
            raise NotFound(f"no such file: {key.path}")
        if self.fanout is not None:  # listen first: nothing stored meanwhile is missed
            await self.fanout.subscribe(key)
        for _ in range(5):  # another instance may seed or adopt the file first
            doc, adopted, row_ids = await self._build(key, file_text)
            if adopted:
                self._unfolded[key] = row_ids
                break
        else:
            raise RuntimeError(f"could not load {key}: it keeps changing")
        text = doc.get("content", type=Text)
        room = self._new_room(key, doc)
        if str(text) != file_text:
            room.mark_text_dirty()  # stopped before the idle write: store wins
        await room.start()
        if self.fanout is not None:
            self.fanout.attach(key, room)
        if str(text) != file_text:
            await room.flush_text()
        return room

    async def _build(
        self, key: DocKey, file_text: str
    ) -> tuple[Doc[Text], bool, list[int]]:
        """The stored document, made to match its file if that changed outside
        DevSync (or was never opened); False if another instance got there first."""
        loaded = await self.writer.run(self.store.load, key)
        doc: Doc[Text] = Doc()
        text = doc.get("content", type=Text)
        for update in ([loaded.snapshot] if loaded.snapshot else []) + loaded.updates:
            try:
                doc.apply_update(update)
            except ValueError:
                log.warning("skipping a stored update of %s that does not apply", key)
        if not loaded.empty and loaded.file_sha == sha(file_text):
            return doc, True, loaded.row_ids
        # The file wins, applied as an edit so clients holding the old state
        # still merge; a first open stores the seed the same way.
        before = doc.get_state()
        changed = replace_text(text, file_text) or loaded.empty
        edit = doc.get_update(before) if changed else None
        added = await self.writer.run(
            self.store.adopt_file, key, edit, loaded.file_sha, sha(file_text)
        )
        if added is None:
            return doc, False, []
        return doc, True, loaded.row_ids + added

    def _new_room(self, key: DocKey, doc: Doc[Text]) -> Room:
        room = Room(
            key,
            doc,
            self._persist,
            write_text=self._write_text,
            idle_write_seconds=self.config.idle_write_seconds,
            max_clients=self.config.max_clients_per_room,
            hooks=self.hooks,
            fanout=self.fanout,
        )
        return room

    # -- storage callbacks ----------------------------------------------------

    async def _persist(
        self, key: DocKey, updates: list[bytes], editors: set[int]
    ) -> None:
        ids = await self.writer.run(self.store.append, key, updates, editors)
        unfolded = self._unfolded[key]
        unfolded.extend(ids)
        if len(unfolded) >= self.config.compact_after:
            # Runs after this batch is applied to the room's document.
            self._spawn(self._compact(key))

    async def _compact(self, key: DocKey, room: Room | None = None) -> int:
        """Fold the rows a live document holds into its snapshot, off the loop."""
        room = room or self.rooms.get(key)
        ids = self._unfolded.pop(key, [])
        if room is None or not ids:
            return 0
        state = room.doc.get_update()
        folded = await self.writer.run(self.store.compact, key, state, ids)
        if not folded:  # another instance compacted meanwhile; retry later
            self._unfolded[key].extend(ids)
        await self.writer.run(trim_heap)
        return folded

    async def _write_text(self, key: DocKey, text: str) -> None:
        await self.tree.awrite(key.project_id, key.path, text)
        await self.writer.run(self.store.wrote_file, key, sha(text))

    # -- server-side edits and history ---------------------------------------

    async def apply_text(self, key: DocKey, new_text: str, user_id: int | None) -> None:
        """Make the document read `new_text` as one Yjs transaction everyone sees."""
        room = await self.acquire(key)
        try:
            clone: Doc[Text] = Doc()
            clone.apply_update(room.doc.get_update())
            before = clone.get_state()
            if replace_text(clone.get("content", type=Text), new_text):
                room.submit(clone.get_update(before), user_id)
                await room.drain()
            room.mark_text_dirty()
            await room.flush_text()
        finally:
            self.release(key, room)

    async def flush(self, project_id: int, paths: list[str] | None = None) -> None:
        """Store and write to the working tree every open document of a project."""
        for key, room in list(self.rooms.items()):
            if key.project_id == project_id and (paths is None or key.path in paths):
                await room.drain()
                await room.flush_text()

    def is_open(self, key: DocKey) -> bool:
        return key in self.rooms

    def peers(self, project_id: int | None = None) -> list[tuple[DocKey, Peer]]:
        return [
            (key, peer)
            for key, room in self.rooms.items()
            if project_id is None or key.project_id == project_id
            for peer in room.peers.values()
        ]

    def online_users(self, project_id: int) -> set[int]:
        return {peer.identity.user_id for _, peer in self.peers(project_id)}

    # -- roles of open connections -------------------------------------------

    def _watch_access(self) -> None:
        if self.standings is None or self._watcher is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._access_changed = asyncio.Event()
        self._watcher = self._loop.create_task(self._recheck_loop())

    def access_changed(self) -> None:
        """Roles or sessions changed: recheck open connections now.

        Thread-safe; called after a commit that touched them."""
        loop, changed = self._loop, self._access_changed
        if loop is None or changed is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is closing
            loop.call_soon_threadsafe(changed.set)

    async def _recheck_loop(self) -> None:
        assert self._access_changed is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._access_changed.wait(), self.config.recheck_access_seconds
                )
            self._access_changed.clear()
            try:
                await self.recheck_access()
            except Exception:
                log.exception("rechecking the roles of open connections failed")

    async def recheck_access(self) -> int:
        """Hold every open connection to its user's current role; returns how
        many lost access. A user no longer in the project, or whose session
        ended, is disconnected with the reason; one demoted to viewer stays
        connected read-only: told so, and their updates are refused. A
        connection whose sign-in token was revoked or expired is closed with
        4401."""
        if self.standings is None:
            return 0
        pairs = {(key.project_id, peer.identity.user_id) for key, peer in self.peers()}
        if not pairs:
            return 0
        now = await asyncio.to_thread(self.standings, pairs)
        hashes = {h for _, peer in self.peers() if (h := peer.token_hash) is not None}
        valid = hashes
        if self.tokens is not None and hashes:
            valid = await asyncio.to_thread(self.tokens, hashes)
        changed = 0
        for key, peer in self.peers():
            standing = now.get((key.project_id, peer.identity.user_id))
            if standing is None:  # joined after the lookup: the next one
                continue
            if peer.close_code is not None:
                continue
            if peer.token_hash is not None and peer.token_hash not in valid:
                if peer.token_hash in hashes:  # not one that joined since
                    peer.kick(CloseCode.UNAUTHENTICATED, SIGNED_OUT)
                    changed += 1
                continue
            if not standing.member:
                peer.kick(CloseCode.FORBIDDEN, REMOVED)
            elif peer.session_id is not None and standing.session_id != peer.session_id:
                peer.kick(CloseCode.SESSION_ENDED, SESSION_GONE)
            elif peer.can_write and not standing.can_write:
                peer.revoke_write(DEMOTED)
            else:
                continue
            changed += 1
        return changed

    def kick_session(self, session_id: int, reason: str, code: int) -> int:
        """Disconnect every client that joined through `session_id`."""
        kicked = 0
        for _, peer in self.peers():
            if peer.session_id == session_id:
                peer.kick(code, reason)
                kicked += 1
        return kicked

    async def forget(self, key: DocKey) -> None:
        """Drop a document whose file is gone, once its clients have left."""
        async with self._locks[key]:
            room = self.rooms.pop(key, None)
            if room is not None:
                room.abandon_text()
                for peer in list(room.peers.values()):
                    peer.kick(CloseCode.NOT_FOUND, "the file is gone")
                await room.stop()
            self._users.pop(key, None)
            self._unfolded.pop(key, None)
            if self.fanout is not None and room is not None:
                await self.fanout.unsubscribe(key)
            await self.writer.run(self.store.drop, key)

    async def compact_now(self, key: DocKey) -> int:
        return await self._compact(key)
