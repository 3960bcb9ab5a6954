"""Session routes: invites stored hashed, expiring, revocable; roles for the
session's duration; participants; ending takes the granted roles back."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from server.auth.models import utcnow
from server.sessions.models import CollabSession
from tests.server.conftest import Account, SignUp


async def open_session(
    client: httpx.AsyncClient, owner: Account, pid: int, role: str
) -> dict:  # type: ignore[type-arg]
    response = await client.post(
        f"/api/projects/{pid}/sessions", json={"role": role}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


async def test_join_grants_role_until_the_session_ends(
    client: httpx.AsyncClient,
    app: FastAPI,
    owner: Account,
    project_id: int,
    make_user: SignUp,
):
    guest = await make_user("guest")
    tree = f"/api/projects/{project_id}"
    assert (await client.get(tree, headers=guest.headers)).status_code == 403
    body = await open_session(client, owner, project_id, "viewer")
    assert body["invite_url"].endswith("/join/" + body["invite_token"])
    with app.state.db.session() as s:
        stored = s.scalar(select(CollabSession.token_hash))
    assert stored is not None
    assert body["invite_token"] not in stored

    joined = await client.post(
        "/api/sessions/join",
        json={"invite_token": body["invite_token"]},
        headers=guest.headers,
    )
    assert joined.json() == {
        "session_id": body["id"],
        "project_id": project_id,
        "role": "viewer",
    }
    assert (await client.get(tree, headers=guest.headers)).json()["role"] == "viewer"
    parts = await client.get(
        f"{tree}/sessions/{body['id']}/participants", headers=guest.headers
    )
    assert [(p["username"], p["role"], p["online"]) for p in parts.json()] == [
        ("guest", "viewer", False)
    ]
    forbidden = await client.delete(
        f"{tree}/sessions/{body['id']}", headers=guest.headers
    )
    assert forbidden.status_code == 403
    ended = await client.delete(f"{tree}/sessions/{body['id']}", headers=owner.headers)
    assert ended.status_code == 204
    assert (await client.get(tree, headers=guest.headers)).status_code == 403
    listed = await client.get(f"{tree}/sessions", headers=owner.headers)
    assert listed.json()[0]["ended_at"] is not None


async def test_existing_higher_role_is_kept_and_restored(
    client: httpx.AsyncClient, owner: Account, project_id: int, make_user: SignUp
):
    member = await make_user("member")
    tree = f"/api/projects/{project_id}"
    await client.post(
        f"{tree}/members",
        json={"username": "member", "role": "viewer"},
        headers=owner.headers,
    )
    body = await open_session(client, owner, project_id, "editor")
    await client.post(
        "/api/sessions/join",
        json={"invite_token": body["invite_token"]},
        headers=member.headers,
    )
    assert (await client.get(tree, headers=member.headers)).json()["role"] == "editor"
    await client.delete(f"{tree}/sessions/{body['id']}", headers=owner.headers)
    assert (await client.get(tree, headers=member.headers)).json()["role"] == "viewer"
    owner_join = await client.post(
        "/api/sessions/join",
        json={"invite_token": body["invite_token"]},
        headers=owner.headers,
    )
    assert owner_join.status_code == 404


async def test_invites_expire_and_can_be_revoked(
    client: httpx.AsyncClient,
    app: FastAPI,
    owner: Account,
    project_id: int,
    make_user: SignUp,
):
    guest = await make_user("guest")
    tree = f"/api/projects/{project_id}"
    first = await open_session(client, owner, project_id, "editor")
    revoked = await client.delete(
        f"{tree}/sessions/{first['id']}/invite", headers=owner.headers
    )
    assert revoked.status_code == 204
    second = await open_session(client, owner, project_id, "editor")
    with app.state.db.session() as s:
        s.execute(
            update(CollabSession)
            .where(CollabSession.id == second["id"])
            .values(invite_expires_at=utcnow() - timedelta(minutes=1))
        )
    for token in (first["invite_token"], second["invite_token"], "dsi_unknown"):
        response = await client.post(
            "/api/sessions/join", json={"invite_token": token}, headers=guest.headers
        )
        assert response.status_code == 404
    owner_role = await client.post(
        f"{tree}/sessions", json={"role": "owner"}, headers=owner.headers
    )
    assert owner_role.status_code == 400
    anonymous = await client.post("/api/sessions/join", json={"invite_token": "x"})
    assert anonymous.status_code == 401
