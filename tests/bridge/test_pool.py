"""The in-process servers' analysis pool seen through `/lsp`: connections are
spread over the worker processes, a killed worker is replaced without the
client noticing, `bridge_analysis_processes=0` keeps jedi on the thread, and
a real `devsync serve` takes its workers down with it."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import httpx

from lsp.analysis import AnalysisPool
from tests.bridge.conftest import LiveServer, StartServer
from tests.bridge.raw import RawClient
from tests.bridge.test_leaks import children
from tests.server.conftest import Account

REPO = Path(__file__).resolve().parents[2]
SOURCE = "import os\nos.path.join('a', 'b')\n"


async def hover_client(url: str) -> RawClient:
    client = await RawClient.open(url)
    await client.initialize()
    await client.open_doc("main.py", SOURCE)
    return client


async def hover(client: RawClient) -> dict[str, object]:
    position = {"line": 1, "character": 9}
    params = {"textDocument": {"uri": "devsync:///main.py"}, "position": position}
    return await client.request("textDocument/hover", params)


def is_worker(pid: int) -> bool:
    try:
        return b"lsp.analysis_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def test_connections_are_spread_and_survive_a_killed_worker(
    live: LiveServer, owner: Account, project: int
) -> None:
    url = live.ws_url(project, owner.token)
    first, second = await hover_client(url), await hover_client(url)
    for client in (first, second):
        reply = await hover(client)
        assert "join" in str(reply["result"]), reply
    pool: AnalysisPool = live.app.state.analysis_pool
    pids = pool.pids()
    assert len(pids) == 2
    assert set(pids) <= children()
    assert len(set(pool._assigned.values())) == 2  # one connection per worker
    os.kill(pids[0], signal.SIGKILL)
    while alive(pids[0]):  # noqa: ASYNC110 - no event for another process's death
        await asyncio.sleep(0.01)
    for client in (first, second):
        reply = await hover(client)
        assert "join" in str(reply["result"]), reply
    assert pids[0] not in pool.pids()
    assert len(pool.pids()) == 2
    await first.close()
    await second.close()


async def test_zero_processes_keeps_jedi_on_the_thread(
    start_server: StartServer,
) -> None:
    live = await start_server(bridge_analysis_processes=0)
    owner = await live.user("olivia")
    pid = await live.project(owner)
    client = await hover_client(live.ws_url(pid, owner.token))
    reply = await hover(client)
    assert "join" in str(reply["result"]), reply
    assert getattr(live.app.state, "analysis_pool", None) is None
    assert not [pid for pid in children() if is_worker(pid)]
    await client.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_devsync_serve_stops_its_workers(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVSYNC_")}
    env.update(
        DEVSYNC_SAMPLE_PROJECT="false",
        DEVSYNC_LOG_LEVEL="warning",
        DEVSYNC_PASSWORD_HASH_MEMORY_KIB="8",
        DEVSYNC_PASSWORD_HASH_TIME_COST="1",
    )
    args = ["serve", "--port", str(port), "--data-dir", str(tmp_path / "data")]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", *args, cwd=REPO, env=env
    )
    workers: set[int] = set()
    try:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "devsync serve did not start"
                    await asyncio.sleep(0.1)
            creds = {"username": "olivia", "password": "a long enough password"}
            (await http.post("/api/auth/register", json=creds)).raise_for_status()
            token = (await http.post("/api/auth/login", json=creds)).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            project = (
                await http.post("/api/projects", json={"name": "p"}, headers=headers)
            ).json()["id"]
        url = f"ws://127.0.0.1:{port}/lsp/{project}?token={token}"
        client = await hover_client(url)
        reply = await hover(client)
        assert "result" in reply, reply
        workers = {pid for pid in children(proc.pid) if is_worker(pid)}
        assert len(workers) == 2
        await client.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
