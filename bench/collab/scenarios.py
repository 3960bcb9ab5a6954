"""The measurements of BENCHMARKS.md section 2, each run the same way on any server."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from dataclasses import dataclass

from bench.collab.servers import Running
from server.collab import protocol as p
from server.collab.client import YClient


@dataclass
class Latency:
    clients: int
    p50_ms: float
    p99_ms: float
    missing: int


def _writer_clock(reader: YClient, client_id: int) -> int:
    """The writer's clock in the reader's document (the frame is applied already)."""
    vector = reader.doc.get_state()
    count, pos = _varint(vector, 0)
    for _ in range(count):
        client, pos = _varint(vector, pos)
        clock, pos = _varint(vector, pos)
        if client == client_id:
            return clock
    return -1


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


async def _connect_all(clients: list[YClient]) -> None:
    for start in range(0, len(clients), 20):
        batch = clients[start : start + 20]
        await asyncio.gather(*(c.connect() for c in batch))
        await asyncio.gather(*(c.wait_synced(30) for c in batch))


async def _close_all(clients: list[YClient]) -> None:
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


async def _send_insert(client: YClient, value: str) -> bytes:
    before = client.doc.get_state()
    client.text.insert(len(client.text), value)
    update = client.doc.get_update(before)
    await client.send_raw(p.update_message(update))
    return update


class LatencyRoom:
    """One writer and `n - 1` readers on one server's document.

    An edit counts as received when the reader's document covers the edit's
    clock, so a server that merges queued updates into one frame is measured
    fairly; latency is per (edit, receiver).
    """

    def __init__(self, server: Running, n: int) -> None:
        url = server.url(f"latency-{n}.txt")
        self.n = n
        self.writer = YClient(url)
        self.sent: list[tuple[int, float]] = []  # (writer clock after edit, sent at)
        self.samples: list[float] = []
        self.readers = [self._track(YClient(url)) for _ in range(n - 1)]
        self.expected = 0

    def _track(self, reader: YClient) -> YClient:
        next_edit = 0

        def received(_frame: bytes, at: float) -> None:
            nonlocal next_edit
            clock = _writer_clock(reader, self.writer.doc.client_id)
            while next_edit < len(self.sent) and self.sent[next_edit][0] <= clock:
                sent_at = self.sent[next_edit][1]
                if sent_at > 0:
                    self.samples.append(at - sent_at)
                next_edit += 1

        reader.on_frame = received
        return reader

    async def open(self, interval: float) -> None:
        await _connect_all([self.writer, *self.readers])
        for _ in range(20):  # warm-up, not measured
            await self._edit(0.0)
            await asyncio.sleep(interval)
        await self.settle()

    async def _edit(self, sent_at: float) -> None:
        before = self.writer.doc.get_state()
        self.writer.text.insert(len(self.writer.text), "a")
        update = self.writer.doc.get_update(before)
        clock = _writer_clock(self.writer, self.writer.doc.client_id)
        self.sent.append((clock, sent_at))
        await self.writer.send_raw(p.update_message(update))

    async def edits(self, count: int, interval: float) -> None:
        """`count` measured edits, one every `interval` seconds."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        for i in range(count):
            await self._edit(time.perf_counter())
            delay = start + (i + 1) * interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        self.expected += count * (self.n - 1)
        await self.settle()

    async def settle(self) -> None:
        last = len(self.sent)
        for reader in self.readers:
            with contextlib.suppress(TimeoutError):
                await reader.until(
                    lambda r=reader: (
                        _writer_clock(r, self.writer.doc.client_id)
                        >= self.sent[last - 1][0]
                    ),
                    within=15,
                )

    def result(self) -> Latency:
        ms = sorted(x * 1000 for x in self.samples)
        q = statistics.quantiles(ms, n=100, method="inclusive")
        return Latency(self.n, q[49], q[98], self.expected - len(self.samples))

    async def close(self) -> None:
        await _close_all([self.writer, *self.readers])


async def latency(
    servers: list[Running], n: int, edits: int, interval: float, rounds: int = 5
) -> list[Latency]:
    """`edits` one-character edits at `interval` per server, in `rounds`
    alternating between the servers, so that a noisy moment on this shared
    machine does not land on one server only."""
    rooms = [LatencyRoom(server, n) for server in servers]
    for room in rooms:
        await room.open(interval)
    for r in range(rounds):
        count = edits // rounds + (1 if r < edits % rounds else 0)
        for room in rooms:
            await room.edits(count, interval)
    for room in rooms:
        await room.close()
    return [room.result() for room in rooms]


async def late_joiner(
    server: Running, existing: int, tries: int
) -> tuple[float, float]:
    """Median and worst time for a new client to see every existing cursor (ms)."""
    room = "late-joiner.txt"
    clients = [YClient(server.url(room)) for _ in range(existing)]
    await _connect_all(clients)
    for i, client in enumerate(clients):
        await client.set_awareness({"user": {"name": f"u{i}"}, "cursor": {"anchor": i}})
    await asyncio.sleep(1.0)
    times = []
    for _ in range(tries):
        started = time.perf_counter()
        late = await YClient(server.url(room)).connect()
        await late.until(lambda late=late: len(late.awareness) >= existing)
        times.append((time.perf_counter() - started) * 1000)
        await late.close()
        await asyncio.sleep(0.1)
    await _close_all(clients)
    return statistics.median(times), max(times)


async def _burst(
    server: Running, room: str, count: int, warmup: int = 0
) -> tuple[float, YClient, YClient]:
    writer = YClient(server.url(room))
    reader = YClient(server.url(room))
    await _connect_all([writer, reader])
    for _ in range(warmup):
        await _send_insert(writer, "w")
    await reader.until(lambda: len(reader.text) >= warmup)
    started = time.perf_counter()
    for i in range(count):
        await _send_insert(writer, "a")
        if i % 100 == 0:
            await asyncio.sleep(0)
    await reader.until(lambda: len(reader.text) >= warmup + count, within=300)
    return time.perf_counter() - started, writer, reader


async def throughput(server: Running, count: int, trial: int = 0) -> float:
    """Seconds until `count` one-character inserts from one client are all
    visible at another client (a fresh document per trial)."""
    room = "throughput.txt" if trial == 0 else f"throughput-{trial}.txt"
    seconds, writer, reader = await _burst(server, room, count)
    await _close_all([writer, reader])
    return seconds


async def memory_growth(server: Running, count: int) -> float:
    """Server RSS growth in MB over `count` updates (after a warm-up, settled)."""
    writer = YClient(server.url("memory.txt"))
    reader = YClient(server.url("memory.txt"))
    await _connect_all([writer, reader])
    for _ in range(5000):
        await _send_insert(writer, "w")
    await reader.until(lambda: len(reader.text) >= 5000, within=120)
    await asyncio.sleep(3)
    before = server.rss()
    for i in range(count):
        await _send_insert(writer, "a")
        if i % 100 == 0:
            await asyncio.sleep(0)
    await reader.until(lambda: len(reader.text) >= 5000 + count, within=600)
    await asyncio.sleep(3)
    after = server.rss()
    await _close_all([writer, reader])
    return (after - before) / 1e6
