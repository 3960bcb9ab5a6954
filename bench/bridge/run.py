"""Bridge benchmark (BENCHMARKS.md section 3); not a test.

Completion after an edit (section 1's protocol) through `WS /lsp/{project}` of
a real `devsync serve` versus `devsync lsp` over stdio, in the same run and on
the same files and positions; then 100 bridge connections, each initialized
with a document open, 10 of them completing every second, against the same
completions from a single connection. No peers to install.

    .venv/bin/python bench/bridge/run.py [--files argparse,requests,fastapi]
        [--connections 100] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import keyword
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tokenize
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(Path(__file__).parent)]
from clients import Rpc, StdioRpc, WsRpc  # noqa: E402

N_ATTR = 50


def workspaces(base: Path) -> dict[str, tuple[Path, str]]:
    """name -> (workspace dir, file relative to it), copied from installed packages."""
    import argparse as argparse_module

    import fastapi
    import requests

    out: dict[str, tuple[Path, str]] = {}
    (base / "argparse").mkdir(parents=True)
    shutil.copy(argparse_module.__file__, base / "argparse" / "argparse.py")
    out["argparse"] = (base / "argparse", "argparse.py")
    for name, module, rel in (
        ("requests", requests, "sessions.py"),
        ("fastapi", fastapi, "routing.py"),
    ):
        src = Path(module.__file__ or "").parent
        shutil.copytree(
            src, base / name / name, ignore=shutil.ignore_patterns("__pycache__")
        )
        out[name] = (base / name, f"{name}/{rel}")
    return out


def attribute_positions(path: Path) -> list[tuple[int, int, int]]:
    """50 attribute accesses (line, column, length), evenly spread over the file."""
    found = []
    with path.open("rb") as fh:
        toks = [t for t in tokenize.tokenize(fh.readline) if t.type != tokenize.NL]
    for before, dot, tok in zip(toks, toks[1:], toks[2:], strict=False):
        name = tok.type == tokenize.NAME and not keyword.iskeyword(tok.string)
        owner = before.type == tokenize.NAME or before.string in ")]"
        if name and dot.string == "." and owner:
            found.append((tok.start[0] - 1, tok.start[1], len(tok.string)))
    return [found[round(i * (len(found) - 1) / (N_ATTR - 1))] for i in range(N_ATTR)]


async def complete_after_edit(
    rpc: Rpc, uri: str, pos: tuple[int, int, int], version: int, name: str
) -> float:
    """Delete the attribute name after the dot, complete there, put it back."""
    line, col, length = pos
    doc = {"uri": uri, "version": version}
    cut = {
        "start": {"line": line, "character": col},
        "end": {"line": line, "character": col + length},
    }
    await rpc.notify(
        "textDocument/didChange",
        {"textDocument": doc, "contentChanges": [{"range": cut, "text": ""}]},
    )
    _, seconds = await rpc.request(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": line, "character": col}},
    )
    back = {"start": cut["start"], "end": cut["start"]}
    doc = {"uri": uri, "version": version + 1}
    await rpc.notify(
        "textDocument/didChange",
        {"textDocument": doc, "contentChanges": [{"range": back, "text": name}]},
    )
    return seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[
        min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    ]


class Server:
    """`devsync serve` in a child process with a fresh data dir, one user, projects;
    with `standalone`, `/lsp` is served by `devsync bridge` on the same data."""

    def __init__(self, data: Path, connections: int, standalone: bool) -> None:
        self.data = data
        self.env = dict(
            os.environ,
            DEVSYNC_SAMPLE_PROJECT="false",
            DEVSYNC_LOG_LEVEL="warning",
            DEVSYNC_BRIDGE_MAX_CONNECTIONS=str(connections + 10),
            DEVSYNC_BRIDGE_MAX_CONNECTIONS_PER_USER=str(connections + 10),
        )
        self.port, self.proc = self._start("serve")
        self.ws_port, self.bridge = self.port, None
        if standalone:  # after serve has migrated the shared database
            self.ws_port, self.bridge = self._start("bridge")
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        creds = {"username": "bench", "password": "benchmark password"}
        self.http.post("/api/auth/register", json=creds).raise_for_status()
        self.token = self.http.post("/api/auth/login", json=creds).json()["token"]

    def _start(self, command: str) -> tuple[int, subprocess.Popen[bytes]]:
        port = free_port()
        args = [command, "--port", str(port), "--data-dir", str(self.data)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", *args],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    return port, proc
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"devsync {command} did not start")

    def project(self, files: Path) -> int:
        headers = {"Authorization": f"Bearer {self.token}"}
        pid: int = self.http.post(
            "/api/projects", json={"name": files.name}, headers=headers
        ).json()["id"]
        shutil.copytree(files, self.data / "projects" / str(pid), dirs_exist_ok=True)
        return pid

    def url(self, pid: int) -> str:
        return f"ws://127.0.0.1:{self.ws_port}/lsp/{pid}?token={self.token}"

    def stop(self) -> None:
        for proc in (self.proc, self.bridge):
            if proc is not None:
                proc.terminate()
                proc.wait(30)


async def session(rpc: Rpc, root_uri: str, uri: str, text: str) -> None:
    await rpc.initialize(root_uri)
    await rpc.open(uri, text)
    await rpc.diagnosed_once(uri)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def noop(rpc: Rpc, uri: str) -> float:
    """Round trip of a request the server answers at once (hover, closed doc)."""
    pos = {"line": 0, "character": 0}
    params = {"textDocument": {"uri": uri}, "position": pos}
    return (await rpc.request("textDocument/hover", params))[1]


async def compare(server: Server, name: str, ws: Path, rel: str) -> dict[str, Any]:
    """Both transports open side by side, measured alternately position by
    position, so machine noise hits both alike."""
    progress(f"{name}: starting devsync lsp and a bridge connection")
    path, text = ws / rel, (ws / rel).read_text()
    stdio, bridge = StdioRpc(), WsRpc()
    await stdio.start([sys.executable, "-m", "lsp"], str(ws))
    await bridge.start(server.url(server.project(ws)))
    pairs = ((stdio, (ws / rel).as_uri()), (bridge, f"devsync:///{rel}"))
    await session(stdio, ws.as_uri(), pairs[0][1], text)
    await session(bridge, "devsync:///", pairs[1][1], text)
    lines = text.splitlines()
    times: dict[str, list[float]] = {
        "stdio": [],
        "bridge": [],
        "noop_stdio": [],
        "noop_bridge": [],
    }
    progress(f"{name}: measuring")
    for i, pos in enumerate(attribute_positions(path)):
        word = lines[pos[0]][pos[1] : pos[1] + pos[2]]
        order = pairs if i % 2 == 0 else pairs[::-1]
        for rpc, uri in order:
            key = "stdio" if rpc is stdio else "bridge"
            times[key].append(await complete_after_edit(rpc, uri, pos, 2 + 2 * i, word))
            closed = uri.rsplit("/", 1)[0] + "/not_open.py"
            times["noop_" + key].append(await noop(rpc, closed))
    await stdio.stop()
    await bridge.stop()
    return times


Spot = tuple[tuple[int, int, int], str]


async def drive(
    rpcs: list[WsRpc], uri: str, spots: list[Spot], seconds: float
) -> list[float]:
    """Every 100 ms the next connection (round robin) completes after an edit;
    a connection still busy skips its turn. One connection: one at a time."""
    versions, busy, times = [2] * len(rpcs), [False] * len(rpcs), []

    async def one(k: int, n: int) -> None:
        pos, word = spots[n % len(spots)]
        busy[k] = True
        times.append(await complete_after_edit(rpcs[k], uri, pos, versions[k], word))
        versions[k] += 2
        busy[k] = False

    tasks, tick, start = [], 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        k = tick % len(rpcs)
        if not busy[k]:
            tasks.append(asyncio.create_task(one(k, tick)))
            if len(rpcs) == 1:
                await tasks[-1]
        tick += 1
        await asyncio.sleep(max(0.0, start + tick * 0.1 - time.perf_counter()))
    await asyncio.gather(*tasks)
    return times


async def load(
    server: Server, ws: Path, rel: str, connections: int, seconds: float
) -> dict[str, list[float]]:
    """Completion latencies of one connection, then with `connections` open."""
    path, text, uri = ws / rel, (ws / rel).read_text(), f"devsync:///{rel}"
    lines = text.splitlines()
    spots = [(p, lines[p[0]][p[1] : p[1] + p[2]]) for p in attribute_positions(path)]
    pid = server.project(ws)
    out: dict[str, list[float]] = {}
    for label, count in (("single", 1), ("loaded", connections)):
        progress(f"load: {count} connection(s), each initialized with the file open")
        rpcs = [WsRpc() for _ in range(count)]
        for rpc in rpcs:
            await rpc.start(server.url(pid))
        await asyncio.gather(*(session(r, "devsync:///", uri, text) for r in rpcs))
        out[label] = await drive(rpcs, uri, spots, seconds)
        for rpc in rpcs:
            await rpc.stop()
    return out


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", default="argparse,requests,fastapi")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--standalone", action="store_true", help="measure `devsync bridge`, not serve"
    )
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="devsync-bridge-bench-"))
    spaces = workspaces(base / "ws")
    server = Server(base / "data", args.connections, args.standalone)
    try:
        rows = [
            "| file | stdio p50 / p95 | bridge p50 / p95 | bridge - stdio: p50, "
            "paired median | no-op round trip stdio / bridge p50 | cold stdio / bridge "
            "| bar: adds <= 2 ms to p50 |",
            "|---|---|---|---|---|---|---|",
        ]
        for name in args.files.split(","):
            t = await compare(server, name, *spaces[name])
            sw, bw = t["stdio"][1:], t["bridge"][1:]
            delta = pct(bw, 50) - pct(sw, 50)
            paired = statistics.median(b - a for a, b in zip(sw, bw, strict=True))
            noop = pct(t["noop_bridge"], 50) - pct(t["noop_stdio"], 50)
            # Judged on the paired median: the two transports are measured
            # alternately on the same positions, so it cancels machine noise.
            verdict = "pass" if paired <= 0.002 else "FAIL"
            rows.append(
                f"| {name} | {ms(pct(sw, 50))} / {ms(pct(sw, 95))} "
                f"| {ms(pct(bw, 50))} / {ms(pct(bw, 95))} "
                f"| {delta * 1000:+.1f}, {paired * 1000:+.1f} "
                f"| {ms(pct(t['noop_stdio'], 50))} / {ms(pct(t['noop_bridge'], 50))} "
                f"({noop * 1000:+.1f}) "
                f"| {ms(t['stdio'][0])} / {ms(t['bridge'][0])} | {verdict} |"
            )
            progress(rows[-1])
        print(
            "\nCompletion after edit, ms (49 warm positions per file, alternating):\n"
        )
        print("\n".join(rows))
        lat = await load(server, *spaces["requests"], args.connections, args.seconds)
        single, loaded = lat["single"], lat["loaded"]
        ratio = pct(loaded, 99) / pct(single, 99)
        print(
            f"\nrequests/sessions.py, 10 completions/s for {args.seconds:.0f} s, ms:\n"
        )
        print("| connections | n | p50 | p95 | p99 | p99 ratio | bar (<= 2x) |")
        print("|---|---|---|---|---|---|---|")
        for count, values in ((1, single), (args.connections, loaded)):
            cells = " | ".join(ms(pct(values, p)) for p in (50, 95, 99))
            mark = "" if count == 1 else ("pass" if ratio <= 2 else "FAIL")
            share = pct(values, 99) / pct(single, 99)
            print(f"| {count} | {len(values)} | {cells} | {share:.2f} | {mark} |")
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
