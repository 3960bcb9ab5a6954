"""Neovim 0.7 (Debian's) drives ``devsync lsp`` through its built-in client.

Headless Neovim runs ``fixtures/lsp_project/init.lua``, which starts the
server with ``vim.lsp.start_client``, asks for completion, hover and
definition, waits for diagnostics, edits the buffer, and writes what it got
to a JSON file this test checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PROJECT = Path(__file__).parent / "fixtures" / "lsp_project"


def _nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        if os.environ.get("DEVSYNC_REQUIRE_ALL") == "1":
            pytest.fail("nvim is required (DEVSYNC_REQUIRE_ALL=1)")
        pytest.skip("nvim not installed: apt-get install -y neovim (0.7+)")
    return found


def _server_command() -> list[str]:
    devsync = Path(sys.executable).with_name("devsync")
    if devsync.exists():
        return [str(devsync), "lsp"]
    return [sys.executable, "-m", "lsp"]


def test_neovim_completion_hover_definition_diagnostics(tmp_path: Path) -> None:
    nvim = _nvim()
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("init.lua"))
    out = tmp_path / "result.json"
    env = dict(
        os.environ,
        DEVSYNC_LSP_CMD=json.dumps(_server_command()),
        DEVSYNC_PROJECT=str(project),
        DEVSYNC_NVIM_OUT=str(out),
        PYTHONPATH=str(ROOT),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "-u", str(PROJECT / "init.lua")],
        env=env,
        cwd=project,
        timeout=150,
        check=False,
        capture_output=True,
    )
    assert out.exists(), "Neovim wrote no result"
    result = json.loads(out.read_text())
    assert result.get("error") is None, result
    assert "upper" in result["completion"]
    assert "Say hello to someone." in result["hover"]
    definition = result["definition"][0]
    assert definition["uri"].endswith("/helpers.py")
    assert definition["range"]["start"]["line"] == 0
    assert result["diagnostic"] is True
    assert result["diagnostic_after_edit"] is True
