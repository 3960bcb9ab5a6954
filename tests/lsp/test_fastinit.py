"""The early initialize answer must match what the real server advertises."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_lsp import client_capabilities

from lsp import fastinit, ruff_tool

CLIENTS = ["neovim", "visual-studio-code", "emacs", "neovim@v0.7.0"]


def _client(spec: str) -> dict[str, Any]:
    from pygls.protocol import default_converter

    raw = default_converter().unstructure(client_capabilities(spec))
    return json.loads(json.dumps(raw))  # type: ignore[no-any-return]


def test_snapshot_is_current() -> None:
    assert fastinit.snapshot_now() == fastinit.SNAPSHOT, (
        "capabilities changed: run `python -m lsp.fastinit` and commit "
        "lsp/capabilities_snapshot.py"
    )


@pytest.mark.parametrize("spec", [*CLIENTS, "bare"])
def test_fast_answer_matches_real_server(spec: str) -> None:
    client = {} if spec == "bare" else _client(spec)
    assert fastinit.capabilities(client, ruff=True) == fastinit.real_capabilities(
        client
    )


def test_without_ruff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruff_tool, "ruff_binary", lambda: None)
    client = _client("neovim")
    assert fastinit.capabilities(client, ruff=False) == fastinit.real_capabilities(
        client
    )


def test_answer_only_for_initialize() -> None:
    init = {"jsonrpc": "2.0", "id": 7, "method": "initialize"}
    ok = json.dumps({**init, "params": {"capabilities": {}}}).encode()
    reply = fastinit.answer(ok, ruff=True)
    assert reply is not None
    framed, msg_id = reply
    assert msg_id == 7
    header, body = framed.split(b"\r\n\r\n", 1)
    assert int(header.split(b":")[1]) == len(body)
    assert json.loads(body)["result"]["serverInfo"]["name"] == "devsync-lsp"
    bad = json.dumps({**init, "params": {}}).encode()
    assert fastinit.answer(bad, ruff=True) is None  # the real server says -32602
    assert fastinit.answer(b"{not json", ruff=True) is None
    other = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "shutdown"}).encode()
    assert fastinit.answer(other, ruff=True) is None
