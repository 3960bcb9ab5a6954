"""Lint runs for the diagnostics feature: pyflakes on a linter thread, ruff.

pyflakes always runs; ruff adds its findings when installed. Where both
report the same problem (ruff's F rules), ruff's copy is kept, because it
usually arrives first.

Linting yields to jedi: ``Diagnostics`` starts a run only once no jedi call is
in flight, and a pyflakes check that is already running pauses while one is
(``pause``), because pyflakes needs the GIL the jedi thread is using. A run
whose version was superseded is abandoned: pyflakes stops at its next pause
and ruff is killed. (A worker process for pyflakes was tried: it cost ~35 MB
and a resource-tracker process.)
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from lsprotocol import types

from lsp import flakes, ruff_tool, worker
from lsp.context import ServerContext
from lsp.documents import Snapshot
from lsp.flakes import Finding
from lsp.worker import lint_executor

log = logging.getLogger(__name__)
# How long, in total, one pyflakes check waits for jedi before it goes on
# anyway (a long run of requests must not starve diagnostics).
PAUSE_LIMIT = 0.5
PAUSE_STEP = 0.005


def jedi_busy(ctx: ServerContext | None = None) -> bool:
    """Whether a jedi call (the request a user waits for) is queued or running
    on this process's jedi thread, or for ``ctx`` in an analysis pool."""
    return worker.busy(ctx)


def pauser(
    abandoned: threading.Event | None, ctx: ServerContext | None = None
) -> Callable[[], None]:
    """A ``pause`` callback for ``flakes.pyflakes_findings`` (runs on its thread).

    It raises ``flakes.Abandoned`` once ``abandoned`` is set and sleeps (so
    the GIL goes to the jedi thread) while jedi is busy, ``PAUSE_LIMIT`` at
    most in total.
    """
    waited = 0.0

    def pause() -> None:
        nonlocal waited
        while True:
            if abandoned is not None and abandoned.is_set():
                raise flakes.Abandoned
            if waited >= PAUSE_LIMIT or not jedi_busy(ctx):
                return
            time.sleep(PAUSE_STEP)
            waited += PAUSE_STEP

    return pause


async def warm() -> None:
    """Import pyflakes ahead of the first check."""
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(lint_executor(), flakes.warm)


# pyflakes findings depend on the text and file name only: many bridge
# connections open the same file, and an edit undone brings back a text
# already checked, so recent results are kept (by text, not by document).
MEMO_SIZE = 32
_memo: OrderedDict[tuple[str, str], list[Finding]] = OrderedDict()
_memo_lock = threading.Lock()
memo_stats = {"hits": 0, "misses": 0}


async def pyflakes(
    snap: Snapshot,
    abandoned: threading.Event | None = None,
    ctx: ServerContext | None = None,
) -> list[Finding]:
    """pyflakes findings for ``snap`` (from the memo when this text was checked).

    Raises ``flakes.Abandoned`` when ``abandoned`` is set before the check is
    done."""
    name = snap.path or "untitled.py"
    key = (name, snap.source)
    with _memo_lock:
        found = _memo.get(key)
        if found is not None:
            _memo.move_to_end(key)
            memo_stats["hits"] += 1
            return list(found)
        memo_stats["misses"] += 1
    loop = asyncio.get_running_loop()
    found = await loop.run_in_executor(
        lint_executor(),
        flakes.pyflakes_findings,
        snap.source,
        name,
        pauser(abandoned, ctx),
    )
    with _memo_lock:
        _memo[key] = found
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return list(found)


async def ruff(
    snap: Snapshot, cwd: str | None, abandoned: threading.Event | None = None
) -> list[Finding]:
    """ruff findings for ``snap`` (empty when ruff is not installed or the
    run was ``abandoned``)."""
    loop = asyncio.get_running_loop()
    name = snap.path or "untitled.py"
    stop = abandoned.is_set if abandoned is not None else None
    return await loop.run_in_executor(
        lint_executor(), ruff_tool.ruff_findings, snap.source, name, cwd, stop
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
