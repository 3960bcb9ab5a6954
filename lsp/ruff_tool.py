"""Find and run the optional ruff binary on in-memory text (no lsprotocol)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from functools import cache

from lsp.flakes import Finding

log = logging.getLogger(__name__)


@cache
def ruff_binary() -> str | None:
    """Path of the ruff executable if the optional extra is installed."""
    try:
        from ruff import find_ruff_bin  # type: ignore[import-untyped]

        return os.fsdecode(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("ruff")


def run_ruff(args: list[str], source: str, cwd: str | None) -> str | None:
    """Run ruff on ``source`` via stdin; stdout, or None if ruff is missing/failed."""
    binary = ruff_binary()
    if binary is None:
        return None
    try:
        proc = subprocess.run(
            [binary, *args],
            input=source.encode("utf-8"),
            capture_output=True,
            cwd=cwd,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("ruff failed: %s", exc)
        return None
    if proc.returncode not in (0, 1):
        log.debug("ruff exited %s: %s", proc.returncode, proc.stderr[:500])
        return None
    return proc.stdout.decode("utf-8")


def ruff_findings(source: str, filename: str, cwd: str | None) -> list[Finding]:
    """ruff's findings with the project's configuration."""
    args = ["check", "--output-format=json", "--exit-zero", "--no-cache"]
    out = run_ruff([*args, "--stdin-filename", filename, "-"], source, cwd)
    if not out:
        return []
    found: list[Finding] = []
    for item in json.loads(out):
        code = item.get("code") or ""
        if not code or code.startswith("E9"):
            continue  # syntax errors come from our own check
        start, end = item["location"], item["end_location"]
        found.append(
            (
                start["row"] - 1,
                start["column"] - 1,
                end["row"] - 1,
                end["column"] - 1,
                1 if code in ("F821", "F822", "F823") else 2,
                "ruff",
                code,
                item.get("message", ""),
                code in ("F401", "F841", "F842"),
            )
        )
    return found
