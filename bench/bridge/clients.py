"""Minimal JSON-RPC clients for the bridge benchmark: the same client logic over
stdio (Content-Length frames) and over the bridge (one text frame per message).

Latency is stamped when the reader parses the response, so both transports
pay the same client-side costs.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from bridge.framing import encode_content_length, read_content_length

CAPS = {
    "textDocument": {
        "completion": {"completionItem": {"snippetSupport": True}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {"versionSupport": True},
    },
    "workspace": {"workspaceFolders": True},
}


class Rpc:
    """Requests with futures, diagnostics per URI; transports supply `_write`."""

    def __init__(self) -> None:
        self.next_id = 0
        self.pending: dict[int, asyncio.Future[tuple[Any, float]]] = {}
        self.diagnosed: dict[str, asyncio.Event] = {}
        self.reader: asyncio.Task[None] | None = None
        self.replies: list[asyncio.Future[None]] = []

    async def _write(self, text: str) -> None:
        raise NotImplementedError

    def _dispatch(self, text: str) -> None:
        stamp = time.perf_counter()
        msg = json.loads(text)
        if "id" in msg and "method" not in msg:
            future = self.pending.pop(msg["id"], None)
            if future is not None and not future.done():
                future.set_result((msg.get("result", msg.get("error")), stamp))
        elif "id" in msg:  # a server request (configuration, progress): answer null
            reply = {"jsonrpc": "2.0", "id": msg["id"], "result": None}
            self.replies.append(asyncio.ensure_future(self._write(json.dumps(reply))))
        elif msg.get("method") == "textDocument/publishDiagnostics":
            self.diagnosed.setdefault(msg["params"]["uri"], asyncio.Event()).set()

    def _gone(self, who: str) -> None:
        """The server went away: fail what is waiting instead of hanging."""
        for future in self.pending.values():
            if not future.done():
                future.set_exception(ConnectionError(f"{who} went away"))
        self.pending.clear()

    async def request(self, method: str, params: Any) -> tuple[Any, float]:
        """(result, seconds from send to parsed response)."""
        self.next_id += 1
        future = self.pending[self.next_id] = asyncio.get_running_loop().create_future()
        body = {
            "jsonrpc": "2.0",
            "id": self.next_id,
            "method": method,
            "params": params,
        }
        start = time.perf_counter()
        await self._write(json.dumps(body))
        result, stamp = await asyncio.wait_for(future, 120)
        return result, stamp - start

    async def notify(self, method: str, params: Any) -> None:
        await self._write(
            json.dumps({"jsonrpc": "2.0", "method": method, "params": params})
        )

    async def initialize(self, root_uri: str) -> float:
        folders = [{"uri": root_uri, "name": "ws"}]
        params = {
            "processId": None,
            "rootUri": root_uri,
            "capabilities": CAPS,
            "workspaceFolders": folders,
        }
        _, seconds = await self.request("initialize", params)
        await self.notify("initialized", {})
        return seconds

    async def open(self, uri: str, text: str) -> None:
        doc = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        await self.notify("textDocument/didOpen", {"textDocument": doc})

    async def diagnosed_once(self, uri: str) -> None:
        # Generous: 100 connections opening at once queue on one lint worker.
        event = self.diagnosed.setdefault(uri, asyncio.Event())
        await asyncio.wait_for(event.wait(), 900)


class StdioRpc(Rpc):
    """`devsync lsp` as a child process."""

    async def start(self, cmd: list[str], cwd: str) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *cmd,
            cwd=cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 20,
        )
        self.reader = asyncio.create_task(self._read())
        self.watch = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        # Helper processes of the server may keep its stdout open after it
        # died, so EOF alone does not tell.
        status = await self.proc.wait()
        self._gone(f"devsync lsp (exit status {status})")

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        while (
            text := await read_content_length(self.proc.stdout, 1 << 30)
        ) is not None:
            self._dispatch(text)
        self._gone(f"devsync lsp (exit status {await self.proc.wait()})")

    async def _write(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(encode_content_length(text))
        await self.proc.stdin.drain()

    async def stop(self) -> None:
        await self.request("shutdown", None)
        await self.notify("exit", None)
        try:
            await asyncio.wait_for(self.proc.wait(), 10)
        except TimeoutError:  # not the bridge's to judge here; do not hang the run
            self.proc.kill()
            await self.proc.wait()
        if self.reader:
            self.reader.cancel()  # see _watch: EOF may never come


class WsRpc(Rpc):
    """A browser-like client of `/lsp/{project}`."""

    async def start(self, url: str) -> None:
        self.ws: ClientConnection = await connect(url, max_size=None, compression=None)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self._dispatch(str(frame))
        finally:
            self._gone(f"the bridge connection ({self.ws.close_code})")

    async def _write(self, text: str) -> None:
        await self.ws.send(text)

    async def stop(self) -> None:
        await self.ws.close()
        if self.reader:
            await self.reader
