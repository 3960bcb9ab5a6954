"""Authentication at the upgrade and connection limits of `/lsp/{project}`."""

from __future__ import annotations

import pytest

from tests.bridge.conftest import LiveServer, StartServer
from tests.bridge.raw import RawClient
from tests.server.conftest import Account


async def close_code(url: str, **kwargs: object) -> int:
    client = await RawClient.open(url, **kwargs)
    code, _ = await client.closed()
    return code


async def test_unauthenticated(live: LiveServer, project: int) -> None:
    assert await close_code(live.ws_url(project)) == 4401
    assert await close_code(live.ws_url(project, "dss_not_a_token")) == 4401


@pytest.mark.parametrize("project_path", ["999", "abc", "-1", "1" * 40])
async def test_no_such_project(
    live: LiveServer, owner: Account, project_path: str
) -> None:
    assert await close_code(live.ws_url(project_path, owner.token)) == 4404


async def test_not_a_member(live: LiveServer, project: int) -> None:
    mallory = await live.user("mallory")
    assert await close_code(live.ws_url(project, mallory.token)) == 4403


async def test_cookie_and_bearer_header(
    live: LiveServer, owner: Account, project: int
) -> None:
    for headers in (
        {"Cookie": f"devsync_session={owner.token}"},
        {"Authorization": f"Bearer {owner.token}"},
    ):
        client = await RawClient.open(live.ws_url(project), additional_headers=headers)
        assert "capabilities" in (await client.initialize())["result"]
        await client.close()


async def test_connections_per_user_and_total(start_server: StartServer) -> None:
    live = await start_server(
        bridge_max_connections_per_user=2, bridge_max_connections=3
    )
    olivia, bob = await live.user("olivia"), await live.user("bob")
    pid = await live.project(olivia)
    await live.add_member(olivia, pid, bob, "viewer")
    first = [await RawClient.open(live.ws_url(pid, olivia.token)) for _ in range(2)]
    for client in first:
        await client.initialize()
    assert await close_code(live.ws_url(pid, olivia.token)) == 4429  # per user
    bob1 = await RawClient.open(live.ws_url(pid, bob.token))
    await bob1.initialize()
    assert await close_code(live.ws_url(pid, bob.token)) == 4429  # in total
    await first[0].close()
    await bob1.close()
    again = await RawClient.open(live.ws_url(pid, olivia.token))  # slots are freed
    await again.initialize()
    for client in (*first[1:], again):
        await client.close()


async def test_idle_timeout(start_server: StartServer) -> None:
    live = await start_server(bridge_idle_timeout_seconds=0.3)
    olivia = await live.user("olivia")
    pid = await live.project(olivia)
    client = await RawClient.open(live.ws_url(pid, olivia.token))
    await client.initialize()
    code, reason = await client.closed()
    assert (code, reason) == (4408, "idle timeout")


async def test_open_connections_follow_token_and_membership(
    start_server: StartServer,
) -> None:
    live = await start_server(bridge_recheck_seconds=0.1)
    olivia, bob = await live.user("olivia"), await live.user("bob")
    pid = await live.project(olivia)
    await live.add_member(olivia, pid, bob, "editor")
    made = await live.http.post(
        "/api/me/tokens", json={"name": "editor"}, headers=olivia.headers
    )
    assert made.status_code == 201, made.text
    api_token, token_id = made.json()["token"], made.json()["id"]
    by_token = await RawClient.open(live.ws_url(pid, api_token))
    by_bob = await RawClient.open(live.ws_url(pid, bob.token))
    for client in (by_token, by_bob):
        assert "capabilities" in (await client.initialize())["result"]

    # A revoked API token ends the connection that signed in with it.
    revoked = await live.http.delete(
        f"/api/me/tokens/{token_id}", headers=olivia.headers
    )
    assert revoked.status_code == 204, revoked.text
    code, reason = await by_token.closed()
    assert code == 4401
    assert "revoked" in reason

    # A member removed from the project is closed with 4403.
    removed = await live.http.delete(
        f"/api/projects/{pid}/members/{bob.id}", headers=olivia.headers
    )
    assert removed.status_code == 204, removed.text
    code, _ = await by_bob.closed()
    assert code == 4403
