"""Room behaviour through in-process transports: relay, roles, limits, bad input."""

from __future__ import annotations

import asyncio
import json

import pytest

from server.collab import protocol as p
from server.collab.awareness import Identity
from server.collab.peer import Peer, PeerLimits
from server.collab.protocol import AwarenessEntry, CloseCode
from server.collab.room import Room
from server.collab.store import DocKey
from tests.server.collab.fakes import FakeClient, settle

KEY = DocKey(1, "a.txt")


class MemoryStore:
    def __init__(self) -> None:
        self.updates: list[bytes] = []
        self.editors: set[int] = set()
        self.fail = False

    async def persist(
        self, key: DocKey, updates: list[bytes], editors: set[int]
    ) -> None:
        if self.fail:
            raise RuntimeError("disk full")
        await asyncio.sleep(0.001)
        self.updates += updates
        self.editors |= editors


@pytest.fixture
async def room_and_store():
    from pycrdt import Doc

    store = MemoryStore()
    async with Room(KEY, Doc(), store.persist, max_clients=3) as room:
        yield room, store


def join(room: Room, user_id: int, *, can_write: bool = True, limits=None):
    client = FakeClient()
    identity = Identity(user_id, f"user{user_id}", "#000000")
    peer = Peer(client.transport, identity, can_write=can_write, limits=limits)
    task = asyncio.get_running_loop().create_task(room.serve(peer))
    return client, peer, task


async def test_update_is_stored_then_relayed_not_echoed(room_and_store):
    room, store = room_and_store
    a, _, _ = join(room, 1)
    b, _, _ = join(room, 2)
    await settle()
    a.absorb()
    b.absorb()
    update = a.edit(0, "hello")
    await settle()
    assert store.updates == [update]
    assert store.editors == {1}
    b.absorb()
    assert str(b.text) == "hello"
    assert str(room.text) == "hello"
    assert all(p.parse(f).sync_type != p.SYNC_UPDATE for f in a.transport.drain())


async def test_viewer_update_dropped_with_notice(room_and_store):
    room, store = room_and_store
    viewer, _, _ = join(room, 3, can_write=False)
    other, _, _ = join(room, 4)
    await settle()
    viewer.absorb()
    other.absorb()
    viewer.edit(0, "nope")
    await settle()
    viewer.absorb()
    other.absorb()
    assert store.updates == []
    assert str(other.text) == ""
    assert viewer.denied
    assert b"viewer" in viewer.denied[0]


async def test_late_joiner_gets_every_cursor_with_server_identity(room_and_store):
    room, _ = room_and_store
    a, _, _ = join(room, 1)
    await settle()
    claim = json.dumps({"user": {"name": "mallory", "color": "#fff"}, "cursor": 3})
    a.transport.feed(
        p.awareness_message(p.encode_awareness([AwarenessEntry(7, 1, claim)]))
    )
    await settle()
    late, _, _ = join(room, 2)
    await settle()
    late.absorb()
    (entry,) = p.parse_awareness(late.awareness[0])
    state = json.loads(entry.state)
    assert entry.client_id == 7
    assert state["cursor"] == 3
    assert state["user"]["name"] == "user1"


