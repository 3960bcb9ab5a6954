"""A scripted editor for the session-peer tests: Neovim 0.7 or VS Code semantics.

It keeps a buffer and a version, queues its own changes until ``flush`` (the
150 ms ``didChange`` debounce of Neovim), and answers ``workspace/applyEdit``
like Neovim (an out-of-date versioned edit is dropped yet reported applied,
``\\r\\n`` in new text becomes ``\\n``; ``lax``: applied anyway, at its
stale positions; ``split``: after a quiet spell the first change an edit
makes is reported at once, the rest with the next flush, as Neovim 0.7's
debounce does) or like VS Code (rejected).
"""

from __future__ import annotations

from lsprotocol import types

from lsp.collab.positions import TextIndex
from lsp.collab.textsync import TextSync


class FakeEditor:
    def __init__(
        self,
        text: str,
        *,
        neovim: bool = True,
        lax: bool = False,
        full: bool = False,
        split: bool = False,
    ) -> None:
        self.lax = lax  # Neovim 0.7 whose version check misses API-typed changes
        self.split = split  # the first change of an edit sent at once
        self.versioned = not lax  # lax: as if sent without a version
        self.full = full  # whole-text didChange (allow_incremental_sync = false)
        self.text = text
        self.version = 1
        self.neovim = neovim
        self.pending: list[types.TextDocumentContentChangeEvent] = []
        self.sync: TextSync | None = None
        self.dropped = 0
        self.rejected = 0

    def _change(self, start: int, end: int, text: str) -> None:
        index = TextIndex(self.text)
        self.pending.append(
            types.TextDocumentContentChangePartial(index.range(start, end), text)
        )
        self.text = self.text[:start] + text + self.text[end:]
        self.version += 1

    def type(self, offset: int, text: str) -> None:
        self._change(offset, offset, text)

    def delete(self, start: int, end: int) -> None:
        self._change(start, end, "")

    def flush(self) -> None:
        """Send the queued changes as one didChange."""
        if self.pending and self.sync is not None:
            changes, self.pending = self.pending, []
            if self.full:
                whole = types.TextDocumentContentChangeWholeDocument(text=self.text)
                changes = [whole]
            self.sync.local_change(changes, self.text, self.version)

    async def apply(self, edits: list[types.TextEdit], version: int | None) -> bool:
        if version is not None and version < self.version and not self.lax:
            if self.neovim:
                self.dropped += 1
                return True  # Neovim 0.7: dropped, yet "applied"
            self.rejected += 1
            return False
        index = TextIndex(self.text)
        # Neovim 0.7: from the last start to the first; the later edit first
        # at one start.
        order = sorted(
            enumerate(edits), key=lambda e: (index.offset(e[1].range.start), e[0])
        )
        spans = [
            (index.offset(e.range.start), index.offset(e.range.end), e.new_text)
            for _, e in reversed(order)
        ]
        quiet, first = not self.pending, None
        for start, end, text in spans:
            if self.neovim:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            self._change(start, end, text)
            first = first or (self.pending[-1], self.text, self.version)
        if self.split and quiet and len(spans) > 1 and self.sync and first:
            change, text, version = first
            self.pending.pop(0)
            self.sync.local_change([change], text, version)
        return True
