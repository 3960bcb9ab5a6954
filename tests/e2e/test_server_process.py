"""`devsync serve` as a real process on a free port with a temp data dir,
driven over HTTP: register, login, create a project, write, commit, list,
diff, restore; then stopped by its PID."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e

DEVSYNC = Path(sys.executable).with_name("devsync")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    command = str(DEVSYNC) if DEVSYNC.exists() else shutil.which("devsync")
    if command is None:
        if os.environ.get("DEVSYNC_REQUIRE_ALL") == "1":
            pytest.fail("the devsync console script is not installed (make install)")
        pytest.skip("the devsync console script is not installed (make install)")
    port = free_port()
    data_dir = tmp_path / "data"
    log_path = tmp_path / "server.log"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DEVSYNC_") or k.startswith("DEVSYNC_TEST")
    }
    env["DEVSYNC_LOG_LEVEL"] = "warning"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [command, "serve", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,  # no stray .env from the checkout
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited early:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server not healthy in 30 s:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    assert "Traceback" not in log_path.read_text(), log_path.read_text()


async def test_register_login_write_commit_list_diff_restore(server: str) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=30) as http:
        registered = await http.post(
            "/api/auth/register", json={"username": "ada", "password": "s3cret pass"}
        )
        assert registered.status_code == 201, registered.text
        login = await http.post(
            "/api/auth/login", json={"username": "ada", "password": "s3cret pass"}
        )
        assert login.status_code == 200
        assert "devsync_session" in login.cookies
        http.cookies.clear()
        h = {"Authorization": f"Bearer {login.json()['token']}"}

        projects = (await http.get("/api/projects", headers=h)).json()
        assert [p["name"] for p in projects] == ["sample"]  # new users get one

        created = await http.post("/api/projects", json={"name": "e2e"}, headers=h)
        assert created.status_code == 201
        base = f"/api/projects/{created.json()['id']}"

        v1 = "def area(r):\n    return 3.14 * r * r\n"
        write = await http.put(f"{base}/files/calc/area.py", content=v1, headers=h)
        assert write.status_code == 201
        first = await http.post(
            f"{base}/commits", json={"message": "Add area"}, headers=h
        )
        assert first.status_code == 201
        first_sha = first.json()["sha"]
        assert first.json()["author_name"] == "ada"

        v2 = "import math\n\n\ndef area(r):\n    return math.pi * r * r\n"
        await http.put(f"{base}/files/calc/area.py", content=v2, headers=h)
        second = await http.post(
            f"{base}/commits", json={"message": "Use pi"}, headers=h
        )
        assert second.status_code == 201

        log = (await http.get(f"{base}/commits", params={"limit": 2}, headers=h)).json()
        assert [c["summary"] for c in log["items"]] == ["Use pi", "Add area"]
        assert log["next_cursor"] is not None
        rest = await http.get(
            f"{base}/commits", params={"cursor": log["next_cursor"]}, headers=h
        )
        assert [c["summary"] for c in rest.json()["items"]] == ["Initial commit"]

        diff = await http.get(f"{base}/commits/{second.json()['sha']}/diff", headers=h)
        assert diff.status_code == 200
        assert "-    return 3.14 * r * r\n+    return math.pi * r * r" in diff.text

        restored = await http.post(
            f"{base}/restore",
            json={"path": "calc/area.py", "ref": first_sha},
            headers=h,
        )
        assert restored.status_code == 200
        now = await http.get(f"{base}/files/calc/area.py", headers=h)
        assert now.text == v1
        at_second = await http.get(
            f"{base}/files/calc/area.py", params={"ref": "HEAD"}, headers=h
        )
        assert at_second.text == v2

        bad = await http.get(f"{base}/files/%2e%2e/%2e%2e/etc/passwd", headers=h)
        assert bad.status_code == 400
        assert (
            await http.get(f"{base}/commits/--upload-pack=x", headers=h)
        ).status_code == 400
