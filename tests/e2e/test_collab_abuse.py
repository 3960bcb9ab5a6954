"""Bad input over real WebSockets: the offender is closed, the room and others go on."""

from __future__ import annotations

import asyncio

import pytest
from websockets.asyncio.client import connect

from server.collab import protocol as p
from tests.e2e import collab_harness as harness
from tests.e2e.collab_harness import Server, eventually

pytestmark = pytest.mark.e2e
project = harness.project


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    srv = Server(
        tmp_path / "data",
        env={
            "DEVSYNC_COLLAB_MAX_MESSAGE_BYTES": "65536",
            "DEVSYNC_COLLAB_MAX_UPDATES_PER_SECOND": "50",
            "DEVSYNC_COLLAB_UPDATE_BURST": "100",
        },
    ).start()
    for name in ("ada", "bob", "vera", "eve"):
        srv.user(name)
    yield srv
    srv.stop()


BAD = [
    (b"\x00\x02\x05ab", 1007),  # truncated update
    (b"\x00\x02\x03\xff\xff\xff", 1007),  # undecodable update
    (b"\x00\x07\x00", 1007),  # unknown sync message type
    (b"\x01\x09\x01", 1007),  # truncated awareness
    (b"\x01\x05\x01\x01\x01\x01{", 1007),  # awareness state that is not JSON
    (b"\x00" + b"\xff" * 20, 1007),  # endless varint
    (b"\x00\x02" + b"\x00" * 70_000, 1009),  # oversized
]


async def test_bad_frames_and_flooding_close_only_the_offender(server, project):
    good = await server.client(project, "main.py", "bob").connect()
    await good.wait_synced()
    url = server.ws_url(project, "main.py", "ada")
    for frame, code in BAD:
        async with connect(url, max_size=None) as ws:
            await ws.send(frame)
            await asyncio.wait_for(ws.wait_closed(), 10)
            assert ws.close_code == code, frame[:10]
    async with connect(url) as ws:  # unknown message types are ignored
        await ws.send(b"\x09\x01\x02")
        await ws.send(b"\x03")
        await ws.send(p.update_message(b"\x00\x00"))
        await asyncio.sleep(0.3)
        assert ws.close_code is None
    async with connect(url) as ws:  # flooding
        for _ in range(400):
            await ws.send(b"\x03")
        await asyncio.wait_for(ws.wait_closed(), 10)
        assert ws.close_code == 4429
    assert good.close_code is None
    other = await server.client(project, "main.py", "ada").connect()
    await other.wait_synced()
    await other.insert(0, "# still here\n")
    await eventually(lambda: str(good.text).startswith("# still here\n"))
    await good.close()
    await other.close()
