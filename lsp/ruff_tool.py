"""Find and run the optional ruff binary on in-memory text (no lsprotocol)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from collections.abc import Callable
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


TIMEOUT = 10.0
POLL = 0.01  # how often a run that may be abandoned looks at ``stop``


def run_ruff(
    args: list[str],
    source: str,
    cwd: str | None,
    stop: Callable[[], bool] | None = None,
) -> str | None:
    """Run ruff on ``source`` via stdin; stdout, or None if ruff is missing or
    failed, or ``stop()`` turned true (the process is then killed)."""
    binary = ruff_binary()
    if binary is None or (stop is not None and stop()):
        return None
    try:
        proc = subprocess.Popen(
            [binary, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
    except OSError as exc:
        log.warning("ruff failed: %s", exc)
        return None
    with proc:
        data: bytes | None = source.encode("utf-8")
        waited = 0.0
        while True:
            step = TIMEOUT if stop is None else POLL
            try:
                out, err = proc.communicate(data, timeout=step)
                break
            except subprocess.TimeoutExpired:
                data = None  # communicate() keeps feeding what it started
                waited += step
                if waited >= TIMEOUT or (stop is not None and stop()):
                    proc.kill()
                    proc.communicate()
                    if waited >= TIMEOUT:
                        log.warning("ruff timed out after %.0f s", TIMEOUT)
                    return None
    if proc.returncode not in (0, 1):
        log.debug("ruff exited %s: %s", proc.returncode, err[:500])
        return None
    return out.decode("utf-8")


def ruff_findings(
    source: str,
    filename: str,
    cwd: str | None,
    stop: Callable[[], bool] | None = None,
) -> list[Finding]:
    """ruff's findings with the project's configuration (none if stopped)."""
    args = ["check", "--output-format=json", "--exit-zero", "--no-cache"]
    out = run_ruff([*args, "--stdin-filename", filename, "-"], source, cwd, stop)
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
