"""Auth routes: registration, login and its throttle, tokens, logout, cookies."""

from __future__ import annotations

from datetime import datetime

import httpx
from fastapi import FastAPI

from tests.server.conftest import PASSWORD, SignUp, client_for


async def test_register_returns_user_and_me_answers(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/register",
        json={"username": "ada", "password": PASSWORD, "display_name": "Ada L."},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "ada"
    assert body["display_name"] == "Ada L."
    assert "password" not in response.text
    login = await client.post(
        "/api/auth/login", json={"username": "ada", "password": PASSWORD}
    )
    me = await client.get(
        "/api/me", headers={"Authorization": f"Bearer {login.json()['token']}"}
    )
    assert me.status_code == 200
    assert me.json()["id"] == body["id"]


async def test_duplicate_username_is_409_and_keeps_first_password(
    client: httpx.AsyncClient, make_user: SignUp
) -> None:
    await make_user("ada")
    again = await client.post(
        "/api/auth/register", json={"username": "ada", "password": "another password"}
    )
    assert again.status_code == 409
    assert "taken" in again.json()["detail"]
    old = await client.post(
        "/api/auth/login", json={"username": "ada", "password": PASSWORD}
    )
    assert old.status_code == 200
    new = await client.post(
        "/api/auth/login", json={"username": "ada", "password": "another password"}
    )
    assert new.status_code == 401


async def test_invalid_registrations_are_422(client: httpx.AsyncClient) -> None:
    for body in (
        {"username": "-ada", "password": PASSWORD},
        {"username": "a", "password": PASSWORD},
        {"username": "ada", "password": "short"},
        {"username": "ada/../x", "password": PASSWORD},
        {"username": "ada", "password": PASSWORD, "display_name": "Ada\nEvil: x"},
        {"username": "ada"},
    ):
        response = await client.post("/api/auth/register", json=body)
        assert response.status_code == 422, body
    login = await client.post(
        "/api/auth/login", json={"username": "ada", "password": PASSWORD}
    )
    assert login.status_code == 401


async def test_wrong_password_and_unknown_user_are_401(
    client: httpx.AsyncClient, make_user: SignUp
) -> None:
    await make_user("ada")
    for username, password in (("ada", "wrong password"), ("nobody", PASSWORD)):
        response = await client.post(
            "/api/auth/login", json={"username": username, "password": password}
        )
        assert response.status_code == 401
        assert response.json() == {"detail": "wrong username or password"}
        assert "set-cookie" not in response.headers


async def test_login_sets_httponly_samesite_lax_cookie(
    client: httpx.AsyncClient, make_user: SignUp
) -> None:
    await make_user("ada")
    response = await client.post(
        "/api/auth/login", json={"username": "ada", "password": PASSWORD}
    )
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert cookie.startswith("devsync_session=")
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert "secure" not in attributes  # cookie_secure defaults to False
    # The cookie alone authenticates the browser.
    me = await client.get("/api/me")
    assert me.status_code == 200
    assert me.json()["username"] == "ada"


async def test_logout_revokes_the_session(
    client: httpx.AsyncClient, make_user: SignUp
) -> None:
    await make_user("ada")
    login = await client.post(
        "/api/auth/login", json={"username": "ada", "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    client.cookies.clear()
    assert (await client.get("/api/me", headers=headers)).status_code == 200
    out = await client.post("/api/auth/logout", headers=headers)
    assert out.status_code == 204
    assert (await client.get("/api/me", headers=headers)).status_code == 401


async def test_throttle_per_username(app: FastAPI, make_user: SignUp) -> None:
    await make_user("ada")
    limit = app.state.settings.login_max_failures
    # Failures come from different addresses: the username alone trips the limit.
    for i in range(limit):
        async with client_for(app, f"10.0.0.{i + 1}") as c:
            response = await c.post(
                "/api/auth/login", json={"username": "ada", "password": "bad guess"}
            )
            assert response.status_code == 401
    async with client_for(app, "10.0.1.1") as c:
        blocked = await c.post(
            "/api/auth/login", json={"username": "ada", "password": PASSWORD}
        )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


async def test_throttle_per_address(app: FastAPI, make_user: SignUp) -> None:
    await make_user("ada")
    limit = app.state.settings.login_max_failures
    async with client_for(app, "10.9.9.9") as c:
        for i in range(limit):
            response = await c.post(
                "/api/auth/login", json={"username": f"guess{i}", "password": "nope"}
            )
            assert response.status_code == 401
        blocked = await c.post(
            "/api/auth/login", json={"username": "ada", "password": PASSWORD}
        )
        assert blocked.status_code == 429
    async with client_for(app, "10.9.9.10") as other:
        allowed = await other.post(
            "/api/auth/login", json={"username": "ada", "password": PASSWORD}
        )
        assert allowed.status_code == 200


async def test_api_tokens_create_list_revoke(
    client: httpx.AsyncClient, make_user: SignUp
) -> None:
    ada = await make_user("ada")
    created = await client.post(
        "/api/me/tokens", json={"name": "ci", "expires_in_days": 7}, headers=ada.headers
    )
    assert created.status_code == 201
    token = created.json()
    assert token["token"].startswith("dst_")
    expires = datetime.fromisoformat(token["expires_at"])
    assert expires.tzinfo is not None
    api_headers = {"Authorization": f"Bearer {token['token']}"}
    assert (await client.get("/api/me", headers=api_headers)).status_code == 200

    listed = await client.get("/api/me/tokens", headers=ada.headers)
    assert [t["name"] for t in listed.json()] == ["ci"]
    assert "token" not in listed.json()[0]  # the secret is shown once only
    assert datetime.fromisoformat(listed.json()[0]["created_at"]).tzinfo is not None

    revoked = await client.delete(f"/api/me/tokens/{token['id']}", headers=ada.headers)
    assert revoked.status_code == 204
    assert (await client.get("/api/me", headers=api_headers)).status_code == 401
    assert (await client.get("/api/me/tokens", headers=ada.headers)).json()[0][
        "revoked"
    ]


async def test_tokens_of_others_cannot_be_revoked(
    client: httpx.AsyncClient, make_user: SignUp
) -> None:
    ada, bob = await make_user("ada"), await make_user("bob")
    created = await client.post(
        "/api/me/tokens", json={"name": "mine"}, headers=ada.headers
    )
    token_id = created.json()["id"]
    response = await client.delete(f"/api/me/tokens/{token_id}", headers=bob.headers)
    assert response.status_code == 404
    secret = {"Authorization": f"Bearer {created.json()['token']}"}
    assert (await client.get("/api/me", headers=secret)).status_code == 200


async def test_bad_tokens_are_401(client: httpx.AsyncClient) -> None:
    for header in ("Bearer nope", "Bearer " + "x" * 5000, "Basic abc", ""):
        response = await client.get("/api/me", headers={"Authorization": header})
        assert response.status_code == 401
