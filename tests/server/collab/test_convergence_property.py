"""Property: any interleaving of concurrent edits (CRLF, emoji, combining marks)
and deliveries ends with every client, the room and the stored updates equal."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text

from server.collab import protocol as p
from server.collab.awareness import Identity
from server.collab.peer import Peer
from server.collab.room import Room
from server.collab.store import DocKey
from tests.server.collab.fakes import FakeClient

PIECES = st.one_of(
    st.sampled_from(["\r\n", "\n", "😀", "e\u0301", "👩‍💻", "ß", "\r", "a"]),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=4),
)


@dataclass(frozen=True)
class Insert:
    client: int
    at: float
    text: str


@dataclass(frozen=True)
class Delete:
    client: int
    at: float
    length: int


@dataclass(frozen=True)
class Deliver:
    client: int


STEP = st.one_of(
    st.builds(Insert, st.integers(0, 3), st.floats(0, 1), PIECES),
    st.builds(Delete, st.integers(0, 3), st.floats(0, 1), st.integers(1, 3)),
    st.builds(Deliver, st.integers(0, 3)),
)


def byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def apply_step(client: FakeClient, step: Insert | Delete) -> None:
    current = str(client.text)
    index = round(step.at * len(current))
    if isinstance(step, Insert):
        client.edit(byte_offset(current, index), step.text)
        return
    end = min(len(current), index + step.length)
    if end > index:
        before = client.doc.get_state()
        del client.text[byte_offset(current, index) : byte_offset(current, end)]
        client.transport.feed(p.update_message(client.doc.get_update(before)))


async def run_script(
    seed_text: str, clients_n: int, steps: list[Insert | Delete | Deliver]
) -> None:
    stored: list[bytes] = []

    async def persist(_key: DocKey, updates: list[bytes], _editors: set[int]) -> None:
        await asyncio.sleep(0)
        stored.extend(updates)

    doc: Doc[Text] = Doc()
    doc.get("content", type=Text).insert(0, seed_text)
    stored.append(doc.get_update())
    async with Room(DocKey(1, "f"), doc, persist) as room:
        clients = [FakeClient() for _ in range(clients_n)]
        tasks = []
        for i, client in enumerate(clients):
            peer = Peer(client.transport, Identity(i, f"u{i}", "#000"), can_write=True)
            tasks.append(asyncio.create_task(room.serve(peer)))
        for _ in range(3):
            await asyncio.sleep(0)
            for client in clients:
                client.absorb()
        for step in steps:
            client = clients[step.client % clients_n]
            if isinstance(step, Deliver):
                client.absorb()
            else:
                apply_step(client, step)
            await asyncio.sleep(0)
        for _ in range(10):  # quiesce: deliver everything, everywhere
            await room.drain()
            await asyncio.sleep(0.001)
            for client in clients:
                client.absorb()
        final = str(room.text)
        assert [str(c.text) for c in clients] == [final] * clients_n
        reloaded: Doc[Text] = Doc()
        for update in stored:
            reloaded.apply_update(update)
        assert str(reloaded.get("content", type=Text)) == final
        for client in clients:
            client.transport.feed(None)  # type: ignore[arg-type]
        await asyncio.gather(*tasks)


@settings(
    max_examples=int(os.environ.get("DEVSYNC_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed_text=st.sampled_from(["", "line one\r\nline two\n", "café 😀\n"]),
    clients_n=st.integers(2, 4),
    steps=st.lists(STEP, max_size=40),
)
def test_concurrent_edit_scripts_never_diverge(seed_text, clients_n, steps):
    asyncio.run(run_script(seed_text, clients_n, steps))
