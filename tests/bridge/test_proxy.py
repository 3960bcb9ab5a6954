"""Proxy mode: `ruff server` spawned per connection behind the same bridge."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.bridge.conftest import LiveServer, StartServer
from tests.bridge.raw import RawClient

RUFF = str(Path(sys.executable).parent / "ruff")


@pytest.fixture
async def proxied(start_server: StartServer) -> LiveServer:
    return await start_server(bridge_command=[RUFF, "server"])


async def test_ruff_server_through_the_bridge(proxied: LiveServer) -> None:
    olivia = await proxied.user("olivia")
    pid = await proxied.project(olivia)
    client = await RawClient.open(proxied.ws_url(pid, olivia.token))
    init = await client.initialize()
    assert init["result"]["serverInfo"]["name"] == "ruff"
    uri = await client.open_doc("unused.py", "import os\nx   =  1\n")
    diagnostics = await client.request(
        "textDocument/diagnostic", {"textDocument": {"uri": uri}}
    )
    codes = [d.get("code") for d in diagnostics["result"]["items"]]
    assert "F401" in codes
    formatted = await client.request(
        "textDocument/formatting",
        {"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}},
    )
    assert any(edit["newText"] for edit in formatted["result"])
    escape = await client.request(
        "textDocument/diagnostic", {"textDocument": {"uri": "devsync:///../x.py"}}
    )
    assert escape["error"]["code"] == -32602
    await client.send("{broken")
    assert (await client.recv())["error"]["code"] == -32700
    unknown = await client.request("no/suchMethod", {})
    assert unknown["error"]["code"] == -32601
    await client.request("shutdown")
    await client.notify("exit")
    code, _ = await client.closed()
    assert code == 1000
    assert not [frame for frame in client.seen if "file:" in frame], client.seen


async def test_viewer_cannot_format_through_proxy(proxied: LiveServer) -> None:
    olivia, viola = await proxied.user("olivia"), await proxied.user("viola")
    pid = await proxied.project(olivia)
    await proxied.add_member(olivia, pid, viola, "viewer")
    client = await RawClient.open(proxied.ws_url(pid, viola.token))
    await client.initialize()
    uri = await client.open_doc("a.py", "x   =  1\n")
    reply = await client.request(
        "textDocument/formatting",
        {"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}},
    )
    assert reply["error"]["code"] == -32803
    pulled = await client.request(
        "textDocument/diagnostic", {"textDocument": {"uri": uri}}
    )
    assert "result" in pulled, json.dumps(pulled)
    await client.close()


async def test_missing_command_closes_with_1011(start_server: StartServer) -> None:
    live = await start_server(bridge_command=["/nonexistent/language-server"])
    olivia = await live.user("olivia")
    pid = await live.project(olivia)
    client = await RawClient.open(live.ws_url(pid, olivia.token))
    code, reason = await client.closed()
    assert code == 1011
    assert reason == "language server failed"
