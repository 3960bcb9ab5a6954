"""Lint runs for the diagnostics feature: pyflakes in a worker process, ruff.

pyflakes always runs; ruff adds its findings when installed. Where both
report the same problem (ruff's F rules), ruff's copy is kept, because it
usually arrives first.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import re
import threading
from concurrent.futures import Executor, ProcessPoolExecutor

from lsprotocol import types

from lsp import lint_process, ruff_tool
from lsp.documents import Snapshot
from lsp.lint_process import Finding
from lsp.worker import lint_executor

log = logging.getLogger(__name__)
_lock = threading.Lock()
_pool: Executor | None = None


def process_pool() -> Executor:
    """One process-wide pyflakes worker process (threads if that fails)."""
    global _pool
    with _lock:
        if _pool is None:
            try:
                ctx = multiprocessing.get_context("spawn")
                _pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=ctx,
                    initializer=lint_process.detach_stdio,
                )
            except (OSError, ValueError):
                log.warning("no worker process for pyflakes; using a thread")
                _pool = lint_executor()
        return _pool


def stop_workers() -> None:
    """Kill the pyflakes worker now (used when the process is about to exit)."""
    pool = _pool
    if isinstance(pool, ProcessPoolExecutor):
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()


async def warm() -> None:
    """Start the worker process early so the first check does not pay for it."""
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(process_pool(), lint_process.warm)
    except Exception:
        log.exception("pyflakes worker failed to start")


async def pyflakes(snap: Snapshot) -> list[Finding]:
    """pyflakes findings for ``snap``."""
    loop = asyncio.get_running_loop()
    name = snap.path or "untitled.py"
    try:
        return await loop.run_in_executor(
            process_pool(), lint_process.pyflakes_findings, snap.source, name
        )
    except Exception:  # a broken worker must not end diagnostics
        log.exception("pyflakes worker failed; checking in a thread")
        return await loop.run_in_executor(
            lint_executor(), lint_process.pyflakes_findings, snap.source, name
        )


async def ruff(snap: Snapshot, cwd: str | None) -> list[Finding]:
    """ruff findings for ``snap`` (empty when ruff is not installed)."""
    loop = asyncio.get_running_loop()
    name = snap.path or "untitled.py"
    return await loop.run_in_executor(
        lint_executor(), ruff_tool.ruff_findings, snap.source, name, cwd
    )


def _key(finding: Finding) -> tuple[int, str]:
    message = re.sub(r"[`'\"]", "'", finding[7]).lower()
    return finding[0], message


def merge(pyflakes: list[Finding], ruff: list[Finding]) -> list[Finding]:
    """Both lists, without pyflakes messages ruff also reported."""
    seen = {_key(f) for f in ruff}
    return [f for f in pyflakes if _key(f) not in seen] + ruff


def to_diagnostics(snap: Snapshot, findings: list[Finding]) -> list[types.Diagnostic]:
    """Findings (code points) -> diagnostics in the client's units."""
    out = []
    for row, col, end_row, end_col, severity, source, code, message, unused in findings:
        diag = types.Diagnostic(
            range=types.Range(
                snap.position(row + 1, col), snap.position(end_row + 1, end_col)
            ),
            message=message,
            severity=types.DiagnosticSeverity(severity),
            source=source,
            code=code,
        )
        if unused:
            diag.tags = [types.DiagnosticTag.Unnecessary]
        out.append(diag)
    return out
