"""Helpers of the VS Code end-to-end test (``test_vscode.py``); no tests here.

Prerequisite checks, a probe of what ``devsync lsp`` advertises, a stand-in
for the DevSync server's history reads, the pycrdt peer, and the loop that
runs the Playwright driver and answers its events.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXT = ROOT / "vscode-extension"
ARTIFACTS = ROOT / "test-artifacts" / "vscode"
SETUP = EXT / "scripts" / "setup-code-server.sh"
DRIVER = EXT / "scripts" / "e2e" / "drive-code-server.mjs"
FAKE_SESSION_SERVER = EXT / "scripts" / "e2e" / "fake_session_server.py"
CHROMIUM = os.environ.get("DEVSYNC_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ALL = os.environ.get("DEVSYNC_REQUIRE_ALL") == "1"
# Debian packages whose headers the native modules of code-server build against.
PKG_CONFIG = {
    "krb5-gssapi": "libkrb5-dev",
    "x11": "libx11-dev",
    "xkbfile": "libxkbfile-dev",
    "libsecret-1": "libsecret-1-dev",
}


def missing(reason: str) -> None:
    """Skip for a missing tool; in CI (DEVSYNC_REQUIRE_ALL=1) that is a failure."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (DEVSYNC_REQUIRE_ALL=1)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- prerequisites ----------------------------------------------------------


def check_tools() -> None:
    if not Path(CHROMIUM).exists():
        missing(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    for tool, package in [("node", "nodejs"), ("npm", "npm"), ("rg", "ripgrep")]:
        if shutil.which(tool) is None:
            missing(f"{tool} not found (apt-get install {package})")
    for tool in ("g++", "make", "pkg-config"):
        if shutil.which(tool) is None:
            missing(
                f"{tool} not found: code-server setup needs build-essential pkg-config"
            )
    absent = [
        pkg
        for mod, pkg in PKG_CONFIG.items()
        if subprocess.run(["pkg-config", "--exists", mod], check=False).returncode
    ]
    if absent:
        missing(f"code-server setup needs apt packages: {' '.join(absent)}")
    major = subprocess.run(
        ["node", "-p", "process.versions.node.split('.')[0]"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if major != "20":
        missing(f"code-server 4.100.3 needs Node 20, found Node {major}")
    if not (EXT / "node_modules" / "playwright-core").is_dir():
        missing("vscode-extension/node_modules missing (run `make install`)")


# -- what the real language server offers ------------------------------------


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(stream: Any) -> dict[str, Any]:
    length = 0
    while (line := stream.readline().strip()) != b"":
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    result: dict[str, Any] = json.loads(stream.read(length))
    return result


def server_capabilities(env: dict[str, str]) -> dict[str, Any]:
    """Initialize `python -m lsp --stdio` once and return its capabilities."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "lsp", "--stdio"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        init = {
            "processId": os.getpid(),
            "rootUri": None,
            "capabilities": {
                "textDocument": {"inlineCompletion": {"dynamicRegistration": False}},
                "workspace": {"executeCommand": {"dynamicRegistration": False}},
            },
        }
        proc.stdin.write(
            _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init})
        )
        proc.stdin.flush()
        while "id" not in (message := _read(proc.stdout)):
            pass
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.flush()
        capabilities: dict[str, Any] = message["result"]["capabilities"]
        return capabilities
    finally:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        proc.stdout.close()


def server_commands(capabilities: dict[str, Any]) -> list[str]:
    commands: list[str] = (capabilities.get("executeCommandProvider") or {}).get(
        "commands", []
    )
    return commands


# -- a DevSync server stand-in for history contents ---------------------------


@dataclass
class FakeHttp:
    """Answers the two reads the history view makes; records the tokens it saw."""

    files: dict[str, str]  # ref -> text of shared.py
    port: int = 0
    tokens: list[str] = field(default_factory=list)

    def start(self) -> FakeHttp:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.tokens.append(self.headers.get("authorization", ""))
                url = urlparse(self.path)
                ref = parse_qs(url.query).get("ref", [""])[0]
                if url.path == "/api/projects/p1/files/shared.py" and ref in fake.files:
                    self._send(200, fake.files[ref].encode(), "text/plain")
                else:
                    self._send(404, b"{}", "application/json")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- a real DevSync server and a pycrdt peer ----------------------------------


class Peer:
    """Bob: joins the shared session by its invite link, with a caret in main.py."""

    def __init__(self, server: Any, project_id: int) -> None:
        self.server, self.project_id = server, project_id
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client: Any = None

    def join(self, link: str) -> None:
        token = link.rstrip("/").rsplit("/", 1)[-1]
        joined = self.server.api(
            "POST", "/api/sessions/join", "bob", json={"invite_token": token}
        )
        assert joined.status_code == 200, joined.text
        asyncio.run_coroutine_threadsafe(self._connect(), self.loop).result(30)

    async def _connect(self) -> None:
        self.client = self.server.client(self.project_id, "main.py", "bob")
        await self.client.connect()
        await self.client.wait_synced()
        # Yjs UTF-16 indices: the caret after "import" on line 1.
        await self.client.set_awareness(
            {"user": {"name": "bob"}, "cursor": {"anchor": 6, "head": 6}}
        )

    def stop(self) -> None:
        if self.client is not None:
            asyncio.run_coroutine_threadsafe(self.client.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def drive(config_path: Path, peer: Peer | None, log_path: Path) -> dict[str, Any]:
    """Run the Playwright driver; answer its invite event by starting the peer."""
    results: dict[str, Any] = {}
    with log_path.open("w") as err:
        proc = subprocess.Popen(
            ["node", str(DRIVER), str(config_path)],
            cwd=EXT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        assert proc.stdin is not None
        assert proc.stdout is not None
        timer = threading.Timer(600, proc.kill)
        timer.start()
        try:
            for line in proc.stdout:
                err.write(line)
                if not line.startswith("{"):
                    continue
                item = json.loads(line)
                if "check" in item:
                    results[item["check"]] = item
                elif item.get("event") == "invite":
                    reply = "peer-ready"
                    try:
                        assert peer is not None, "no DevSync server for the peer"
                        peer.join(item["link"])
                    except Exception as exc:
                        reply = f"peer-failed {exc!r}"
                    proc.stdin.write(reply + "\n")
                    proc.stdin.flush()
        finally:
            timer.cancel()
            proc.stdin.close()
            proc.wait(30)
            proc.stdout.close()
    return results


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
