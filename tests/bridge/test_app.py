"""`devsync bridge` runs the bridge on its own, sharing the data dir and database."""

from __future__ import annotations

import asyncio
import os
import socket
import sys

import httpx

from tests.bridge.conftest import LiveServer
from tests.bridge.raw import RawClient
from tests.server.conftest import Account


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_devsync_bridge_standalone(
    live: LiveServer, owner: Account, project: int
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DEVSYNC_DATABASE_URL": live.settings.database_url,
        "DEVSYNC_LOG_LEVEL": "warning",
    }
    args = ["bridge", "--port", str(port), "--data-dir", str(live.settings.data_dir)]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", *args, env=env
    )
    try:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as http:
            for _ in range(300):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
        client = await RawClient.open(
            f"ws://127.0.0.1:{port}/lsp/{project}?token={owner.token}"
        )
        assert "capabilities" in (await client.initialize())["result"]
        await client.close()
        stranger = await RawClient.open(f"ws://127.0.0.1:{port}/lsp/{project}")
        assert (await stranger.closed())[0] == 4401
    finally:
        proc.terminate()
        await proc.wait()
