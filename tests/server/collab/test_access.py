"""Roles are enforced on open collaboration connections, not only at the upgrade."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from server.collab import protocol as p
from server.collab.awareness import Identity
from server.collab.manager import RoomManager
from server.collab.peer import Peer
from server.collab.protocol import CloseCode
from server.collab.store import DocKey
from server.core import security
from tests.server.collab.fakes import FakeClient, settle
from tests.server.conftest import Account, SignUp


@pytest.fixture
async def rooms(app: FastAPI):  # type: ignore[no-untyped-def]
    manager: RoomManager = app.state.collab
    yield manager
    await manager.close()


async def member(
    client: httpx.AsyncClient, owner: Account, project_id: int, who: Account, role: str
) -> None:
    added = await client.post(
        f"/api/projects/{project_id}/members",
        json={"username": who.username, "role": role},
        headers=owner.headers,
    )
    assert added.status_code == 201, added.text


def connect(
    rooms: RoomManager, key: DocKey, who: Account, *, can_write: bool
) -> tuple[FakeClient, Peer, asyncio.Task[None]]:
    client = FakeClient()
    peer = Peer(
        client.transport, Identity(who.id, who.username, "#000"), can_write=can_write
    )
    task = asyncio.get_running_loop().create_task(rooms.serve(key, peer))
    return client, peer, task


async def until(check, within: float) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < within, "not reached in time"
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def test_demotion_and_removal_reach_open_connections_at_once(
    rooms: RoomManager,
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    project_dir: Path,
    make_user: SignUp,
) -> None:
    (project_dir / "a.txt").write_text("")
    key = DocKey(project_id, "a.txt")
    bob = await make_user("bob")
    await member(client, owner, project_id, bob, "editor")
    writer, peer, task = connect(rooms, key, bob, can_write=True)
    await settle()
    writer.absorb()
    writer.edit(0, "kept ")
    await settle()
    room = rooms.rooms[key]
    assert str(room.text) == "kept "

    # Demoted by the owner: told at once (well before the periodic recheck),
    # still connected, and nothing it sends from now on is stored.
    await member(client, owner, project_id, bob, "viewer")
    waited = await until(lambda: not peer.can_write, within=5)
    assert waited < rooms.config.recheck_access_seconds
    await settle()
    notices = [f for f in writer.transport.drain() if p.parse(f).type == p.MSG_AUTH]
    assert len(notices) == 1
    assert b"viewer" in notices[0]
    writer.edit(0, "refused ")
    await settle()
    assert str(room.text) == "kept "
    assert peer.close_code is None

    # Removed from the project: disconnected with the reason.
    removed = await client.delete(
        f"/api/projects/{project_id}/members/{bob.id}", headers=owner.headers
    )
    assert removed.status_code == 204, removed.text
    await asyncio.wait_for(task, 5)
    assert peer.close_code == CloseCode.FORBIDDEN
    assert writer.transport.closed is not None
    assert "no longer a member" in writer.transport.closed[1]


async def test_periodic_recheck_catches_changes_made_elsewhere(
    rooms: RoomManager,
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    project_dir: Path,
    make_user: SignUp,
) -> None:
    (project_dir / "a.txt").write_text("")
    key = DocKey(project_id, "a.txt")
    eve = await make_user("eve")
    await member(client, owner, project_id, eve, "editor")
    _, peer, _ = connect(rooms, key, eve, can_write=True)
    olivia, owner_peer, _ = connect(rooms, key, owner, can_write=True)
    await settle()
    # A change this process's sessions never saw (another instance, a script).
    from sqlalchemy import text

    with rooms.store.db.engine.begin() as conn:
        conn.execute(
            text("update memberships set role = 'viewer' where user_id = :uid"),
            {"uid": eve.id},
        )
    assert peer.can_write
    assert await rooms.recheck_access() == 1
    assert not peer.can_write
    assert owner_peer.can_write  # the owner's standing did not change
    assert await rooms.recheck_access() == 0
    del olivia


async def test_signing_out_or_revoking_the_token_closes_open_connections(
    rooms: RoomManager,
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    project_dir: Path,
) -> None:
    (project_dir / "a.txt").write_text("")
    key = DocKey(project_id, "a.txt")
    made = await client.post(
        "/api/me/tokens", json={"name": "editor"}, headers=owner.headers
    )
    assert made.status_code == 201, made.text
    api_token, token_id = made.json()["token"], made.json()["id"]

    def connect_with(token: str) -> tuple[FakeClient, Peer, asyncio.Task[None]]:
        client_ = FakeClient()
        peer = Peer(
            client_.transport,
            Identity(owner.id, owner.username, "#000"),
            can_write=True,
            token_hash=security.token_hash(token),
        )
        task = asyncio.get_running_loop().create_task(rooms.serve(key, peer))
        return client_, peer, task

    by_session, session_peer, session_task = connect_with(owner.token)
    by_api, api_peer, api_task = connect_with(api_token)
    await settle()

    # Revoking the API token closes only the connection that used it, at once.
    revoked = await client.delete(f"/api/me/tokens/{token_id}", headers=owner.headers)
    assert revoked.status_code == 204, revoked.text
    await asyncio.wait_for(api_task, rooms.config.recheck_access_seconds)
    assert api_peer.close_code == CloseCode.UNAUTHENTICATED
    assert by_api.transport.closed is not None
    assert "revoked" in by_api.transport.closed[1]
    assert session_peer.close_code is None

    # Signing out ends the browser session's connection too.
    out = await client.post("/api/auth/logout", headers=owner.headers)
    assert out.status_code == 204, out.text
    await asyncio.wait_for(session_task, rooms.config.recheck_access_seconds)
    assert session_peer.close_code == CloseCode.UNAUTHENTICATED
    assert by_session.transport.closed is not None
