"""Neovim 0.7 co-edits through ``devsync lsp`` with pycrdt and Node Yjs peers.

Headless Neovim starts the language server with ``vim.lsp.start_client``
(``fixtures/session/init.lua``), signs in through initializationOptions,
joins a session by command, and edits ``main.py`` with a pycrdt client and a
Node yjs + y-websocket client on a real ``devsync serve``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from server.collab.client import YClient
from tests.e2e import collab_harness as harness
from tests.e2e.collab_harness import Server, eventually
from tests.e2e.test_collab_node import node_clients, run_node

pytestmark = pytest.mark.e2e
server = harness.server
node = node_clients
ROOT = Path(__file__).resolve().parents[2]
INIT = Path(__file__).parent / "fixtures" / "session" / "init.lua"
TEXT = "".join(f"line {i}\n" for i in range(12))


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("DEVSYNC_REQUIRE_ALL") == "1":
            pytest.fail(f"{tool} is required (DEVSYNC_REQUIRE_ALL=1)")
        pytest.skip(f"{tool} not installed: apt-get install -y neovim (0.7+)")
    return found


class Nvim:
    """A headless Neovim driven over its --listen socket."""

    def __init__(self, sock: Path, proc: subprocess.Popen[bytes]) -> None:
        self.sock, self.proc = sock, proc

    def _expr(self, lua: str, args: list[Any]) -> str:
        expr = f"luaeval('{lua}', {json.dumps(args)})"
        done = subprocess.run(
            ["nvim", "--server", str(self.sock), "--remote-expr", expr],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        return done.stderr  # Neovim 0.7 prints --remote-expr results there

    async def lua(self, lua: str, *args: Any) -> str:
        return await asyncio.to_thread(self._expr, lua, list(args))

    async def state(self) -> dict[str, Any]:
        dump = self.sock.with_suffix(".json")
        await self.lua("_G.devsync.dump(_A[1])", str(dump))
        result: dict[str, Any] = json.loads(dump.read_text(encoding="utf-8"))
        return result

    async def wait(self, check: Any, within: float = 20.0) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            state = await self.state()
            if check(state):
                return state
            if loop.time() > deadline:
                raise AssertionError(f"Neovim never got there: {state}")
            await asyncio.sleep(0.1)


def _start(sock: Path, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            "nvim",
            "--headless",
            "--clean",
            "-n",
            "--listen",
            str(sock),
            "-c",
            f"luafile {INIT}",
        ],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
async def nvim(server: Server, tmp_path: Path) -> AsyncIterator[tuple[Nvim, int]]:
    """Neovim with `devsync lsp` signed in as bob, in a workspace with main.py."""
    _need("nvim")
    for name in ("nia",):
        server.user(name)
    project = server.project("ada", {"main.py": TEXT}, {"nia": "editor"})
    work = tmp_path / "work"
    work.mkdir()
    (work / "main.py").write_text(TEXT)
    sock = tmp_path / "nvim.sock"
    config = {
        "cmd": [sys.executable, "-m", "lsp", "--log-level", "INFO"],
        "root": str(work),
        "file": str(work / "main.py"),
        "server": server.http,
        "token": server.tokens["bob"],
    }
    env = {
        **os.environ,
        "DEVSYNC_NVIM_CONFIG": json.dumps(config),
        "PYTHONPATH": str(ROOT),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    proc = _start(sock, env, work)
    driver = Nvim(sock, proc)
    try:
        await eventually(sock.exists, within=10)
        yield driver, project
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log = tmp_path / "state" / "nvim" / "lsp.log"
        if log.exists():
            print(log.read_text()[-4000:])  # noqa: T201 - shown on failure only


def _signed_in(state: dict[str, Any]) -> bool:
    return any("signed in" in m for m in state["messages"])


def _joined(state: dict[str, Any]) -> bool:
    session = state["session"]
    return isinstance(session, dict) and session.get("state") == "connected"


async def _converged(vim: Nvim, peer: YClient) -> dict[str, Any]:
    """Neovim's buffer equals the pycrdt peer's text (both shown if never)."""
    try:
        return await vim.wait(lambda s: s["text"] == str(peer.text), within=30)
    except AssertionError:
        print("peer:", repr(str(peer.text)))  # noqa: T201
        print("nvim:", repr((await vim.state())["text"]))  # noqa: T201
        raise


async def _type_tokens(nvim: Nvim, tokens: list[str], rng: random.Random) -> None:
    for token in tokens:
        await nvim.lua("_G.devsync.type(_A[1], _A[2])", rng.randrange(12), token)
        await asyncio.sleep(rng.random() * 0.08)


async def _peer_tokens(peer: YClient, tokens: list[str], rng: random.Random) -> None:
    for token in tokens:
        lines = str(peer.text).split("\n")
        row = rng.randrange(min(12, len(lines)))
        at = len("\n".join(lines[:row]).encode()) + (1 if row else 0)
        await peer.insert(at, token)
        await asyncio.sleep(rng.random() * 0.08)


async def test_neovim_co_edits_with_pycrdt_and_node_peers(
    nvim: tuple[Nvim, int], server: Server, node: Path
) -> None:
    vim, project = nvim
    await vim.wait(_signed_in)
    # Typed before joining and never saved: merged into the room, not lost.
    await vim.lua("_G.devsync.type(_A[1], _A[2])", 11, "# unsaved ")
    created = server.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "editor"}
    ).json()
    await vim.lua(
        "_G.devsync.run(_A[1], _A[2])", "devsync.joinSession", [created["invite_url"]]
    )
    state = await vim.wait(_joined)
    assert any("joined session" in m for m in state["messages"])

    async with server.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await eventually(lambda: "\n# unsaved line 11\n" in str(ada.text), 10)
        assert "\n# unsaved line 11\n" in (await vim.state())["text"]
        # Text typed in Neovim reaches the pycrdt peer, and the other way round.
        await vim.lua("_G.devsync.type(_A[1], _A[2])", 0, "# from nvim ")
        await eventually(lambda: str(ada.text).startswith("# from nvim line 0"), 10)
        await ada.insert(len(str(ada.text).split("\n")[0].encode()), " # from ada")
        await vim.wait(lambda s: s["text"].startswith("# from nvim line 0 # from ada"))

        # Concurrent typing in Neovim and pycrdt, with a Node peer watching:
        # everything converges and every token arrives exactly once.
        rng = random.Random(8)
        mine = [f"<n{i}>" for i in range(15)]
        theirs = [f"<a{i}>" for i in range(15)]
        watcher = asyncio.ensure_future(run_node(node, server, project, "nia", 1, 0))
        await asyncio.gather(
            _type_tokens(vim, mine, rng), _peer_tokens(ada, theirs, rng)
        )
        state = await _converged(vim, ada)
        for token in mine + theirs:
            assert state["text"].count(token) == 1, token
        watched = await watcher
        assert watched["text"] == state["text"]

        # The pycrdt peer's cursor arrives in Neovim as devsync/presence.
        await ada.set_awareness(
            {"user": {"name": "ada"}, "cursor": {"anchor": 2, "head": 2}}
        )
        state = await vim.wait(
            lambda s: any(
                p.get("uri") and p["cursor"] == {"line": 0, "character": 2}
                for p in s["presence"]
            )
        )
        names = {p["user"]["name"] for p in state["presence"]}
        assert "ada" in names
        # devsync/session is sent again when the participants change.
        await vim.wait(
            lambda s: (
                "ada"
                in {p["name"] for p in (s["session"] or {}).get("participants", [])}
            )
        )

        # The Node peer types (CRLF, emoji, combining marks, deletions) while
        # Neovim types: Neovim's buffer converges with the room (issue 8).
        typing = asyncio.ensure_future(run_node(node, server, project, "nia", 5, 40))
        await _type_tokens(vim, [f"<m{i}>" for i in range(10)], rng)
        result = await typing
        state = await _converged(vim, ada)
        assert result["text"].replace("\r\n", "\n").replace("\r", "\n") == state[
            "text"
        ].replace("\r", "")
        assert "bob" in result["cursors"]  # the LSP user's presence reached Node
