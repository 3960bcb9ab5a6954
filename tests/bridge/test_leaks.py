"""Every per-connection resource is released: 1,000 connect/disconnect cycles
leave no task, thread, process or language-server instance behind."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import threading
from pathlib import Path

from websockets.asyncio.client import connect

from lsp.server import DevSyncServer
from tests.bridge.conftest import LiveServer, StartServer
from tests.server.conftest import Account

INIT = json.dumps(
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
)
OPEN = json.dumps(
    {
        "jsonrpc": "2.0",
        "method": "textDocument/didOpen",
        "params": {
            "textDocument": {
                "uri": "devsync:///main.py",
                "languageId": "python",
                "version": 1,
                "text": "import os\nos.path.join('a', undefined)\n",
            }
        },
    }
)


def children(parent: int | None = None) -> set[int]:
    """Live child processes of ``parent``, this process by default (zombies
    included)."""
    me, found = os.getpid() if parent is None else parent, set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.add(int(entry.name))
    return found


def own_threads() -> list[str]:
    """Threads other than anyio's worker pool (idle workers are kept for reuse,
    at most 40; the bridge's database checks run there)."""
    return [t.name for t in threading.enumerate() if t.name != "AnyIO worker thread"]


def servers() -> int:
    gc.collect()
    return sum(isinstance(o, DevSyncServer) for o in gc.get_objects())


async def cycle(url: str, index: int) -> None:
    async with connect(url) as ws:
        if index % 5 == 1:  # some initialize and open a document, then just drop
            await ws.send(INIT)
            await ws.recv()
            await ws.send(OPEN)
        if index % 10 == 1:
            await ws.send(
                '{"jsonrpc":"2.0","id":2,"method":"textDocument/hover",'
                '"params":{"textDocument":{"uri":"devsync:///main.py"},'
                '"position":{"line":1,"character":3}}}'
            )


async def settle(baseline_tasks: int) -> None:
    for _ in range(200):
        if len(asyncio.all_tasks()) <= baseline_tasks:
            return
        await asyncio.sleep(0.05)


async def run_cycles(live: LiveServer, owner: Account, count: int) -> None:
    pid = await live.project(owner)
    url = live.ws_url(pid, owner.token)
    for start in range(0, 40, 10):  # warm up lazily created pools
        await asyncio.gather(*(cycle(url, i) for i in range(start, start + 10)))
    await asyncio.sleep(0.5)
    tasks, threads, procs = (
        len(asyncio.all_tasks()),
        own_threads(),
        children(),
    )
    for start in range(0, count, 10):  # ten at a time, as browsers reconnect
        await asyncio.gather(*(cycle(url, i) for i in range(start, start + 10)))
    await settle(tasks)
    assert len(asyncio.all_tasks()) <= tasks, asyncio.all_tasks()
    # Process-wide pools (jedi, lint_0/lint_1) may grow to their size, no
    # more, and no new kind of thread appears. (One-off threads running at
    # the baseline, such as the AI provider's warm-up import, may have ended.)
    assert {n.rstrip("0123456789") for n in own_threads()} <= {
        n.rstrip("0123456789") for n in threads
    }
    assert len(own_threads()) <= len(threads) + 2
    assert threading.active_count() <= len(threads) + 40
    assert children() <= procs
    assert servers() <= 1
    assert not live.app.state.bridge_slots.per_user  # every slot released


async def test_thousand_cycles_in_process(live: LiveServer, owner: Account) -> None:
    await run_cycles(live, owner, 1000)


async def test_cycles_in_proxy_mode(start_server: StartServer) -> None:
    ruff = str(Path(sys.executable).parent / "ruff")
    live = await start_server(bridge_command=[ruff, "server"])
    await run_cycles(live, await live.user("olivia"), 60)
