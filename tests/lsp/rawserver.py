"""A bare-bytes connection to ``python -m lsp`` for malformed-input tests."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from typing import IO, Any

from tests.lsp.conftest import PROJECT, SERVER_COMMAND, server_env


class RawServer:
    """Write arbitrary bytes; read framed JSON messages back."""

    def __init__(self, stderr: IO[bytes] | None = None) -> None:
        self.proc = subprocess.Popen(
            SERVER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr if stderr is not None else subprocess.DEVNULL,
            env=server_env(),
        )
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notes: list[dict[str, Any]] = []
        self._next_id = 1000
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line == b"\r\n":
                    break
            msg = json.loads(out.read(length))
            if "id" in msg and "method" not in msg:
                self.inbox.put(msg)
            else:
                self.notes.append(msg)

    def raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg: dict[str, Any]) -> None:
        body = json.dumps(msg).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method: str, params: Any = None) -> int:
        self._next_id += 1
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self._next_id

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def response(self, msg_id: Any, timeout: float = 30) -> dict[str, Any]:
        """The response to ``msg_id``, skipping others (kept for later)."""
        skipped = []
        try:
            while True:
                msg = self.inbox.get(timeout=timeout)
                if msg.get("id") == msg_id:
                    return msg
                skipped.append(msg)
        finally:
            for msg in skipped:
                self.inbox.put(msg)

    def initialize(self) -> None:
        msg_id = self.request(
            "initialize", {"capabilities": {}, "rootUri": PROJECT.as_uri()}
        )
        assert "result" in self.response(msg_id)
        self.notify("initialized", {})

    def alive(self) -> bool:
        """A valid request still gets its answer."""
        msg_id = self.request("workspace/symbol", {"query": "make_circle"})
        reply = self.response(msg_id)
        return "result" in reply and self.proc.poll() is None

    def close(self) -> int:
        try:
            msg_id = self.request("shutdown")
            self.response(msg_id, timeout=10)
            self.notify("exit", None)
            return self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe is not None:
                    pipe.close()
