"""The two servers under test: `devsync serve` (persistence + auth on) and the
Node reference `@y/websocket-server@0.1.1` from a throwaway npm install."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "bench" / ".work" / "collab"
NODE_PEER = "@y/websocket-server@0.1.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_http(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Running:
    """A started server: `url(room)` gives the WebSocket URL of a document."""

    def __init__(self, name: str, proc: subprocess.Popen[bytes], base: str, query: str):
        self.name = name
        self.proc = proc
        self.base = base
        self.query = query

    def url(self, room: str) -> str:
        return f"{self.base}/{room}{self.query}"

    def rss(self) -> int:
        return rss_bytes(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def start_node() -> Running:
    peer_dir = WORK / "node-peer"
    server_js = (
        peer_dir / "node_modules" / "@y" / "websocket-server" / "src" / "server.js"
    )
    if not server_js.exists():
        peer_dir.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm is needed to install the Node peer " + NODE_PEER)
        (peer_dir / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", NODE_PEER],
            cwd=peer_dir,
            check=True,
        )
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port)}
    proc = subprocess.Popen(
        ["node", str(server_js)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_http(f"http://127.0.0.1:{port}/", proc)
    return Running("Node @y/websocket-server 0.1.1", proc, f"ws://127.0.0.1:{port}", "")


def start_devsync(rooms: list[str], env: dict[str, str]) -> Running:
    """Fresh data dir, one user with a token, one project holding `rooms` as files."""
    data = WORK / "devsync-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    port = free_port()
    devsync = Path(sys.executable).with_name("devsync")
    full_env = {
        **os.environ,
        "DEVSYNC_SAMPLE_PROJECT": "false",
        "DEVSYNC_LOG_LEVEL": "warning",
        **env,
    }
    log = (WORK / "devsync.log").open("wb")
    proc = subprocess.Popen(
        [str(devsync), "serve", "--port", str(port), "--data-dir", str(data)],
        env=full_env,
        stdout=log,
        stderr=log,
    )
    log.close()
    http = f"http://127.0.0.1:{port}"
    wait_http(f"{http}/healthz", proc)
    creds = {"username": "bench", "password": "benchmark password 1"}
    httpx.post(f"{http}/api/auth/register", json=creds, timeout=30)
    token = httpx.post(f"{http}/api/auth/login", json=creds, timeout=30).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    created = httpx.post(
        f"{http}/api/projects", json={"name": "bench"}, headers=auth, timeout=30
    )
    project = created.json()["id"]
    for room in rooms:
        (data / "projects" / str(project) / room).write_text("")
    return Running(
        "DevSync (persistence + auth)",
        proc,
        f"ws://127.0.0.1:{port}/collab/{project}",
        f"?token={token}",
    )
