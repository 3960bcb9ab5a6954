"""`devsync lsp` command line: TCP mode with a fresh server per connection."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from typing import Any

from tests.lsp.conftest import PROJECT, SERVER_COMMAND, server_env


def _rpc(sock: socket.socket, msg: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(msg).encode()
    sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    header, rest = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"Content-Length: (\d+)", header).group(1))  # type: ignore[union-attr]
    while len(rest) < length:
        rest += sock.recv(65536)
    return json.loads(rest[:length])  # type: ignore[no-any-return]


def test_tcp_serves_two_clients_independently() -> None:
    proc = subprocess.Popen(
        [*SERVER_COMMAND, "--tcp", "127.0.0.1:0", "--stdio", "--clientProcessId=1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=server_env(),
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        port = int(line.rsplit(":", 1)[1])
        init = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"capabilities": {}, "rootUri": PROJECT.as_uri()},
        }
        with (
            socket.create_connection(("127.0.0.1", port), timeout=60) as a,
            socket.create_connection(("127.0.0.1", port), timeout=60) as b,
        ):
            assert "capabilities" in _rpc(a, init)["result"]
            assert "capabilities" in _rpc(b, init)["result"]
            query = {"query": "make_circle"}
            ask = {
                "jsonrpc": "2.0",
                "id": 2,
                "method": "workspace/symbol",
                "params": query,
            }
            assert _rpc(b, ask)["result"]
            assert _rpc(a, ask)["result"]
    finally:
        proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
