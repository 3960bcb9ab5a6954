"""VS Code end to end: the packaged extension in real VS Code (code-server
4.100.3, VS Code 1.100.3) driven by Playwright in Debian's Chromium.

Two workspaces in one code-server: one runs the real ``devsync lsp``
(completion, diagnostics, AI ghost text and the session peer, each checked
when the language server offers it), one runs a stand-in session server so
the extension's session UI (presence decorations, status bar, sign-in,
share, commit, history diff, leave) is checked in the real editor now.
Screenshots go to ``test-artifacts/vscode/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.vscode_harness import (
    ARTIFACTS,
    CHROMIUM,
    EXT,
    FAKE_SESSION_SERVER,
    SETUP,
    FakeHttp,
    Peer,
    check_tools,
    drive,
    free_port,
    server_capabilities,
    server_commands,
    write_json,
)

pytestmark = pytest.mark.e2e


REAL_MAIN = "import os\n\nprint(undefined_name)\n"
FAKE_SHARED = "def shared():\n    return 1\n\nresult = shared()\n"
HISTORY = {
    "a" * 40: "def shared():\n    return 0\n",
    "b" * 40: "def shared():\n    return 'v2'\n",
}
GHOST_TEXT = "return 42"


@pytest.fixture(scope="module")
def code_server() -> Path:
    """The code-server entry point, installed (or reused) by the setup script."""
    check_tools()
    started = time.monotonic()
    done = subprocess.run(
        ["bash", str(SETUP)], capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"code-server setup failed:\n{done.stderr[-4000:]}")
    took = time.monotonic() - started
    print(f"code-server setup took {took:.1f}s", file=sys.stderr)  # noqa: T201
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def vsix() -> Path:
    """The extension packaged exactly as users install it."""
    done = subprocess.run(
        ["npm", "run", "package", "--silent"],
        cwd=EXT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    package = json.loads((EXT / "package.json").read_text())
    path = EXT / "dist" / f"{package['name']}-{package['version']}.vsix"
    assert path.is_file()
    return path


# -- the run -------------------------------------------------------------------


@dataclass
class Run:
    results: dict[str, dict[str, Any]]
    capabilities: dict[str, Any]
    fake_log: list[dict[str, Any]]
    http_tokens: list[str]
    code_server_log: str

    def result(self, check: str) -> dict[str, Any]:
        if check not in self.results:
            pytest.fail(
                f"the driver did not report {check}; log:\n{self.code_server_log}"
            )
        return self.results[check]

    def expect(self, check: str) -> str:
        result = self.result(check)
        assert result["status"] == "pass", f"{check}: {result['detail']}"
        return str(result["detail"])


@pytest.fixture(scope="module")
def run(
    code_server: Path, vsix: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    from tests.fakes.ai_provider import FakeProvider

    tmp = tmp_path_factory.mktemp("vscode")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    user, extensions = tmp / "user", tmp / "extensions"
    ws_real, ws_fake = tmp / "ws-real", tmp / "ws-fake"
    (ws_real / "main.py").parent.mkdir(parents=True)
    (ws_real / "main.py").write_text(REAL_MAIN)
    (ws_fake / "shared.py").parent.mkdir(parents=True)
    (ws_fake / "shared.py").write_text(FAKE_SHARED)
    fake_log = tmp / "fake-session.jsonl"

    ai = FakeProvider(text=GHOST_TEXT).start()
    http = FakeHttp(HISTORY).start()
    env = {
        **os.environ,
        "DEVSYNC_AI_MODEL": "text-completion-openai/qwen2.5-coder:1.5b",
        "DEVSYNC_AI_API_BASE": ai.v1,
        "DEVSYNC_AI_API_KEY": "sk-e2e",
        "DEVSYNC_AI_DEBOUNCE_MS": "0",
        "DEVSYNC_FAKE_LOG": str(fake_log),
        "XDG_CONFIG_HOME": str(tmp / "xdg-config"),
        "XDG_DATA_HOME": str(tmp / "xdg-data"),
    }
    capabilities = server_capabilities(env)
    commands = server_commands(capabilities)

    write_json(
        user / "User" / "settings.json",
        {
            "devsync.pythonPath": sys.executable,
            "devsync.serverUrl": f"http://127.0.0.1:{http.port}",
            "workbench.startupEditor": "none",
            "security.workspace.trust.enabled": False,
            "telemetry.telemetryLevel": "off",
            "extensions.autoCheckUpdates": False,
            "extensions.autoUpdate": False,
            "workbench.tips.enabled": False,
            "editor.inlineSuggest.enabled": True,
            "window.restoreWindows": "none",
            "devsync.trace.server": "messages",  # in the DevSync logs kept below
        },
    )
    # The second workspace starts the stand-in instead of `-m lsp`.
    write_json(
        ws_fake / ".vscode" / "settings.json",
        {"devsync.server.args": [str(FAKE_SESSION_SERVER)]},
    )

    share = "devsync.shareSession" in commands
    devsync = peer = None
    if share:
        from tests.e2e.collab_harness import Server

        devsync = Server(tmp / "devsync-data").start()
        devsync.user("ada")
        devsync.user("bob")
        project_id = devsync.project("ada", {"main.py": REAL_MAIN})
        peer = Peer(devsync, project_id)
        write_json(
            ws_real / ".vscode" / "settings.json", {"devsync.serverUrl": devsync.http}
        )

    entry = str(code_server)
    base = [
        "node",
        entry,
        "--user-data-dir",
        str(user),
        "--extensions-dir",
        str(extensions),
    ]
    install = subprocess.run(
        [*base, "--install-extension", str(vsix)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    port = free_port()
    log_path = tmp / "code-server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                *base,
                "--auth", "none",
                "--bind-addr", f"127.0.0.1:{port}",
                "--config", str(tmp / "code-server.yaml"),
                "--disable-telemetry",
                "--disable-update-check",
                "--disable-workspace-trust",
                "--disable-getting-started-override",
                str(ws_real),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while b"HTTP server listening" not in log_path.read_bytes():
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)

        inline = "inlineCompletionProvider" in capabilities
        config = {
            "url": f"http://127.0.0.1:{port}",
            "chromium": CHROMIUM,
            "artifacts": str(ARTIFACTS),
            "real": {
                "folder": str(ws_real),
                "file": "main.py",
                "diagnostic": "undefined_name",
                "ghostText": GHOST_TEXT if inline else None,
                "share": share,
                "token": devsync.tokens["ada"] if devsync else None,
                "peerName": "bob" if share else None,
                "commitMessage": "e2e: commit from VS Code with the real server",
                "diffText": "print(undefined_name)",
            },
            "fake": {
                "folder": str(ws_fake),
                "file": "shared.py",
                "token": "e2e-secret-token",
                "commitMessage": "e2e: commit from VS Code",
                "diffText": "return 'v2'",
                "inviteLink": "http://127.0.0.1:9/join/e2e-invite-token",
            },
        }  # fmt: skip
        write_json(tmp / "driver.json", config)
        results = drive(tmp / "driver.json", peer, ARTIFACTS / "driver.log")
        records = (
            [json.loads(x) for x in fake_log.read_text().splitlines()]
            if fake_log.exists()
            else []
        )
        yield Run(
            results=results,
            capabilities=capabilities,
            fake_log=records,
            http_tokens=http.tokens,
            code_server_log=log_path.read_text()[-3000:],
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(15)
        # Whatever is left of the group (a language server's helper processes
        # may ignore SIGTERM) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        (ARTIFACTS / "code-server.log").write_text(log_path.read_text())
        for n, log in enumerate(sorted(user.glob("logs/*/exthost*/*/DevSync.log"))):
            shutil.copy(log, ARTIFACTS / f"DevSync-{n}.log")
        http.stop()
        ai.stop()
        if peer is not None:
            peer.stop()
        if devsync is not None:
            devsync.stop()


# -- the real language server ----------------------------------------------------


def test_workbench_loads_with_the_extension(run: Run) -> None:
    run.expect("workbench_loads")


def test_language_server_completes_after_os_dot(run: Run) -> None:
    assert "path" in run.expect("completion")


def test_language_server_diagnostic_is_shown(run: Run) -> None:
    assert "undefined_name" in run.expect("diagnostic")


def test_inline_ghost_text_from_fake_ai(run: Run) -> None:
    # Advertised as `{}` (InlineCompletionOptions with no fields): test presence.
    assert "inlineCompletionProvider" in run.capabilities
    assert GHOST_TEXT in run.expect("inline_ghost_text")


def test_share_session_with_real_language_server(run: Run) -> None:
    assert "devsync.shareSession" in server_commands(run.capabilities)
    assert run.expect("share_session").startswith("http")


def test_remote_cursor_from_pycrdt_peer(run: Run) -> None:
    commands = server_commands(run.capabilities)
    assert {"devsync.joinSession", "devsync.shareSession"} <= set(commands)
    assert "bob" in json.loads(run.expect("remote_cursor_from_pycrdt_peer"))["content"]
    # Bob counts as a participant as soon as his cursor arrives.
    assert "DevSync: 2" in run.expect("real_status_bar_participants")


# -- the extension's session UI, against the stand-in session server --------------


def test_presence_is_drawn_in_the_participants_colour_with_name(run: Run) -> None:
    detail = json.loads(run.expect("presence_decoration"))
    assert "Alice" in detail["content"]


def test_status_bar_shows_the_participants(run: Run) -> None:
    assert "DevSync: 2" in run.expect("status_bar_participants")


def test_sign_in_keeps_the_token_and_hands_it_to_the_server(run: Run) -> None:
    run.expect("sign_in")
    calls = [c for c in run.fake_log if c["command"] == "devsync.signIn"]
    assert calls, run.fake_log
    assert calls[-1]["args"][1] == "e2e-secret-token"
    assert calls[-1]["args"][0].startswith("http://127.0.0.1:")


def test_share_session_copies_the_invite_link(run: Run) -> None:
    assert "join/e2e-invite-token" in run.expect("fake_share_session")
    assert ["editor"] in [
        c["args"] for c in run.fake_log if c["command"] == "devsync.shareSession"
    ]


def test_commit_sends_the_message(run: Run) -> None:
    run.expect("commit")
    assert {
        "command": "devsync.commit",
        "args": ["e2e: commit from VS Code"],
    } in run.fake_log


def test_history_opens_the_diff_editor_with_server_contents(run: Run) -> None:
    run.expect("history_diff")
    # The contents were read with the token from SecretStorage.
    assert "Bearer e2e-secret-token" in run.http_tokens


def test_follow_participant_picks_from_the_session(run: Run) -> None:
    run.expect("follow_participant")
    call = {"command": "devsync.followParticipant", "args": ["alice"]}
    assert call in run.fake_log


def test_explain_selection_runs_the_servers_explain_action(run: Run) -> None:
    assert "Explanation:" in run.expect("explain_selection")
    [call] = [c for c in run.fake_log if c["command"] == "devsync.ai.explain"]
    uri, selected = call["args"]
    assert uri.endswith("/shared.py")
    assert selected["start"] == {"line": 3, "character": 0}
    assert selected["end"] == {"line": 3, "character": len("result = shared()")}


def test_join_session_sends_the_invite_link(run: Run) -> None:
    assert "DevSync: 2" in run.expect("join_session")
    call = {
        "command": "devsync.joinSession",
        "args": ["http://127.0.0.1:9/join/e2e-invite-token"],
    }
    assert call in run.fake_log


def test_ghost_text_of_a_server_inline_completion_is_shown(run: Run) -> None:
    # The same check as test_inline_ghost_text_from_fake_ai, against the
    # stand-in: proves the extension and the driver's ghost-text detection.
    assert GHOST_TEXT in run.expect("fake_inline_ghost_text")


def test_leave_session_clears_remote_cursors(run: Run) -> None:
    run.expect("leave_session")
    assert any(c["command"] == "devsync.leaveSession" for c in run.fake_log)


def test_commit_and_history_diff_with_the_real_server(run: Run) -> None:
    commands = server_commands(run.capabilities)
    assert {"devsync.commit", "devsync.history"} <= set(commands)
    run.expect("real_commit")
    assert "print(undefined_name)" in run.expect("real_history_diff")
