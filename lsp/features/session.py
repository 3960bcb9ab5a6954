"""The session peer as a Feature: document hooks, commands and inlay hints.

Logic lives in ``lsp.collab``; this adapts the server's hooks to it.
``lsp.server`` hands it each didChange's content changes (the other hooks
only see the resulting snapshot) and routes the ``devsync.*`` session
commands and ``textDocument/inlayHint`` here. Requests made at a position
(hover, completion, ...) also place our caret for the other participants:
the hook wraps those handlers once the client has initialized.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from lsp.collab.controller import Command, SessionController
from lsp.features.base import Feature

if TYPE_CHECKING:
    from lsp.context import ServerContext
    from lsp.documents import Snapshot

log = logging.getLogger(__name__)
# Requests whose position is where the user's caret is.
CARET_REQUESTS = (
    types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT,
    types.TEXT_DOCUMENT_HOVER,
    types.TEXT_DOCUMENT_COMPLETION,
    types.TEXT_DOCUMENT_SIGNATURE_HELP,
    types.TEXT_DOCUMENT_DEFINITION,
)


class SessionPeer(Feature):
    """Joins live sessions as one more Yjs peer for the open documents."""

    name = "session"

    def __init__(self, ctx: ServerContext) -> None:
        super().__init__(ctx)
        self.controller = SessionController(ctx)
        self._tasks: set[asyncio.Task[Any]] = set()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.warning("session task failed: %s", exc)

    def commands(self) -> dict[str, Command]:
        """The session commands, each taking its arguments positionally."""
        return self.controller.commands()

    async def execute(self, command: Command, args: tuple[Any, ...]) -> Any:
        return await self.controller.run(command, args)

    def initialized(self) -> None:
        self._watch_carets()
        options = self.ctx.options.session
        if options.server_url and options.token:
            self._spawn(self._start_session(options.server_url, options.token))

    def _watch_carets(self) -> None:
        """Wrap the handlers of ``CARET_REQUESTS`` to note their position."""
        features = self.ctx.server.protocol.fm.features
        for method in CARET_REQUESTS:
            original = features.get(method)
            if original is None or getattr(original, "devsync_caret", False):
                continue
            if not inspect.iscoroutinefunction(original):
                continue  # ours are all async; a thread handler is left alone
            features[method] = self._caret_hook(original)

    def _caret_hook(
        self, original: Callable[[Any], Awaitable[Any]]
    ) -> Callable[[Any], Awaitable[Any]]:
        controller = self.controller

        @functools.wraps(original)
        async def hooked(params: Any) -> Any:
            try:
                uri = params.text_document.uri
                position = params.position
                if uri in controller.docs and isinstance(position, types.Position):
                    controller.caret_at(uri, position)
            except Exception:  # never let presence break a request
                log.exception("caret hook failed")
            return await original(params)

        hooked.devsync_caret = True  # type: ignore[attr-defined]
        return hooked

    async def _start_session(self, url: str, token: str) -> None:
        """Sign in from the options, and join their invite if there is one."""
        run, controller = self.controller.run, self.controller
        await run(controller.sign_in, (url, token))
        if invite := self.ctx.options.session.invite:
            await run(controller.join_session, (invite,))

    def did_open(self, snap: Snapshot) -> None:
        self.controller.open(snap.uri)

    def content_changes(
        self, params: types.DidChangeTextDocumentParams, snap: Snapshot
    ) -> None:
        """The editor's changes, in order, with the text they produced."""
        self.controller.changed(
            snap.uri, list(params.content_changes), snap.source, snap.version
        )

    def did_close(self, uri: str) -> None:
        self._spawn(self.controller.close(uri))

    def shutdown(self) -> None:
        self._spawn(self.controller.shutdown())

    async def inlay_hints(self, params: types.InlayHintParams) -> list[types.InlayHint]:
        return self.controller.inlay_hints(params)