async def test_awareness_removed_when_client_leaves(room_and_store):
    room, _ = room_and_store
    a, _, task = join(room, 1)
    b, _, _ = join(room, 2)
    await settle()
    a.transport.feed(
        p.awareness_message(p.encode_awareness([AwarenessEntry(7, 1, "{}")]))
    )
    await settle()
    a.transport.feed(None)  # type: ignore[arg-type]
    await asyncio.wait_for(task, 2)
    b.absorb()
    assert p.parse_awareness(b.awareness[-1])[0].state == "null"
    assert len(room.awareness) == 0


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"\x00\x02\x05ab", CloseCode.INVALID_PAYLOAD),  # truncated update
        (b"\x00\x09\x00", CloseCode.INVALID_PAYLOAD),  # unknown sync type
        (b"\x00\x02\x03\xff\xff\xff", CloseCode.INVALID_PAYLOAD),  # garbage update
        (b"\x01\x05\x01\x02", CloseCode.INVALID_PAYLOAD),  # truncated awareness
        (b"\x00\x02" + b"\xff" * 12, CloseCode.INVALID_PAYLOAD),  # endless varint
        (b"\x00" * (64 * 1024 + 1), CloseCode.MESSAGE_TOO_BIG),
    ],
)
async def test_bad_frames_close_only_the_sender(room_and_store, frame, code):
    room, _store = room_and_store
    limits = PeerLimits(max_message_bytes=64 * 1024)
    bad, _, bad_task = join(room, 1, limits=limits)
    good, _, _ = join(room, 2)
    await settle()
    bad.transport.feed(frame)
    await asyncio.wait_for(bad_task, 2)
    assert bad.transport.closed is not None
    assert bad.transport.closed[0] == code
    good.absorb()
    writer, _, _ = join(room, 3)
    await settle()
    writer.absorb()
    writer.edit(0, "still alive")
    await settle()
    good.absorb()
    assert str(good.text) == "still alive"


async def test_unknown_message_types_are_ignored(room_and_store):
    room, _ = room_and_store
    a, peer, _ = join(room, 1)
    await settle()
    a.transport.feed(b"\x07\x01\x02")
    a.transport.feed(b"\x02\x00")
    await settle()
    assert peer.close_code is None


async def test_flooding_client_is_disconnected(room_and_store):
    room, _ = room_and_store
    limits = PeerLimits(rate_per_second=10, rate_burst=20)
    flood, _, task = join(room, 1, limits=limits)
    await settle()
    for _ in range(50):
        flood.transport.feed(b"\x03")
    await asyncio.wait_for(task, 2)
    assert flood.transport.closed is not None
    assert flood.transport.closed[0] == CloseCode.RATE_LIMITED


async def test_room_full(room_and_store):
    room, _ = room_and_store
    for uid in range(3):
        join(room, uid)
    await settle()
    extra, _, task = join(room, 9)
    await asyncio.wait_for(task, 2)
    assert extra.transport.closed is not None
    assert extra.transport.closed[0] == CloseCode.ROOM_FULL


async def test_store_failure_broadcasts_nothing_and_disconnects_sender(room_and_store):
    room, store = room_and_store
    a, _, task = join(room, 1)
    b, _, _ = join(room, 2)
    await settle()
    a.absorb()
    b.absorb()
    store.fail = True
    a.edit(0, "lost?")
    await asyncio.wait_for(task, 2)
    b.absorb()
    assert str(b.text) == ""
    assert str(room.text) == ""


async def test_slow_consumer_is_disconnected_not_skipped(room_and_store):
    room, _ = room_and_store
    limits = PeerLimits(max_queue_bytes=64)
    slow = FakeClient()
    peer = Peer(
        slow.transport, Identity(5, "slow", "#000"), can_write=True, limits=limits
    )
    peer.send(b"x" * 100)
    assert peer.close_code == CloseCode.SLOW_CONSUMER
    del room


async def test_hooks_get_one_payload_each():
    from pycrdt import Doc

    from server.collab.hooks import Hooks

    store = MemoryStore()
    seen: list[tuple[str, object]] = []
    hooks = Hooks()
    hooks.on_join.append(lambda payload: seen.append(("join", payload.peer.identity)))
    hooks.after_store.append(lambda payload: seen.append(("store", payload.editors)))
    hooks.before_broadcast.append(
        lambda payload: seen.append(("broadcast", len(payload.messages)))
    )
    hooks.after_store.append(lambda _: 1 / 0)  # a failing hook is contained
    async with Room(KEY, Doc(), store.persist, hooks=hooks) as room:
        a, _, _ = join(room, 1)
        await settle()
        a.absorb()
        a.edit(0, "x")
        await settle()
    assert [kind for kind, _ in seen] == ["join", "store", "broadcast"]
    assert seen[1][1] == {1}
