"""Awareness states <-> where people are: ``devsync/presence`` and inlay hints.

Peers publish a cursor either as Yjs UTF-16 indices (``cursor: {anchor,
head}``) or, like y-monaco, as relative positions (``selection``); both are
read. Ours carries both, so browsers and editors draw the LSP user too.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pycrdt import Assoc, StickyIndex, Text

from lsp.collab.positions import TextIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cursor:
    """One remote participant's caret and selection in one document."""

    client_id: int
    name: str
    colour: str
    head: types.Position
    anchor: types.Position

    def params(self, uri: str) -> dict[str, Any]:
        """The ``devsync/presence`` notification params."""
        start, end = sorted(
            (self.anchor, self.head), key=lambda p: (p.line, p.character)
        )
        return {
            "user": {"id": self.client_id, "name": self.name, "colour": self.colour},
            "uri": uri,
            "cursor": _pos(self.head),
            "ranges": [{"start": _pos(start), "end": _pos(end)}],
        }

    def hint(self) -> types.InlayHint:
        return types.InlayHint(
            position=self.head,
            label=f"⟨{self.name}⟩",
            padding_left=True,
            tooltip=f"{self.name} is here (DevSync)",
        )


def _pos(position: types.Position) -> dict[str, int]:
    return {"line": position.line, "character": position.character}


def left(client_id: int, name: str) -> dict[str, Any]:
    """Presence params saying that a participant left the document."""
    return {"user": {"id": client_id, "name": name}, "uri": None}


def _sticky(text: Text, data: Any) -> int | None:
    """UTF-8 index of a Yjs relative position, or None if it cannot be read."""
    if not isinstance(data, dict) or ("item" not in data and "tname" not in data):
        return None
    try:
        if data.get("item") is None:  # relative to the type: start or end
            return len(text) if data.get("assoc", 0) >= 0 else 0
        index: int = StickyIndex.from_json(data, text).get_index()
        return index
    except BaseException as exc:  # pyo3 panics are BaseExceptions
        if isinstance(exc, KeyboardInterrupt | SystemExit | asyncio.CancelledError):
            raise
        return None


def read(
    state: dict[str, Any], client_id: int, text: Text, index: TextIndex
) -> Cursor | None:
    """The cursor in one awareness state, as positions in the editor's text."""
    user = state.get("user") if isinstance(state.get("user"), dict) else {}
    assert isinstance(user, dict)
    name = str(user.get("name") or f"peer {client_id}")[:40]
    colour = str(user.get("color") or user.get("colour") or "#888888")
    anchor = head = None
    selection = state.get("selection")
    if isinstance(selection, dict):
        a, h = (
            _sticky(text, selection.get("anchor")),
            _sticky(text, selection.get("head")),
        )
        if a is not None and h is not None:
            anchor, head = index.from_utf8(a), index.from_utf8(h)
    cursor = state.get("cursor")
    if head is None and isinstance(cursor, dict):
        a, h = cursor.get("anchor"), cursor.get("head", cursor.get("anchor"))
        if isinstance(a, int) and isinstance(h, int):
            anchor, head = index.from_utf16(a), index.from_utf16(h)
    if head is None or anchor is None:
        return None
    return Cursor(client_id, name, colour, index.position(head), index.position(anchor))


def ours(caret: int, text: Text, index: TextIndex) -> dict[str, Any]:
    """Our awareness fields for a caret at code-point ``caret`` of the Y.Text."""
    units = index.utf16(caret)
    fields: dict[str, Any] = {"cursor": {"anchor": units, "head": units}}
    at = index.to_utf8(caret)
    if at < len(text):  # pycrdt panics on a sticky index at the very end
        try:
            sticky = StickyIndex.new(text, at, Assoc.AFTER).to_json()
            fields["selection"] = {"anchor": sticky, "head": sticky}
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit | asyncio.CancelledError):
                raise
    return fields
