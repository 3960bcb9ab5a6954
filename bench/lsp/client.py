"""A minimal LSP client over stdio for benchmarking (no pygls on the client side)."""

# ruff: noqa: ASYNC109  (a per-request deadline is the point of request())
from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any


class Client:
    """Spawn a server, send requests, collect notifications."""

    def __init__(self, cmd: list[str], env: dict[str, str], cwd: str) -> None:
        self.cmd, self.env, self.cwd = cmd, env, cwd
        self.proc: asyncio.subprocess.Process | None = None
        self._id = 0
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self.notifications: list[tuple[float, str, Any]] = []
        self._waiters: list[tuple[Any, asyncio.Future[Any]]] = []

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.cmd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=self.env,
            cwd=self.cwd,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc
        assert self.proc.stdout
        out = self.proc.stdout
        while True:
            length = 0
            while True:
                line = await out.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line in (b"\r\n", b"\n"):
                    break
            msg = json.loads(await out.readexactly(length))
            if "id" in msg and "method" in msg:  # server -> client request
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif "id" in msg:
                fut = self._pending.pop(msg["id"], None)
                if fut and not fut.done():
                    fut.set_result(msg)
            else:
                now = time.perf_counter()
                self.notifications.append((now, msg["method"], msg.get("params")))
                for pred, fut in list(self._waiters):
                    if not fut.done() and pred(msg["method"], msg.get("params")):
                        fut.set_result(now)

    def _send(self, msg: dict[str, Any]) -> None:
        assert self.proc
        assert self.proc.stdin
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self._id += 1
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[self._id] = fut
        self._send(
            {"jsonrpc": "2.0", "id": self._id, "method": method, "params": params}
        )
        msg = await asyncio.wait_for(fut, timeout)
        return msg.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def change(
        self, uri: str, version: int, rng: tuple[int, int, int, int], new: str
    ) -> None:
        """``didChange`` replacing ``rng`` (sl, sc, el, ec) with ``new``."""
        sl, sc, el, ec = rng
        span = {
            "start": {"line": sl, "character": sc},
            "end": {"line": el, "character": ec},
        }
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": span, "text": new}],
            },
        )

    def waiter(self, pred: Any) -> asyncio.Future[float]:
        fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((pred, fut))
        return fut

    def tree_peak_rss_mb(self) -> float:
        """Sum of VmHWM over the server process and its descendants."""
        assert self.proc
        total, todo = 0, [self.proc.pid]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            total += int(line.split()[1])
                with open(f"/proc/{pid}/task/{pid}/children") as fh:
                    todo.extend(int(p) for p in fh.read().split())
            except OSError:
                continue
        return total / 1024

    async def stop(self) -> None:
        try:
            await self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            assert self.proc
            await asyncio.wait_for(self.proc.wait(), 5)
        except (TimeoutError, OSError, AssertionError):
            if self.proc and self.proc.returncode is None:
                self.proc.kill()
        self._reader.cancel()


def file_uri(path: str) -> str:
    return "file://" + os.path.abspath(path)
