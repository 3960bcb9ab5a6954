"""One open session document: its room, its text sync and who is in it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from lsp.collab import presence
from lsp.collab.room import Room
from lsp.collab.textsync import TextSync

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)
SYNC_TIMEOUT = 15.0


class LspEditor:
    """``workspace/applyEdit`` for one document."""

    def __init__(self, server: LanguageServer, uri: str) -> None:
        self.server, self.uri = server, uri

    @property
    def versioned(self) -> bool:
        """Whether edits carry the document version (editors that offer
        ``documentChanges``); Neovim 0.7 does not, and applies every edit."""
        caps = self.server.client_capabilities.workspace
        edit_caps = caps.workspace_edit if caps else None
        return bool(edit_caps is not None and edit_caps.document_changes)

    async def apply(self, edits: list[types.TextEdit], version: int | None) -> bool:
        caps = self.server.client_capabilities.workspace
        edit_caps = caps.workspace_edit if caps else None
        if edit_caps is not None and edit_caps.document_changes:
            doc = types.OptionalVersionedTextDocumentIdentifier(
                uri=self.uri, version=version
            )
            edit = types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(text_document=doc, edits=list(edits))
                ]
            )
        else:
            edit = types.WorkspaceEdit(changes={self.uri: list(edits)})
        # No label: Neovim 0.7 prints it on every edit.
        params = types.ApplyWorkspaceEditParams(edit=edit)
        result = await self.server.workspace_apply_edit_async(params)
        return bool(result.applied)


class SessionDocument:
    """Connects one editor document to its room once the room has synced."""

    def __init__(
        self,
        server: LanguageServer,
        uri: str,
        room: Room,
        current: Callable[[], tuple[str, int | None] | None],
        on_presence: Callable[[SessionDocument], None],
        *,
        disk: Callable[[], str | None] = lambda: None,
        read_only: Callable[[], bool] = lambda: False,
        tell: Callable[[str], None] = lambda _message: None,
    ) -> None:
        self.server, self.uri, self.room = server, uri, room
        self.sync: TextSync | None = None
        self.cursors: dict[int, presence.Cursor] = {}
        self.caret: int | None = None
        self._current, self._on_presence = current, on_presence
        self._disk, self._tell = disk, tell
        self.read_only = lambda: read_only() or room.read_only
        self._told_read_only = False
        self._attach: asyncio.Task[None] | None = None
        found = current()
        # Without the file on disk, what is typed after this is merged.
        self._opened = found[0] if found else None

    def start(self, user: dict[str, Any]) -> None:
        self.room.awareness.set_local_state({"user": user})
        self.room.start()
        self._attach = asyncio.get_running_loop().create_task(
            self._attach_when_synced()
        )

    async def _attach_when_synced(self) -> None:
        try:
            await asyncio.wait_for(self.room.synced.wait(), SYNC_TIMEOUT)
        except TimeoutError:
            log.warning("%s: room did not sync in %ss", self.uri, SYNC_TIMEOUT)
            return
        try:  # what the editor loaded or last saved: the merge's base
            disk = await asyncio.to_thread(self._disk)
        except Exception as exc:
            log.info("%s: cannot read the file: %s", self.uri, exc)
            disk = None
        found = self._current()
        if found is None:
            return
        text, version = found
        if disk is not None and "\r\n" in disk and "\r\n" not in text:
            disk = disk.replace("\r\n", "\n")  # the editor's line endings
        sync = TextSync(
            self.room.doc,
            self.room.text,
            text,
            version,
            LspEditor(self.server, self.uri),
            self.room.send_update,
        )
        sync.on_local = self._moved
        sync.is_read_only = self.read_only
        sync.on_reverted = self._reverted
        self.sync = sync
        self.room.sink = sync.remote_update
        base = disk if disk is not None else self._opened
        conflicts = sync.start(str(self.room.text), base)
        if conflicts:
            lines = ", ".join(str(line + 1) for line in conflicts[:5])
            self._tell(
                f"{self._name()}: your unsaved edits and the session's both "
                f"changed line(s) {lines}; both versions were kept there"
            )
        self.refresh_presence()

    def _name(self) -> str:
        return self.uri.rsplit("/", 1)[-1]

    def _reverted(self) -> None:
        """Told once per document: a viewer's typing is undone."""
        if not self._told_read_only:
            self._told_read_only = True
            self._tell(
                f"{self._name()} is read-only for you in this session (viewer); "
                "your edits there are undone"
            )

    def did_change(
        self,
        changes: list[types.TextDocumentContentChangeEvent],
        text: str,
        version: int | None,
    ) -> None:
        if self.sync is not None:
            self.sync.local_change(changes, text, version)

    def caret_at(self, position: types.Position) -> None:
        """A request (hover, completion, ...) at ``position``: the caret is
        there. Positions are in the editor's last reported text."""
        if self.sync is not None:
            offset = self.sync.index.offset(position)
            if offset != self.caret:
                self._moved(offset)

    def _moved(self, caret: int) -> None:
        """Our caret: where we last typed or asked something (LSP does not
        report cursors)."""
        self.caret = caret
        if self.sync is None:
            return
        state = dict(self.room.awareness.get_local_state() or {})
        state.update(presence.ours(caret, self.room.text, self.sync.index))
        self.room.set_presence(state)

    def refresh_presence(self) -> None:
        """Re-read every remote state against the current text."""
        if self.sync is None:
            return
        own = self.room.awareness.client_id
        index, cursors = self.sync.index, {}
        for client_id, state in self.room.awareness.states.items():
            if client_id == own or not isinstance(state, dict):
                continue
            cursor = presence.read(state, client_id, self.room.text, index)
            if cursor is not None:
                cursors[client_id] = cursor
        gone = {k: v for k, v in self.cursors.items() if k not in cursors}
        changed = {k: v for k, v in cursors.items() if self.cursors.get(k) != v}
        self.cursors = cursors
        for client_id, cursor in gone.items():
            self.server.protocol.notify(
                "devsync/presence", presence.left(client_id, cursor.name)
            )
        for cursor in changed.values():
            self.server.protocol.notify("devsync/presence", cursor.params(self.uri))
        if gone or changed:
            self._on_presence(self)

    async def close(self) -> None:
        if self._attach is not None:
            self._attach.cancel()
        if self.sync is not None:
            self.sync.close()
        for client_id, cursor in self.cursors.items():
            self.server.protocol.notify(
                "devsync/presence", presence.left(client_id, cursor.name)
            )
        await self.room.stop()
