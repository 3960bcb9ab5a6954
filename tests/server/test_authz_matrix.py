"""Every auth, project, file and history route x (anonymous, other user, viewer,
editor, owner) -> the expected status. A route of those packages missing from
the table fails the test, so new routes get a row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute

from tests.server.conftest import Account, SignUp

ROLES = ["anonymous", "other", "viewer", "editor", "owner"]
RANK = {"anonymous": -2, "other": -1, "viewer": 0, "editor": 1, "owner": 2}


@dataclass
class Case:
    method: str
    route: str  # the route's path template, for the coverage check
    url: str  # with {pid}, {role}, {carol} placeholders
    needs: str  # "anyone", "user" (signed in) or the least project role
    ok: int
    json: dict[str, object] | None = None
    content: bytes | None = None
    params: dict[str, str] = field(default_factory=dict)


P = "/api/projects/{project_id}"
CASES = [
    Case("GET", "/api/me", "/api/me", "user", 200),
    Case("GET", "/api/me/tokens", "/api/me/tokens", "user", 200),
    Case("POST", "/api/me/tokens", "/api/me/tokens", "user", 201, json={"name": "t"}),
    Case("GET", "/api/projects", "/api/projects", "user", 200),
    Case("POST", "/api/projects", "/api/projects", "user", 201, json={"name": "p"}),
    Case("GET", P, "/api/projects/{pid}", "viewer", 200),
    Case("GET", P + "/members", "/api/projects/{pid}/members", "viewer", 200),
    Case(
        "POST",
        P + "/members",
        "/api/projects/{pid}/members",
        "owner",
        201,
        json={"username": "carol", "role": "viewer"},
    ),
    Case(
        "DELETE",
        P + "/members/{user_id}",
        "/api/projects/{pid}/members/{carol}",
        "owner",
        204,
    ),
    Case("GET", P + "/tree", "/api/projects/{pid}/tree", "viewer", 200),
    Case(
        "GET",
        P + "/tree",
        "/api/projects/{pid}/tree",
        "viewer",
        200,
        params={"ref": "HEAD"},
    ),
    Case(
        "GET",
        P + "/files/{path:path}",
        "/api/projects/{pid}/files/README.md",
        "viewer",
        200,
    ),
    Case(
        "GET",
        P + "/files/{path:path}",
        "/api/projects/{pid}/files/README.md",
        "viewer",
        200,
        params={"ref": "HEAD"},
    ),
    Case(
        "PUT",
        P + "/files/{path:path}",
        "/api/projects/{pid}/files/put-{role}.txt",
        "editor",
        201,
        content=b"text\n",
    ),
    Case(
        "DELETE",
        P + "/files/{path:path}",
        "/api/projects/{pid}/files/del-{role}.txt",
        "editor",
        204,
    ),
    Case(
        "POST",
        P + "/files/{path:path}:move",
        "/api/projects/{pid}/files/mv-{role}.txt:move",
        "editor",
        200,
        json={"to": "moved-{role}.txt"},
    ),
    Case(
        "POST",
        P + "/commits",
        "/api/projects/{pid}/commits",
        "editor",
        201,
        json={"message": "m"},
    ),
    Case("GET", P + "/commits", "/api/projects/{pid}/commits", "viewer", 200),
    Case(
        "GET", P + "/commits/{sha}", "/api/projects/{pid}/commits/HEAD", "viewer", 200
    ),
    Case(
        "GET",
        P + "/commits/{sha}/diff",
        "/api/projects/{pid}/commits/HEAD/diff",
        "viewer",
        200,
    ),
    Case(
        "POST",
        P + "/restore",
        "/api/projects/{pid}/restore",
        "editor",
        200,
        json={"path": "README.md", "ref": "HEAD~1"},
    ),
    Case("DELETE", "/api/me/tokens/{token_id}", "/api/me/tokens/{token}", "user", 204),
    # Logging out is idempotent: without a session there is nothing to end.
    Case("POST", "/api/auth/logout", "/api/auth/logout", "anyone", 204),
    # Last: it removes the project.
    Case("DELETE", P, "/api/projects/{pid}", "owner", 204),
]
PUBLIC = {("POST", "/api/auth/register"), ("POST", "/api/auth/login")}
COVERED_PACKAGES = (
    "server.auth.",
    "server.projects.",
    "server.files.",
    "server.history.",
)


def expected(case: Case, role: str) -> int:
    if case.needs == "anyone":
        return case.ok
    if role == "anonymous":
        return 401
    if case.needs == "user":
        return case.ok
    if role == "other":
        return 403
    return case.ok if RANK[role] >= RANK[case.needs] else 403


def fill(value: object, values: dict[str, str]) -> object:
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    return value


async def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    routes = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.endpoint.__module__.startswith(COVERED_PACKAGES)
        for method in route.methods or ()
    }
    covered = {(c.method, c.route) for c in CASES} | PUBLIC
    assert routes - covered == set()


async def test_authorisation_matrix(
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    project_dir: Path,
    make_user: SignUp,
) -> None:
    users: dict[str, Account] = {"owner": owner}
    for role in ("viewer", "editor", "other"):
        users[role] = await make_user(f"{role}-user")
        if role != "other":
            added = await client.post(
                f"/api/projects/{project_id}/members",
                json={"username": f"{role}-user", "role": role},
                headers=owner.headers,
            )
            assert added.status_code == 201
    carol = await make_user("carol")
    await client.put(
        f"/api/projects/{project_id}/files/seed.txt",
        content=b"x",
        headers=owner.headers,
    )
    await client.post(
        f"/api/projects/{project_id}/commits",
        json={"message": "seed"},
        headers=owner.headers,
    )
    for role in ROLES:
        (project_dir / f"del-{role}.txt").write_text("delete me\n")
        (project_dir / f"mv-{role}.txt").write_text("move me\n")
    failures = []
    for role in ROLES:
        account = users.get(role)
        headers = account.headers if account else {}
        token = "0"
        if account:  # a throwaway token of this user, for the revoke row
            made = await client.post(
                "/api/me/tokens", json={"name": "x"}, headers=headers
            )
            token = str(made.json()["id"])
        values = {
            "pid": str(project_id),
            "role": role,
            "carol": str(carol.id),
            "token": token,
        }
        for case in CASES:
            if case.method == "POST" and case.route == "/api/auth/logout" and account:
                # Log out a separate session, so this user's token stays valid.
                login = await client.post(
                    "/api/auth/login",
                    json={
                        "username": account.username,
                        "password": "correct horse battery",
                    },
                )
                client.cookies.clear()
                headers_used = {"Authorization": f"Bearer {login.json()['token']}"}
            else:
                headers_used = headers
            response = await client.request(
                case.method,
                str(fill(case.url, values)),
                json=fill(case.json, values) if case.json is not None else None,
                content=case.content,
                params=case.params,
                headers=headers_used,
            )
            want = expected(case, role)
            if response.status_code != want:
                failures.append(
                    f"{role:9} {case.method} {case.url} {case.params or ''}: "
                    f"{response.status_code} != {want} {response.text[:120]}"
                )
    assert failures == []
