"""Redis fan-out between instances: rooms of one document on several servers.

Each instance publishes what its room stored and relayed (updates after their
group commit, awareness as relayed) on one channel per document and applies
what the other instances publish. Storage stays the shared database's: a
remote update is already durable when it arrives, so it is only applied and
broadcast here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis

from server.collab.store import DocKey

if TYPE_CHECKING:
    from server.collab.room import Room

log = logging.getLogger(__name__)

KIND_UPDATE = b"u"
KIND_AWARENESS = b"a"
_ID = 16


class RedisFanout:
    """One pub/sub connection per instance, shared by all its rooms."""

    def __init__(self, url: str, namespace: str) -> None:
        """`namespace` separates deployments sharing one Redis (one per database)."""
        self.url = url
        self.namespace = namespace
        self.instance = uuid.uuid4().bytes
        self._redis: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._rooms: dict[str, Room | list[tuple[bytes, bytes]]] = {}
        self._outbox: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    def channel(self, key: DocKey) -> str:
        return f"devsync:{self.namespace}:collab:{key.project_id}:{key.path}"

    async def _ensure(self) -> Any:
        if self._redis is None:
            self._redis = aioredis.from_url(self.url)
            self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            loop = asyncio.get_running_loop()
            self._tasks = [
                loop.create_task(self._publish_loop()),
                loop.create_task(self._read_loop()),
            ]
        return self._pubsub

    async def subscribe(self, key: DocKey) -> None:
        """Start listening before the room loads; messages wait for `attach`."""
        pubsub = await self._ensure()
        self._rooms[self.channel(key)] = []
        await pubsub.subscribe(self.channel(key))

    def attach(self, key: DocKey, room: Room) -> None:
        waiting = self._rooms.get(self.channel(key))
        self._rooms[self.channel(key)] = room
        for kind, frame in waiting if isinstance(waiting, list) else []:
            room.receive_remote(kind, frame)

    async def unsubscribe(self, key: DocKey) -> None:
        self._rooms.pop(self.channel(key), None)
        if self._pubsub is not None:
            await self._pubsub.unsubscribe(self.channel(key))

    def publish(self, key: DocKey, kind: bytes, frame: bytes) -> None:
        self._outbox.put_nowait((self.channel(key), self.instance + kind + frame))

    async def _publish_loop(self) -> None:
        assert self._redis is not None
        while True:
            name, data = await self._outbox.get()
            try:
                await self._redis.publish(name, data)
            except Exception:
                log.exception("publishing to %s failed", name)

    async def _read_loop(self) -> None:
        while True:
            try:
                if not self._pubsub.subscribed:
                    await asyncio.sleep(0.05)
                    continue
                message = await self._pubsub.get_message(timeout=1.0)
            except Exception:
                log.exception("reading from Redis failed")
                await asyncio.sleep(1)
                continue
            if message is None:
                continue
            self._deliver(message["channel"].decode(), message["data"])

    def _deliver(self, name: str, data: bytes) -> None:
        if len(data) <= _ID or data[:_ID] == self.instance:
            return
        kind, frame = data[_ID : _ID + 1], data[_ID + 1 :]
        target = self._rooms.get(name)
        if isinstance(target, list):
            target.append((kind, frame))
        elif target is not None:
            target.receive_remote(kind, frame)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()
