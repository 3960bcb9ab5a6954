"""Collaboration over real WebSockets against a real `devsync serve` process."""

from __future__ import annotations

import asyncio
import json

import pytest

from server.collab.client import YClient
from tests.e2e import collab_harness as harness
from tests.e2e.collab_harness import eventually

pytestmark = pytest.mark.e2e
server = harness.server
project = harness.project


async def test_seeded_from_working_tree_and_clients_converge(server, project):
    clients = [server.client(project, "main.py", u) for u in ("ada", "bob", "ada")]
    for c in clients:
        await c.connect()
        await c.wait_synced()
    assert all(str(c.text) == "print('hi')\n" for c in clients)
    for i, c in enumerate(clients):
        for j in range(20):
            await c.insert(0 if j % 2 else len(c.text), f"{i}{j};")
    await eventually(
        lambda: (
            len({str(c.text) for c in clients}) == 1 and len(str(clients[0].text)) > 100
        )
    )
    final = str(clients[0].text)
    await eventually(
        lambda: (
            (server.data_dir / "projects" / str(project) / "main.py").read_text()
            == final
        )
    )
    for c in clients:
        await c.close()


@pytest.mark.parametrize(
    ("user", "path", "code"),
    [
        (None, "main.py", 4401),
        ("eve", "main.py", 4403),
        ("ada", "nope.py", 4404),
        ("ada", "../x", 4404),
    ],
)
async def test_close_codes(server, project, user, path, code):
    client = YClient(
        server.ws_url(project, path, user)
        if user
        else server.ws_url(project, path, None)
    )
    await client.connect()
    await asyncio.wait_for(client.closed.wait(), 10)
    await client.close()
    assert client.close_code == code


async def test_unknown_project_is_4404(server, project):
    client = await server.client(project + 100, "main.py", "ada").connect()
    await asyncio.wait_for(client.closed.wait(), 10)
    await client.close()
    assert client.close_code == 4404


async def test_viewer_edits_rejected_and_not_persisted(server, project):
    viewer = await server.client(project, "main.py", "vera").connect()
    editor = await server.client(project, "main.py", "bob").connect()
    await viewer.wait_synced()
    await editor.wait_synced()
    await viewer.insert(0, "VIEWER WAS HERE ")
    await eventually(lambda: bool(viewer.denied))
    assert "viewer" in viewer.denied[0]
    await editor.insert(0, "# ok\n")
    await eventually(lambda: "# ok" in str(viewer.text))
    assert "VIEWER" not in str(editor.text)
    await viewer.close()
    await editor.close()
    fresh = await server.client(project, "main.py", "ada").connect()
    await fresh.wait_synced()
    assert str(fresh.text) == "# ok\nprint('hi')\n"
    await fresh.close()


async def test_late_joiner_sees_existing_cursors_with_server_names(server, project):
    first = await server.client(project, "main.py", "ada").connect()
    second = await server.client(project, "main.py", "bob").connect()
    await first.set_awareness({"user": {"name": "impostor"}, "cursor": {"anchor": 1}})
    await second.set_awareness({"cursor": {"anchor": 4}})
    await eventually(lambda: len(first.awareness) == 1 and len(second.awareness) == 1)
    late = await server.client(project, "main.py", "vera").connect()
    await eventually(lambda: len(late.awareness) == 2, within=2)
    names = sorted(s["user"]["name"] for s in late.awareness.values())
    assert names == ["ada", "bob"]
    await second.close()
    await eventually(lambda: len(late.awareness) == 1)
    assert json.dumps(late.awareness).count("ada") >= 1
    await first.close()
    await late.close()
