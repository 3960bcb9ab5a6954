"""Smoke: initialize through the bridge with a raw WebSocket."""

from __future__ import annotations

import json

from websockets.asyncio.client import connect

from tests.bridge.conftest import LiveServer
from tests.server.conftest import Account


async def test_initialize(live: LiveServer, owner: Account, project: int) -> None:
    async with connect(live.ws_url(project, owner.token)) as ws:
        await ws.send(
            json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"capabilities": {}, "rootUri": None},
                }
            )
        )
        reply = json.loads(await ws.recv())
        assert reply["id"] == 1
        assert "capabilities" in reply["result"]
