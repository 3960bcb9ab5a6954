"""Telling the user: ``window/showMessage``, ``$/progress`` and ``devsync/session``.

Every command result is also shown as a message, so editors that only show
messages (Neovim's ``vim.lsp.buf.execute_command``) get the whole answer;
``SessionController.say`` skips those when the client set
``session.showMessages: false``. Event messages are always sent.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from lsp import protocol

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)


class Reporter:
    """Messages and progress for one server."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self._progress: str | None = None
        self._begun: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def show(self, message: str, error: bool = False) -> None:
        kind = types.MessageType.Error if error else types.MessageType.Info
        self.server.window_show_message(
            types.ShowMessageParams(type=kind, message=f"DevSync: {message}")
        )

    def session(self, params: dict[str, Any]) -> None:
        """The whole session state, for clients that track it (VS Code)."""
        self.server.protocol.notify(protocol.NOTIFY_SESSION, params)

    def _supports_progress(self) -> bool:
        caps = self.server.client_capabilities
        return bool(caps.window and caps.window.work_done_progress)

    def begin(self, title: str, message: str) -> None:
        """Start (or update) the session's progress item."""
        if not self._supports_progress():
            return
        if self._progress is not None:
            self.server.work_done_progress.report(
                self._progress, types.WorkDoneProgressReport(message=message)
            )
            return
        token = self._progress = f"devsync-session-{uuid.uuid4().hex[:8]}"
        loop = asyncio.get_running_loop()
        self._begun = loop.create_task(self._begin(token, title, message))

    async def _begin(self, token: str, title: str, message: str) -> None:
        try:
            await self.server.work_done_progress.create_async(token)
        except Exception:
            log.info("client refused a progress token")
            return
        self.server.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title=title, message=message)
        )

    def end(self, message: str) -> None:
        token, self._progress = self._progress, None
        begun, self._begun = self._begun, None
        if token is None:
            return

        async def finish() -> None:
            if begun is not None:
                await begun  # "end" must follow "begin"
            self.server.work_done_progress.end(
                token, types.WorkDoneProgressEnd(message=message)
            )

        task = asyncio.get_running_loop().create_task(finish())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
