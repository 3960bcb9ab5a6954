"""Sessions with invite links, and live documents meeting files and history."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tests.e2e import collab_harness as harness
from tests.e2e.collab_harness import eventually

pytestmark = pytest.mark.e2e
server = harness.server
project = harness.project


async def test_invite_join_participants_and_end(server, project):
    created = server.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "editor"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["invite_url"].endswith(body["invite_token"])
    assert (
        server.api(
            "POST", f"/api/projects/{project}/sessions", "bob", json={}
        ).status_code
        == 403
    )
    db = sqlite3.connect(server.data_dir / "devsync.db")
    stored = db.execute("select token_hash from collab_sessions").fetchone()[0]
    assert body["invite_token"] not in stored

    joined = server.api(
        "POST", "/api/sessions/join", "eve", json={"invite_token": body["invite_token"]}
    )
    assert joined.status_code == 200, joined.text
    assert joined.json()["role"] == "editor"
    eve = await server.client(project, "main.py", "eve").connect()
    await eve.wait_synced()
    await eve.insert(0, "# eve\n")
    ada = await server.client(project, "main.py", "ada").connect()
    await ada.wait_synced()
    # Eve's edit reaches Ada in her initial sync if it was stored by then,
    # else as the broadcast right after (she is in the room before either).
    await eventually(lambda: str(ada.text).startswith("# eve\n"))

    parts = server.api(
        "GET", f"/api/projects/{project}/sessions/{body['id']}/participants", "bob"
    )
    assert [(p["username"], p["role"], p["online"]) for p in parts.json()] == [
        ("eve", "editor", True)
    ]

    ended = server.api(
        "DELETE", f"/api/projects/{project}/sessions/{body['id']}", "ada"
    )
    assert ended.status_code == 204
    await asyncio.wait_for(eve.closed.wait(), 10)
    assert eve.close_code == 4410
    assert "ended" in eve.close_reason
    assert ada.close_code is None
    again = await server.client(project, "main.py", "eve").connect()
    await asyncio.wait_for(again.closed.wait(), 10)
    assert again.close_code == 4403
    await again.close()
    await eve.close()
    rejoin = server.api(
        "POST", "/api/sessions/join", "eve", json={"invite_token": body["invite_token"]}
    )
    assert rejoin.status_code == 404
    await ada.close()


async def test_revoked_invite_cannot_be_used(server, project):
    body = server.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "viewer"}
    ).json()
    revoked = server.api(
        "DELETE", f"/api/projects/{project}/sessions/{body['id']}/invite", "ada"
    )
    assert revoked.status_code == 204
    joined = server.api(
        "POST", "/api/sessions/join", "eve", json={"invite_token": body["invite_token"]}
    )
    assert joined.status_code == 404
    bogus = server.api(
        "POST", "/api/sessions/join", "eve", json={"invite_token": "dsi_nope"}
    )
    assert bogus.status_code == 404


async def test_rest_writes_restore_and_co_authors(server, project):
    base = f"/api/projects/{project}"
    ada = await server.client(project, "main.py", "ada").connect()
    bob = await server.client(project, "main.py", "bob").connect()
    for c in (ada, bob):
        await c.wait_synced()
    await bob.insert(len(bob.text), "x = 1\n")
    await eventually(lambda: "x = 1" in str(ada.text))

    commit = server.api(
        "POST", f"{base}/commits", "ada", json={"message": "live edits"}
    )
    assert commit.status_code == 201, commit.text
    message = commit.json()["message"]
    assert "Co-authored-by: bob <bob@" in message
    assert "Co-authored-by: ada" not in message
    shown = server.api("GET", f"{base}/files/main.py", "ada")
    assert shown.text == "print('hi')\nx = 1\n"
    first_sha = commit.json()["sha"]

    put = server.api(
        "PUT", f"{base}/files/main.py", "bob", content="rewritten\r\nby REST 😀\n"
    )
    assert put.status_code == 200, put.text
    await eventually(lambda: str(ada.text) == "rewritten\r\nby REST 😀\n")
    await eventually(lambda: str(bob.text) == "rewritten\r\nby REST 😀\n")
    second = server.api("POST", f"{base}/commits", "bob", json={"message": "rest"})
    assert second.status_code == 201, second.text
    assert "Co-authored-by" not in second.json()["message"]

    restored = server.api(
        "POST", f"{base}/restore", "ada", json={"path": "main.py", "ref": first_sha}
    )
    assert restored.status_code == 200, restored.text
    assert restored.json()["live"] is True
    await eventually(lambda: str(bob.text) == "print('hi')\nx = 1\n")
    await ada.close()
    await bob.close()


async def test_role_changes_reach_open_connections(server, project):
    """Roles are held on connections already open, not only at the upgrade:
    a member demoted to viewer is told and their edits are refused; a member
    removed from the project is disconnected with the reason."""
    bob = await server.client(project, "main.py", "bob").connect()
    ada = await server.client(project, "main.py", "ada").connect()
    await bob.wait_synced()
    await ada.wait_synced()
    await bob.insert(0, "# bob was here\n")
    await ada.until(lambda: str(ada.text).startswith("# bob was here\n"))

    demoted = server.api(
        "POST",
        f"/api/projects/{project}/members",
        "ada",
        json={"username": "bob", "role": "viewer"},
    )
    assert demoted.status_code == 201, demoted.text
    await bob.until(lambda: bool(bob.denied), within=5)
    assert "viewer" in bob.denied[0]
    assert bob.close_code is None  # still connected, read-only
    await bob.insert(0, "# refused\n")
    await ada.insert(0, "# ada\n")  # a later edit that does get through
    await bob.until(lambda: str(bob.text).count("# ada\n") == 1)
    assert "# refused" not in str(ada.text)
    fresh = await server.client(project, "main.py", "ada").connect()
    await fresh.wait_synced()
    assert "# refused" not in str(fresh.text)  # never stored
    assert str(fresh.text).startswith("# ada\n# bob was here\n")
    await fresh.close()

    members = server.api("GET", f"/api/projects/{project}/members", "ada").json()
    bob_id = next(m["user_id"] for m in members if m["username"] == "bob")
    removed = server.api("DELETE", f"/api/projects/{project}/members/{bob_id}", "ada")
    assert removed.status_code == 204, removed.text
    await asyncio.wait_for(bob.closed.wait(), 5)
    assert bob.close_code == 4403
    assert "no longer a member" in bob.close_reason
    assert ada.close_code is None
    await bob.close()
    await ada.close()


async def test_session_ended_elsewhere_still_closes_its_connections(server, project):
    """A session ended other than through this server's route (here: straight
    in the database, as another instance would) still reaches the open
    connections of its participants, within the recheck interval."""
    body = server.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "editor"}
    ).json()
    joined = server.api(
        "POST", "/api/sessions/join", "eve", json={"invite_token": body["invite_token"]}
    )
    assert joined.status_code == 200, joined.text
    eve = await server.client(project, "main.py", "eve").connect()
    await eve.wait_synced()
    db = sqlite3.connect(server.data_dir / "devsync.db")
    with db:  # eve keeps a viewer role, but not through the session
        db.execute(
            "update collab_sessions set ended_at = CURRENT_TIMESTAMP where id = ?",
            (body["id"],),
        )
        db.execute(
            "update memberships set role = 'viewer' where user_id = "
            "(select id from users where username = 'eve')"
        )
    db.close()
    await asyncio.wait_for(eve.closed.wait(), 10)
    assert eve.close_code == 4410
    assert "session" in eve.close_reason
    await eve.close()
