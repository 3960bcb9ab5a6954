"""Diagnostics: syntax errors and pyflakes always, ruff when installed.

Debounced per document, superseded when a newer version arrives, computed on
the linter threads. Pushed with ``publishDiagnostics`` unless the client pulls
(``textDocument/diagnostic``).

Lint yields to jedi: a run starts only when no jedi request is in flight and
none came in for a debounce interval (typing goes on after a completion, and
its next edit supersedes the run), pyflakes pauses while one is, and a
superseded run is abandoned where it is (see ``lsp.linters``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from lsprotocol import types

from lsp import linters, ruff_tool
from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.flakes import Abandoned, Finding
from lsp.worker import jedi_idle

log = logging.getLogger(__name__)
JEDI_WAIT = 0.5  # a run waits for jedi this long at most, then lints anyway
RUFF_HEAD_START = 0.25  # pyflakes waits this long at most for ruff to finish


class Diagnostics(Feature):
    """Per-document lint runs and their push/pull delivery."""

    name = "diagnostics"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._abandon: dict[asyncio.Task[None], threading.Event] = {}
        self._results: dict[str, tuple[int | None, list[types.Diagnostic]]] = {}
        self._last_edit: dict[str, float] = {}

    @property
    def push(self) -> bool:
        """Push unless the client says it pulls."""
        td = self.ctx.capabilities.text_document
        return td is None or td.diagnostic is None

    def _schedule(self, snap: Snapshot, delay: float) -> None:
        if not snap.is_python or not self.ctx.options.diagnostics.enable:
            return
        self._cancel(snap.uri)  # a newer version supersedes it
        abandoned = threading.Event()
        task = asyncio.ensure_future(self._run(snap, delay, abandoned))
        self._tasks[snap.uri] = task
        self._abandon[task] = abandoned
        task.add_done_callback(lambda t: self._done(snap.uri, t))

    def _cancel(self, uri: str) -> None:
        """Stop the run for ``uri``, including lint already on a thread."""
        old = self._tasks.pop(uri, None)
        if old is not None:
            old.cancel()
            event = self._abandon.pop(old, None)
            if event is not None:
                event.set()

    def _done(self, uri: str, task: asyncio.Task[None]) -> None:
        self._abandon.pop(task, None)
        if self._tasks.get(uri) is task:
            del self._tasks[uri]
        if not task.cancelled() and task.exception() is not None:
            log.error("diagnostics failed for %s", uri, exc_info=task.exception())

    def did_open(self, snap: Snapshot) -> None:
        self._schedule(snap, 0)

    def did_change(self, snap: Snapshot) -> None:
        # Leading edge: the first edit after a quiet spell is linted at once;
        # edits in a burst wait out the debounce and supersede each other.
        debounce = self.ctx.options.diagnostics.debounce_ms / 1000
        now = time.monotonic()
        quiet = now - self._last_edit.get(snap.uri, 0.0) > debounce
        self._last_edit[snap.uri] = now
        busy = snap.uri in self._tasks
        self._schedule(snap, 0 if quiet and not busy else debounce)

    def did_save(self, snap: Snapshot) -> None:
        if self._results.get(snap.uri, (None,))[0] != snap.version:
            self._schedule(snap, 0)

    def did_close(self, uri: str) -> None:
        self._cancel(uri)
        self._results.pop(uri, None)
        self._last_edit.pop(uri, None)
        if self.push:
            self._publish(uri, None, [])

    def _publish(self, uri: str, version: int | None, diags: list[Any]) -> None:
        self.ctx.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diags)
        )

    def _stale(self, snap: Snapshot) -> bool:
        doc = self.ctx.server.workspace.text_documents.get(snap.uri)
        return doc is None or doc.version != snap.version

    async def _yield_to_jedi(self) -> None:
        """Wait while a jedi request is in flight, and a debounce interval
        after it: the edit that usually follows a completion supersedes this
        run before it takes the GIL from the next request."""
        if not linters.jedi_busy(self.ctx):
            return
        grace = self.ctx.options.diagnostics.debounce_ms / 1000
        loop = asyncio.get_running_loop()
        deadline = loop.time() + JEDI_WAIT
        while linters.jedi_busy(self.ctx) and loop.time() < deadline:
            await jedi_idle(deadline - loop.time(), self.ctx)
            await asyncio.sleep(grace)

    async def _run(
        self, snap: Snapshot, delay: float, abandoned: threading.Event
    ) -> None:
        if delay:
            await asyncio.sleep(delay)
        await self._yield_to_jedi()  # a completion the user waits for goes first
        snap = self.ctx.snapshot(snap.uri) or snap
        found: dict[str, list[Finding]] = {}
        for done in asyncio.as_completed(self._lint_jobs(snap, abandoned)):
            source, findings = await done
            if findings is None or self._stale(snap):
                return
            found[source] = findings
            merged = linters.merge(found.get("pyflakes", []), found.get("ruff", []))
            diags = linters.to_diagnostics(snap, merged)
            self._results[snap.uri] = (snap.version, diags)
            if self.push:
                self._publish(snap.uri, snap.version, diags)

    def _lint_jobs(
        self, snap: Snapshot, abandoned: threading.Event | None = None
    ) -> list[Any]:
        async def tagged(source: str, job: Any) -> tuple[str, list[Finding] | None]:
            try:
                return source, await job
            except Abandoned:  # superseded: nobody awaits this run any more
                return source, None

        ruff: asyncio.Future[list[Finding]] | None = None
        if self._ruff_wanted():
            root = self.ctx.root_path
            ruff = asyncio.ensure_future(linters.ruff(snap, root, abandoned))

        async def pyflakes() -> list[Finding]:
            # ruff answers in about 15 ms, but its thread needs the GIL to feed
            # and read the subprocess, and pyflakes (pure Python, 100 ms on a
            # 7,000-line file) would hold it: start pyflakes once ruff is done,
            # or after RUFF_HEAD_START if ruff is slow this time.
            if ruff is not None:
                await asyncio.wait([ruff], timeout=RUFF_HEAD_START)
            return await linters.pyflakes(snap, abandoned, self.ctx)

        jobs = [tagged("pyflakes", pyflakes())]
        if ruff is not None:
            jobs.append(tagged("ruff", ruff))
        return jobs

    def _ruff_wanted(self) -> bool:
        return self.ctx.options.diagnostics.ruff and ruff_tool.ruff_binary() is not None

    async def pull(
        self, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        snap = self.ctx.snapshot(params.text_document.uri)
        if snap is None or not snap.is_python:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = str(snap.version)
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        cached = self._results.get(snap.uri)
        pending = self._tasks.get(snap.uri)
        if cached and cached[0] == snap.version and pending is None:
            items = cached[1]
        else:
            found = dict(await asyncio.gather(*self._lint_jobs(snap)))
            merged = linters.merge(found.get("pyflakes") or [], found.get("ruff") or [])
            items = linters.to_diagnostics(snap, merged)
            self.ctx.ensure_current(snap)
            self._results[snap.uri] = (snap.version, items)
        return types.RelatedFullDocumentDiagnosticReport(
            items=items, result_id=result_id
        )
