"""A real `devsync serve` process for the collaboration end-to-end tests.

Starts the server on a free port with a fresh data directory, creates users,
a project and files through the public API, and hands out pycrdt clients.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from server.collab.client import YClient

ROOT = Path(__file__).resolve().parents[2]
DEVSYNC = Path(sys.executable).with_name("devsync")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = {
            **os.environ,
            "DEVSYNC_SAMPLE_PROJECT": "false",
            "DEVSYNC_PASSWORD_HASH_MEMORY_KIB": "8",
            "DEVSYNC_PASSWORD_HASH_TIME_COST": "1",
            "DEVSYNC_COLLAB_IDLE_WRITE_SECONDS": "0.2",
            "DEVSYNC_LOG_LEVEL": "warning",
            **self.env,
        }
        self.log_path = self.data_dir.parent / f"server-{self.port}.log"
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                str(DEVSYNC),
                "serve",
                "--port",
                str(self.port),
                "--data-dir",
                str(self.data_dir),
            ],
            env=env,
            stdout=log,
            stderr=log,
            cwd=self.data_dir.parent,
        )
        log.close()  # the child keeps its own descriptor
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.http}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def api(
        self, method: str, path: str, user: str | None = None, **kw: object
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        response = httpx.request(
            method, f"{self.http}{path}", headers=headers, timeout=30, **kw
        )  # type: ignore[arg-type]
        return response

    def user(self, name: str) -> str:
        """Register `name` and return a bearer token for it."""
        password = "correct horse battery staple"
        self.api(
            "POST", "/api/auth/register", json={"username": name, "password": password}
        )
        login = self.api(
            "POST", "/api/auth/login", json={"username": name, "password": password}
        )
        login.raise_for_status()
        self.tokens[name] = login.json()["token"]
        return self.tokens[name]

    def project(
        self, owner: str, files: dict[str, str], members: dict[str, str] | None = None
    ) -> int:
        created = self.api("POST", "/api/projects", owner, json={"name": "collab"})
        created.raise_for_status()
        project_id: int = created.json()["id"]
        root = self.data_dir / "projects" / str(project_id)
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(text.encode())
        for name, role in (members or {}).items():
            added = self.api(
                "POST",
                f"/api/projects/{project_id}/members",
                owner,
                json={"username": name, "role": role},
            )
            added.raise_for_status()
        return project_id

    def ws_url(self, project_id: int, path: str, user: str | None) -> str:
        query = f"?token={self.tokens[user]}" if user else ""
        return f"ws://127.0.0.1:{self.port}/collab/{project_id}/{path}{query}"

    def client(self, project_id: int, path: str, user: str | None) -> YClient:
        return YClient(self.ws_url(project_id, path, user))


async def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    """Wait until `check()` holds, polling; fail after `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh server and database with users ada, bob, vera and eve."""
    srv = Server(tmp_path / "data").start()
    for name in ("ada", "bob", "vera", "eve"):
        srv.user(name)
    yield srv
    srv.stop()


@pytest.fixture
def project(server: Server) -> int:
    """ada's project with `main.py`; bob is an editor, vera a viewer."""
    return server.project(
        "ada", {"main.py": "print('hi')\n"}, {"bob": "editor", "vera": "viewer"}
    )
