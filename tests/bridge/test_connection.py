"""Per-message behaviour of the bridge: bad frames, limits, roles, path escapes,
and no server path ever reaching the browser."""

from __future__ import annotations

import json
import os

import httpx

from tests.bridge.conftest import LiveServer, StartServer
from tests.bridge.raw import RawClient
from tests.server.conftest import Account


async def opened(live: LiveServer, project: int, token: str) -> RawClient:
    client = await RawClient.open(live.ws_url(project, token))
    await client.initialize()
    return client


async def test_bad_frames_get_errors_and_the_connection_stays(
    live: LiveServer, owner: Account, project: int
) -> None:
    client = await opened(live, project, owner.token)
    cases: list[tuple[str | bytes, int]] = [
        ("{not json", -32700),
        ("[1, 2]", -32600),
        ('"a string"', -32600),
        ('{"jsonrpc": "2.0"}', -32600),
        ('{"jsonrpc": "1.0", "id": 5, "method": "x"}', -32600),
        ('{"jsonrpc": "2.0", "id": 6, "method": 7}', -32600),
        ('{"jsonrpc": "2.0", "id": {"a": 1}, "method": "x"}', -32600),
        (b'{"jsonrpc": "2.0", "id": 8, "method": "shutdown"}', -32600),
        (
            '{"jsonrpc": "2.0", "id": 9, "method": "no/suchMethod", "params": {}}',
            -32601,
        ),
        (
            '{"jsonrpc":"2.0","id":10,"method":"textDocument/hover","params":{}}',
            -32602,
        ),
    ]
    for frame, code in cases:
        await client.send(frame)
        reply = await client.recv()
        assert reply["error"]["code"] == code, (frame, reply)
    await client.notify("no/suchNotification", {})  # ignored, per LSP
    uri = await client.open_doc("ok.py", "import os\nos.pa")
    reply = await client.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 5}},
    )
    assert any(item["label"] == "path" for item in reply["result"]["items"])
    await client.close()


async def test_oversized_frame_closes_and_server_stays_up(
    start_server: StartServer,
) -> None:
    live = await start_server(bridge_max_message_bytes=4096)
    olivia = await live.user("olivia")
    pid = await live.project(olivia)
    client = await opened(live, pid, olivia.token)
    await client.open_doc("big.py", "x = 1\n" * 1000)
    code, reason = await client.closed()
    assert code == 1009
    assert "4096" in reason
    again = await opened(live, pid, olivia.token)
    await again.close()


async def test_flood_closes_with_4429(start_server: StartServer) -> None:
    live = await start_server(bridge_rate_per_second=20, bridge_rate_burst=50)
    olivia = await live.user("olivia")
    pid = await live.project(olivia)
    client = await opened(live, pid, olivia.token)
    for _ in range(200):
        await client.notify("$/setTrace", {"value": "off"})
    code, reason = await client.closed()
    assert code == 4429
    assert "slow down" in reason
    again = await opened(live, pid, olivia.token)
    await again.close()


async def test_path_escapes_are_refused(
    live: LiveServer, owner: Account, project: int
) -> None:
    root = live.root(project)
    os.symlink("/etc", root / "etc_link")
    client = await opened(live, project, owner.token)
    position = {"line": 0, "character": 0}
    for uri in (
        "devsync:///../outside.py",
        "devsync:///pkg/../../outside.py",
        "devsync:///%2e%2e/outside.py",
        "devsync:///etc_link/hostname",
        "devsync:///.git/config",
        "devsync-lib:///../../../../etc/passwd",
        "devsync://host/main.py",
        "file:///etc/passwd",
        f"file://{root}/main.py",
    ):
        reply = await client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
        )
        assert reply["error"]["code"] == -32602, (uri, reply)
    await client.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": "devsync:///../x.py",
                "languageId": "python",
                "version": 1,
                "text": "",
            }
        },
    )
    shown = await client.notification("window/showMessage")
    assert "not in the project" in shown["params"]["message"]
    await client.close()


async def test_viewer_gets_features_but_no_edits(
    live: LiveServer, owner: Account, project: int
) -> None:
    viola = await live.user("viola")
    await live.add_member(owner, project, viola, "viewer")
    client = await opened(live, project, viola.token)
    uri = await client.open_doc("main.py", (live.root(project) / "main.py").read_text())
    where = {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 12}}
    hover = await client.request("textDocument/hover", where)
    assert "Build a circle" in json.dumps(hover["result"])
    for method, params in (
        ("textDocument/rename", {**where, "newName": "build"}),
        (
            "textDocument/formatting",
            {
                "textDocument": {"uri": uri},
                "options": {"tabSize": 4, "insertSpaces": True},
            },
        ),
        (
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": where["position"], "end": where["position"]},
                "context": {"diagnostics": []},
            },
        ),
        (
            "workspace/executeCommand",
            {"command": "devsync.organizeImports", "arguments": [uri]},
        ),
    ):
        reply = await client.request(method, params)
        assert reply["error"]["code"] == -32803
        assert "viewers" in reply["error"]["message"]
    await client.close()


async def test_editor_rename_comes_back_with_project_uris(
    live: LiveServer, owner: Account, project: int
) -> None:
    client = await opened(live, project, owner.token)
    uri = await client.open_doc("main.py", (live.root(project) / "main.py").read_text())
    where = {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 12}}
    reply = await client.request("textDocument/rename", {**where, "newName": "build"})
    text = json.dumps(reply["result"])
    assert "devsync:///main.py" in text
    assert "file:" not in text
    await client.close()


async def test_library_definition_is_a_lib_uri_served_read_only(
    live: LiveServer, owner: Account, project: int
) -> None:
    client = await opened(live, project, owner.token)
    source = "import argparse\nargparse.ArgumentParser\n"
    uri = await client.open_doc("lib.py", source)
    reply = await client.request(
        "textDocument/definition",
        {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 12}},
    )
    targets = [loc.get("uri") or loc.get("targetUri") for loc in reply["result"]]
    assert targets
    assert all(t.startswith("devsync-lib:///") for t in targets), targets
    lib_path = targets[0].removeprefix("devsync-lib:///")
    async with httpx.AsyncClient(base_url=live.base_url, headers=owner.headers) as http:
        response = await http.get(f"/api/projects/{project}/lib/{lib_path}")
        assert response.status_code == 200
        assert "class ArgumentParser" in response.text
        for bad in (
            "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/etc/passwd.py",
            "os.txt",
            "nope.py",
        ):
            assert (
                await http.get(f"/api/projects/{project}/lib/{bad}")
            ).status_code == 404, bad
        # httpx folds a literal "../" away; whatever route that reaches, no file.
        escaped = await http.get(f"/api/projects/{project}/lib/../../../../etc/passwd")
        assert "root:" not in escaped.text
    anonymous = await live.http.get(f"/api/projects/{project}/lib/{lib_path}")
    assert anonymous.status_code == 401
    mallory = await live.user("mallory")
    response = await live.http.get(
        f"/api/projects/{project}/lib/{lib_path}", headers=mallory.headers
    )
    assert response.status_code == 403
    # Opening the library file through the bridge works too (read-only view).
    hover = await client.request(
        "textDocument/hover",
        {"textDocument": {"uri": targets[0]}, "position": {"line": 0, "character": 0}},
    )
    assert "error" not in hover
    await client.close()
    leaked = [
        f
        for f in client.seen
        if "file:" in f or str(live.settings.data_dir.resolve()) in f
    ]
    assert not leaked
