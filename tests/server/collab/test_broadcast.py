"""The broadcast path: frames encoded once and written directly, bursts merged,
the writer thread's hand-off."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Generator
from typing import TypeVar

import pytest
from pycrdt import Doc
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from server.collab import protocol as p
from server.collab.awareness import Identity
from server.collab.peer import Peer, PeerLimits
from server.collab.protocol import CloseCode
from server.collab.rawws import binary_frame
from server.collab.room import Room
from server.collab.store import DocKey
from server.collab.writer import Writer
from tests.server.collab.fakes import FakeClient, FakeTransport, settle
from tests.server.collab.test_room import MemoryStore

KEY = DocKey(1, "a.txt")
T = TypeVar("T")


def read_frames(data: bytes) -> list[Frame]:
    """Parse server-to-client frames the way a client (websockets) does."""
    reader = StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    frames = []
    while not run(reader.at_eof()):
        frames.append(run(Frame.parse(reader.read_exact, mask=False)))
    return frames


def run(step: Generator[None, None, T]) -> T:
    """Drive one of websockets' sans-I/O parsers over data fed in full."""
    try:
        while True:
            next(step)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 70000])
def test_binary_frame_is_what_a_client_parses(size: int) -> None:
    message = bytes(range(256)) * (size // 256) + bytes(size % 256)
    (frame,) = read_frames(binary_frame(message))
    assert frame.opcode is Opcode.BINARY
    assert frame.fin
    assert frame.data == message


class FakeFrames:
    """A `FrameWriter` that hands decoded frames to the fake client and can
    pretend the socket is not being read."""

    def __init__(self, transport: FakeTransport) -> None:
        self.transport = transport
        self.writes: list[bytes] = []
        self.stuck = False
        self.open = True

    def write(self, frame: bytes) -> bool:
        if not self.open:
            return False
        self.writes.append(frame)
        if not self.stuck:
            for parsed in read_frames(frame):
                self.transport.sent.put_nowait(bytes(parsed.data))
        return True

    def buffered(self) -> int:
        return sum(map(len, self.writes)) if self.stuck else 0


def raw_client() -> tuple[FakeClient, FakeFrames]:
    client = FakeClient()
    frames = FakeFrames(client.transport)
    client.transport.raw = frames  # type: ignore[attr-defined]
    return client, frames


def join(room: Room, client: FakeClient, user_id: int, limits=None) -> Peer:
    identity = Identity(user_id, f"user{user_id}", "#000000")
    peer = Peer(client.transport, identity, can_write=True, limits=limits)
    asyncio.get_running_loop().create_task(room.serve(peer))
    return peer


async def test_raw_and_queued_peers_converge_and_the_frame_is_shared() -> None:
    store = MemoryStore()
    async with Room(KEY, Doc(), store.persist) as room:
        writer = FakeClient()
        raw_a, frames_a = raw_client()
        raw_b, frames_b = raw_client()
        queued = FakeClient()
        for uid, client in enumerate([writer, raw_a, raw_b, queued], start=1):
            join(room, client, uid)
        await settle()
        for client in (writer, raw_a, raw_b, queued):
            client.absorb()
        frames_a.writes.clear()
        frames_b.writes.clear()
        writer.edit(0, "hello")
        await settle()
        for client in (writer, raw_a, raw_b, queued):
            client.absorb()
        assert [str(c.text) for c in (raw_a, raw_b, queued)] == ["hello"] * 3
        # One update, one encoded frame: the very same bytes object for both.
        assert len(frames_a.writes) == len(frames_b.writes) == 1
        assert frames_a.writes[0] is frames_b.writes[0]
        # The frame carries exactly what the writer sent.
        (frame,) = read_frames(frames_a.writes[0])
        assert p.parse(bytes(frame.data)).sync_type == p.SYNC_UPDATE


async def test_a_burst_goes_out_merged_and_never_echoed() -> None:
    store = MemoryStore()
    async with Room(KEY, Doc(), store.persist) as room:
        a, frames_a = raw_client()
        b, frames_b = raw_client()
        join(room, a, 1)
        join(room, b, 2)
        await settle()
        a.absorb()
        b.absorb()
        frames_a.writes.clear()
        frames_b.writes.clear()
        for i in range(50):  # read in one go: one batch, one group commit
            a.edit(i, "x")
        await settle(0.2)
        b.absorb()
        assert str(b.text) == "x" * 50
        assert len(store.updates) == 50
        assert 1 <= len(frames_b.writes) <= 3  # merged, not 50 frames
        assert frames_a.writes == []  # the sender gets nothing back


async def test_interleaved_senders_each_see_only_the_others() -> None:
    store = MemoryStore()
    async with Room(KEY, Doc(), store.persist) as room:
        a, _ = raw_client()
        b, _ = raw_client()
        c, _ = raw_client()
        for uid, client in enumerate([a, b, c], start=1):
            join(room, client, uid)
        await settle()
        for client in (a, b, c):
            client.absorb()
        for _ in range(5):
            a.edit(0, "a")
            b.edit(0, "b")
        await settle(0.2)
        for client in (a, b, c):
            client.absorb()
        assert str(a.text) == str(b.text) == str(c.text) == str(room.text)
        assert sorted(str(c.text)) == sorted("ab" * 5)


async def test_raw_slow_consumer_is_disconnected_not_skipped() -> None:
    store = MemoryStore()
    async with Room(KEY, Doc(), store.persist) as room:
        writer = FakeClient()
        slow, frames = raw_client()
        join(room, writer, 1)
        peer = join(room, slow, 2, limits=PeerLimits(max_queue_bytes=2000))
        await settle()
        writer.absorb()
        frames.stuck = True
        for i in range(100):
            writer.edit(i, "y" * 40)
            await settle(0.005)
        await settle()
        assert peer.close_code == CloseCode.SLOW_CONSUMER
        assert slow.transport.closed is not None
        assert slow.transport.closed[0] == CloseCode.SLOW_CONSUMER


async def test_raw_writes_stop_once_the_connection_closes() -> None:
    store = MemoryStore()
    async with Room(KEY, Doc(), store.persist) as room:
        writer = FakeClient()
        gone, frames = raw_client()
        join(room, writer, 1)
        peer = join(room, gone, 2)
        await settle()
        writer.absorb()
        frames.open = False
        writer.edit(0, "z")
        await settle()
        assert peer.close_code is None  # its reader notices the close, not send
        assert str(room.text) == "z"


async def test_writer_returns_results_raises_errors_and_keeps_order() -> None:
    writer = Writer()
    seen: list[int] = []
    threads: set[str] = set()

    def work(i: int) -> int:
        threads.add(threading.current_thread().name)
        seen.append(i)
        return i * 2

    def fail() -> None:
        raise ValueError("no")

    results = await asyncio.gather(*(writer.run(work, i) for i in range(20)))
    assert results == [i * 2 for i in range(20)]
    assert seen == list(range(20))
    assert threads == {"collab-writer"}
    with pytest.raises(ValueError, match="no"):
        await writer.run(fail)
    assert await writer.run(work, 21) == 42
    await asyncio.to_thread(writer.close)
    with pytest.raises(RuntimeError):
        await writer.run(work, 1)


async def test_writer_survives_a_cancelled_caller() -> None:
    writer = Writer()
    started = threading.Event()
    release = threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "done"

    task = asyncio.get_running_loop().create_task(writer.run(slow))
    await asyncio.to_thread(started.wait, 5)
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await writer.run(lambda: "next") == "next"
    await asyncio.to_thread(writer.close)
