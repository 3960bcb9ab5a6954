"""Fixtures of the bridge tests: a real uvicorn server on a free 127.0.0.1 port
(in the test's event loop, so leak checks can see its tasks and threads),
accounts, a project seeded with `tests/lsp/project`, and an LSP client that
speaks one JSON-RPC message per WebSocket text frame."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pytest_lsp import LanguageClient
from pytest_lsp.client import make_test_lsp_client
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from server.app import create_app
from server.core.config import Settings
from tests.server.conftest import Account, make_settings, signup

LSP_PROJECT = Path(__file__).resolve().parents[1] / "lsp" / "project"


@dataclass
class LiveServer:
    app: FastAPI
    settings: Settings
    base_url: str
    http: httpx.AsyncClient

    def ws_url(self, project: int | str, token: str | None = None) -> str:
        url = self.base_url.replace("http://", "ws://") + f"/lsp/{project}"
        return url + (f"?token={token}" if token else "")

    async def user(self, name: str) -> Account:
        return await signup(self.http, name)

    async def project(self, owner: Account, files: Path | None = LSP_PROJECT) -> int:
        response = await self.http.post(
            "/api/projects", json={"name": "demo"}, headers=owner.headers
        )
        assert response.status_code == 201, response.text
        pid: int = response.json()["id"]
        if files is not None:
            shutil.copytree(files, self.root(pid), dirs_exist_ok=True)
        return pid

    async def add_member(
        self, owner: Account, pid: int, user: Account, role: str
    ) -> None:
        response = await self.http.post(
            f"/api/projects/{pid}/members",
            json={"username": user.username, "role": role},
            headers=owner.headers,
        )
        assert response.status_code in (200, 201), response.text

    def root(self, pid: int) -> Path:
        return self.settings.projects_dir.resolve() / str(pid)


StartServer = Callable[..., Awaitable[LiveServer]]


@pytest.fixture
async def start_server(tmp_path: Path) -> AsyncIterator[StartServer]:
    """Start servers with settings overrides; all are stopped at teardown."""
    running: list[tuple[uvicorn.Server, asyncio.Task[None], LiveServer]] = []

    async def start(**overrides: Any) -> LiveServer:
        data = tmp_path / f"data{len(running)}"
        settings = make_settings(
            data, f"sqlite:///{tmp_path / f'db{len(running)}.db'}", **overrides
        )
        app = create_app(settings)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            app, log_level="warning", ws="websockets-sansio", lifespan="on"
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event
            await asyncio.sleep(0.01)
        base = f"http://127.0.0.1:{port}"
        live = LiveServer(app, settings, base, httpx.AsyncClient(base_url=base))
        running.append((server, task, live))
        return live

    yield start
    for server, task, live in running:
        await live.http.aclose()
        server.should_exit = True
        await task
        live.app.state.db.dispose()


@pytest.fixture
async def live(start_server: StartServer) -> LiveServer:
    return await start_server()


@pytest.fixture
async def owner(live: LiveServer) -> Account:
    return await live.user("olivia")


@pytest.fixture
async def project(live: LiveServer, owner: Account) -> int:
    return await live.project(owner)


class TextWriter:
    """pygls writer sending each message as one WebSocket text frame."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def write(self, data: bytes) -> Awaitable[None]:
        return self.ws.send(data.decode())

    def close(self) -> None:
        pass


async def _read(ws: ClientConnection, client: LanguageClient) -> None:
    with contextlib.suppress(ConnectionClosed):
        async for frame in ws:
            message = json.loads(frame, object_hook=client.protocol.structure_message)
            client.protocol.handle_message(message)


@dataclass
class WsLspClient:
    client: LanguageClient
    ws: ClientConnection
    reader: asyncio.Task[None]

    async def close(self) -> None:
        await self.ws.close()
        await self.reader


async def connect_lsp(url: str) -> WsLspClient:
    """A pytest-lsp client talking to the bridge over text frames."""
    ws = await connect(url, max_size=None)
    client = make_test_lsp_client()
    client.protocol.set_writer(TextWriter(ws), include_headers=False)
    return WsLspClient(client, ws, asyncio.create_task(_read(ws, client)))
