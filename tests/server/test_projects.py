"""Project routes: create, list, get, delete, and memberships with roles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx

from server.core.config import Settings
from tests.server.conftest import Account, SignUp, make_settings


def is_dir(path: Path) -> bool:
    return path.is_dir()


async def test_create_list_get_project(
    client: httpx.AsyncClient, owner: Account, settings: Settings
) -> None:
    created = await client.post(
        "/api/projects", json={"name": "demo"}, headers=owner.headers
    )
    assert created.status_code == 201
    project = created.json()
    assert project["role"] == "owner"
    assert datetime.fromisoformat(project["created_at"]).tzinfo is not None
    listed = await client.get("/api/projects", headers=owner.headers)
    assert [p["id"] for p in listed.json()] == [project["id"]]
    got = await client.get(f"/api/projects/{project['id']}", headers=owner.headers)
    assert got.json()["name"] == "demo"
    # Timezone survives the database round trip (SQLite drops it otherwise).
    assert datetime.fromisoformat(got.json()["created_at"]).tzinfo is not None
    assert (settings.projects_dir / str(project["id"]) / ".git").is_dir()


async def test_project_names_are_validated(
    client: httpx.AsyncClient, owner: Account
) -> None:
    for body in ({"name": ""}, {"name": "x" * 200}, {}):
        response = await client.post("/api/projects", json=body, headers=owner.headers)
        assert response.status_code == 422
    assert (await client.get("/api/projects", headers=owner.headers)).json() == []


async def test_members_roles_and_removal(
    client: httpx.AsyncClient, owner: Account, project_id: int, make_user: SignUp
) -> None:
    bob = await make_user("bob")
    url = f"/api/projects/{project_id}/members"
    assert (
        await client.get(f"/api/projects/{project_id}", headers=bob.headers)
    ).status_code == 403
    added = await client.post(
        url, json={"username": "bob", "role": "viewer"}, headers=owner.headers
    )
    assert added.status_code == 201
    assert added.json()["role"] == "viewer"
    got = await client.get(f"/api/projects/{project_id}", headers=bob.headers)
    assert got.json()["role"] == "viewer"
    # Promote, then list.
    await client.post(
        url, json={"username": "bob", "role": "editor"}, headers=owner.headers
    )
    members = (await client.get(url, headers=bob.headers)).json()
    assert {(m["username"], m["role"]) for m in members} == {
        ("olivia", "owner"),
        ("bob", "editor"),
    }
    # An editor cannot manage members.
    denied = await client.post(
        url, json={"username": "bob", "role": "owner"}, headers=bob.headers
    )
    assert denied.status_code == 403
    removed = await client.delete(f"{url}/{bob.id}", headers=owner.headers)
    assert removed.status_code == 204
    assert (
        await client.get(f"/api/projects/{project_id}", headers=bob.headers)
    ).status_code == 403


async def test_member_errors(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    url = f"/api/projects/{project_id}/members"
    unknown = await client.post(
        url, json={"username": "ghost", "role": "viewer"}, headers=owner.headers
    )
    assert unknown.status_code == 404
    bad_role = await client.post(
        url, json={"username": "olivia", "role": "admin"}, headers=owner.headers
    )
    assert bad_role.status_code == 422
    demote = await client.post(
        url, json={"username": "olivia", "role": "viewer"}, headers=owner.headers
    )
    assert demote.status_code == 400
    remove_owner = await client.delete(f"{url}/{owner.id}", headers=owner.headers)
    assert remove_owner.status_code == 400
    members = (await client.get(url, headers=owner.headers)).json()
    assert [(m["username"], m["role"]) for m in members] == [("olivia", "owner")]


async def test_delete_project_removes_repository(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    assert is_dir(project_dir)
    response = await client.delete(f"/api/projects/{project_id}", headers=owner.headers)
    assert response.status_code == 204
    assert not is_dir(project_dir)
    missing = await client.get(f"/api/projects/{project_id}", headers=owner.headers)
    assert missing.status_code == 404


async def test_new_users_get_the_sample_project(
    tmp_path: Path, database_url: str
) -> None:
    from server.app import create_app
    from tests.server.conftest import client_for, signup

    app = create_app(make_settings(tmp_path / "d", database_url, sample_project=True))
    try:
        async with client_for(app) as client:
            ada = await signup(client, "ada")
            projects = (await client.get("/api/projects", headers=ada.headers)).json()
            assert [p["name"] for p in projects] == ["sample"]
            pid = projects[0]["id"]
            tree = await client.get(f"/api/projects/{pid}/tree", headers=ada.headers)
            paths = {e["path"] for e in tree.json()["entries"]}
            assert {"main.py", "geometry/shapes.py", "geometry/report.py"} <= paths
            log = await client.get(f"/api/projects/{pid}/commits", headers=ada.headers)
            assert [c["summary"] for c in log.json()["items"]] == ["Initial commit"]
    finally:
        app.state.db.dispose()
