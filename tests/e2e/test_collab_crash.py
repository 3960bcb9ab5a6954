"""SIGKILL the server mid-burst: nothing that any client received is lost."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from pycrdt import Doc, Text

from server.collab import protocol as p
from server.collab.client import YClient
from tests.e2e import collab_harness as harness
from tests.e2e.collab_harness import Server

pytestmark = pytest.mark.e2e
server = harness.server
project = harness.project


def watched(srv: Server, pid: int, user: str) -> tuple[YClient, Doc[Text]]:
    """A client plus a shadow document of only what the server sent it."""
    seen: Doc[Text] = Doc()
    seen.get("content", type=Text)

    def record(frame: bytes, _at: float) -> None:
        msg = p.parse(frame)
        if msg.type == p.MSG_SYNC and msg.sync_type != p.SYNC_STEP1:
            seen.apply_update(msg.payload)

    return YClient(srv.ws_url(pid, "main.py", user), on_frame=record), seen


async def burst(client: YClient, tag: str, count: int) -> None:
    with contextlib.suppress(Exception):
        for i in range(count):
            await client.insert(len(client.text), f"{tag}{i} ")
            if i % 20 == 0:
                await asyncio.sleep(0)


async def test_sigkill_mid_burst_loses_nothing_any_client_received(server, project):
    pairs = [watched(server, project, u) for u in ("ada", "bob", "ada", "vera")]
    for client, _ in pairs:
        await client.connect()
        await client.wait_synced()
    writers = [
        asyncio.create_task(burst(client, tag, 3000))
        for (client, _), tag in zip(pairs[:3], "xyz", strict=True)
    ]
    await asyncio.sleep(0.4)
    server.kill()
    await asyncio.gather(*writers)
    for client, _ in pairs:
        await asyncio.wait_for(client.closed.wait(), 10)
        await client.close()
    received = [seen for _, seen in pairs]
    assert any(len(str(seen.get("content", type=Text))) > 20 for seen in received)

    restarted = Server(server.data_dir, port=server.port).start()
    restarted.tokens = server.tokens
    try:
        fresh = await restarted.client(project, "main.py", "ada").connect()
        await fresh.wait_synced()
        stored = str(fresh.text)
        for seen in received:
            merged: Doc[Text] = Doc()
            merged.apply_update(fresh.doc.get_update())
            merged.apply_update(seen.get_update())
            assert str(merged.get("content", type=Text)) == stored
        await fresh.close()
    finally:
        restarted.stop()
