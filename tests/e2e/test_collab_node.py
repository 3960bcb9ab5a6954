"""Real Yjs clients (Node: yjs + y-websocket v3) and pycrdt clients editing together."""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e import collab_harness as harness
from tests.e2e.collab_harness import Server, eventually

pytestmark = pytest.mark.e2e
server = harness.server
project = harness.project

NODE_DIR = Path(__file__).resolve().parent / "node"
PIECES = ["a", "bc", "\r\n", "😀", "e\u0301", "ß", "👩‍💻"]


@pytest.fixture(scope="session")
def node_clients() -> Path:
    """`npm ci` the pinned yjs/y-websocket clients once per run."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        if os.environ.get("DEVSYNC_REQUIRE_ALL") == "1":
            pytest.fail("npm and node are required (DEVSYNC_REQUIRE_ALL=1)")
        pytest.skip("npm/node not installed: cannot run the Node Yjs clients")
    stamp = NODE_DIR / "node_modules" / ".installed"
    lock = NODE_DIR / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            timeout=300,
        )
        stamp.touch()
    return NODE_DIR / "client.mjs"


async def run_node(
    script: Path, srv: Server, pid: int, user: str, seed: int, edits: int
) -> dict:  # type: ignore[type-arg]
    proc = await asyncio.create_subprocess_exec(
        "node",
        str(script),
        f"ws://127.0.0.1:{srv.port}/collab/{pid}",
        "main.py",
        srv.tokens[user],
        str(seed),
        str(edits),
        "2000",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    result: dict = json.loads(out.decode().strip().splitlines()[-1])  # type: ignore[type-arg]
    return result


async def random_edits(client, rng: random.Random, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        text = str(client.text)
        if len(text) > 4 and rng.random() < 0.25:
            start = rng.randrange(len(text) - 2)
            a, b = len(text[:start].encode()), len(text[: start + 2].encode())
            await client.edit(lambda t, a=a, b=b: t.__delitem__(slice(a, b)))
        else:
            at = len(text[: rng.randrange(len(text) + 1)].encode())
            await client.insert(at, rng.choice(PIECES))
        await asyncio.sleep(rng.random() * 0.015)


async def test_node_and_pycrdt_clients_converge(server, project, node_clients):
    py = [await server.client(project, "main.py", u).connect() for u in ("ada", "bob")]
    for c in py:
        await c.wait_synced()
    await py[0].set_awareness({"cursor": {"anchor": 0}})
    node_runs = [
        asyncio.create_task(run_node(node_clients, server, project, u, seed, 60))
        for seed, u in enumerate(("ada", "bob"), start=7)
    ]
    await asyncio.sleep(0.5)  # let the Node clients join, then edit alongside
    await asyncio.gather(
        *(random_edits(c, random.Random(i), 60) for i, c in enumerate(py))
    )
    results = await asyncio.gather(*node_runs)
    texts = {r["text"] for r in results}
    await eventually(lambda: {str(c.text) for c in py} == texts, within=15)
    assert len(texts) == 1
    (final,) = texts
    assert len(final) > 60
    # A late Node joiner sees the existing cursors, named by the server.
    late = await run_node(node_clients, server, project, "bob", 1, 0)
    assert late["text"] == final
    assert "ada" in late["cursors"]
    assert "whoever-i-claim" not in late["cursors"]
    for c in py:
        await c.close()
