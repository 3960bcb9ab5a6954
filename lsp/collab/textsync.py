"""Keeps one editor buffer and one Y.Text equal, losing and doubling nothing.

Local ``didChange`` content changes go into the Y.Text at once. Remote
updates are held while an edit to the editor is in flight and applied when it
is settled, so every ``workspace/applyEdit`` is computed against the text the
editor last reported. An edit counts as applied only when the next
``didChange`` replays it (Neovim 0.7 answers ``applied: true`` for edits it
dropped as out of date); a dropped or rejected edit is rebased over the
user's typing and sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, Protocol

from lsprotocol import types
from pycrdt import Doc, Text, TransactionEvent, merge_updates

from lsp.collab.echo import Inflight, find_echo, find_partial, norm
from lsp.collab.merge import Merged, hunks, merge3
from lsp.collab.positions import Change, TextIndex, apply_all, common_prefix, diff
from lsp.collab.rebase import rebase, through

log = logging.getLogger(__name__)

LOCAL = "devsync-lsp-local"
REMOTE = "devsync-lsp-remote"
CONFIRM_SECONDS = 2.0  # an "applied" edit with no didChange after this is trusted
RETRY_SECONDS = 0.2
MAX_RETRIES = 5
EMPTY = b"\x00\x00"
MAX_HINTS = 6


class Editor(Protocol):
    """Where edits for the editor go (``workspace/applyEdit`` in the server)."""

    def apply(
        self, edits: list[types.TextEdit], version: int | None
    ) -> Awaitable[bool]: ...


class TextSync:
    """One document: the editor's last reported text (``mirror``) and the Y.Text."""

    def __init__(
        self,
        doc: Doc[Any],
        text: Text,
        editor_text: str,
        version: int | None,
        editor: Editor,
        send: Callable[[bytes], None],
    ) -> None:
        self.doc, self.text, self.editor, self.send = doc, text, editor, send
        self.mirror, self.version = editor_text, version
        self.inflight: Inflight | None = None
        self.closed = False
        self.on_local: Callable[[int], None] | None = None  # caret after an edit
        # A viewer's room: local edits are not sent, and are undone in the
        # editor (``on_reverted`` is called each time).
        self.is_read_only: Callable[[], bool] = lambda: False
        self.on_reverted: Callable[[], None] | None = None
        self._index: TextIndex | None = None
        self._hints: list[tuple[int, int]] = []  # (line, start) near the action
        self._anchors: list[tuple[int, int]] = []  # (code point, byte) likewise
        self._buffer: list[bytes] = []
        self._collect: list[Change] | None = None
        self._serial = 0
        self._retries = 0

    # ---- setup and teardown --------------------------------------------
    def start(self, room_text: str, base: str | None = None) -> list[int]:
        """Begin after the room's first sync; return the lines (0-based, in
        the merged text) where both sides had changed the same stretch.

        ``base`` is the file as the editor loaded or last saved it: what the
        editor changed since (unsaved edits, typing while the room synced) is
        merged into the room's text as Y edits, and the editor gets the
        room's changes as minimal edits. Without it, or for a read-only
        room, the room's text wins. An empty room next to a non-empty buffer
        is seeded from the buffer, so a file new to the server is not wiped
        in the editor.
        """
        if not room_text and self.mirror and not self.is_read_only():
            self._to_y([Change(0, 0, self.mirror)])
            return []
        editor_text = self.mirror
        if base is None or base == editor_text or self.is_read_only():
            merged = Merged(room_text, [])
        else:
            merged = merge3(base, editor_text, room_text)
        to_room = hunks(room_text, merged.text)
        if to_room:
            on_local, self.on_local = self.on_local, None
            self.mirror = room_text  # the Y.Text's coordinates, for _to_y
            try:
                self._to_y(to_room[::-1])  # descending: each valid in turn
            finally:
                self.mirror, self.on_local = editor_text, on_local
        self._send_edit(hunks(editor_text, merged.text))
        return [merged.text.count("\n", 0, at) for at in merged.conflicts]

    def close(self) -> None:
        """Stop observing; pending edits are dropped with the document."""
        self.closed = True
        if self.inflight is not None and self.inflight.timer is not None:
            self.inflight.timer.cancel()

    @contextlib.contextmanager
    def _local(self) -> Iterator[None]:
        """A transaction of ours whose update goes to the room. The doc and
        the text are observed only around transactions (ours, and remote
        updates): pycrdt computes every event's fields, which costs on large,
        heavily edited documents."""
        sub = self.doc.observe(self._on_transaction)
        try:
            with self.doc.transaction(origin=LOCAL):
                yield
        finally:
            self.doc.unobserve(sub)

    @property
    def index(self) -> TextIndex:
        """Positions in the mirror, computed once per mirror text."""
        if self._index is None or self._index.text is not self.mirror:
            self._index = TextIndex(self.mirror, self._hints, self._anchors)
        return self._index

    def _set_mirror(self, text: str, known: Change | None = None) -> None:
        """The editor's text is now ``text`` (``known`` made it, if given);
        move the line hints with it."""
        old = self.mirror
        if text is old:
            return
        change = [known] if known is not None else diff(old, text)
        if change:
            start, end, new = change[0].start, change[0].end, change[0].text
            hints: list[tuple[int, int]] = []
            lines = new.count("\n") - old.count("\n", start, end)
            grew = len(new) - (end - start)
            for line, at in self._hints:
                if at <= start:
                    hints.append((line, at))
                elif at >= end and (at + grew == 0 or text[at + grew - 1] == "\n"):
                    # Whole lines after the change. A hint right at its end
                    # still starts a line only if the new text ends with one:
                    # diff() reports "<x>" typed at a line start (after other
                    # changes) as a change ending there, with "<x>" last.
                    hints.append((line + lines, at + grew))
            anchors: list[tuple[int, int]] = []
            if self._anchors and not (old.isascii() and text.isascii()):
                grew_b = len(new.encode()) - len(old[start:end].encode())
                for point, byte in self._anchors:
                    if point <= start:
                        anchors.append((point, byte))
                    elif point >= end:
                        anchors.append((point + grew, byte + grew_b))
            index = TextIndex(text, hints, anchors)
            self._hints = _remember(hints, index.line_of(start))
            self._anchors = _remember(anchors, (start, index.to_utf8(start)))
        self.mirror = text
        self._index = TextIndex(text, self._hints, self._anchors)

    # ---- from the network ------------------------------------------------
    def remote_update(self, update: bytes) -> None:
        """A Y update from the room; applied when no edit is in flight."""
        self._buffer.append(update)
        self._pump()

    def _on_text(self, event: Any) -> None:  # pycrdt.TextEvent
        if self._collect is None:
            return
        # Ops with no retain between them (a delete then an insert, or an
        # insert then a delete of what follows it) become one change, so the
        # changes never touch: a separate insert and delete at one offset is
        # ambiguous (editors order such edits by their place in the list).
        collect, index, at = self._collect, self.index, 0  # byte offset in mirror
        for op in event.delta:
            if "retain" in op:
                at += op["retain"]
                continue
            start = index.from_utf8(at)
            if "delete" in op:
                at += op["delete"]
                end, text = index.from_utf8(at), ""
            elif "insert" in op and isinstance(op["insert"], str):
                end, text = start, op["insert"]
            else:
                continue
            last = collect[-1] if collect else None
            if last is not None and last.end == start:
                collect[-1] = Change(last.start, end, last.text + text)
            else:
                collect.append(Change(start, end, text))

    def _on_transaction(self, event: TransactionEvent) -> None:
        if self._collect is None and not self.closed and event.update != EMPTY:
            self.send(event.update)  # only our own edits reach here

    def _pump(self) -> None:
        """Apply held remote updates and send the editor what they changed."""
        if self.inflight is not None or self.closed or not self._buffer:
            return
        update = (
            self._buffer[0] if len(self._buffer) == 1 else merge_updates(*self._buffer)
        )
        self._buffer.clear()
        self._collect = []
        sub = self.text.observe(self._on_text)
        try:
            with self.doc.transaction(origin=REMOTE):
                self.doc.apply_update(update)
            changes = self._collect
        finally:
            self._collect = None
            self.text.unobserve(sub)
        self._send_edit(changes)

    # ---- to the editor ---------------------------------------------------
    def _send_edit(self, changes: list[Change], version: int | None = None) -> None:
        if not changes:
            return
        self._serial += 1
        index = self.index
        edits = [types.TextEdit(index.range(c.start, c.end), c.text) for c in changes]
        for change in changes[:2]:  # the echo will come back to these lines
            self._hints = _remember(self._hints, index.line_of(change.start))
        flight = self.inflight = Inflight(self._serial, changes, self.mirror, edits)
        if self._retries >= MAX_RETRIES:
            version = None  # stop fighting a version check we cannot win
        elif version is None:
            version = self.version
        flight.unversioned = version is None or not getattr(
            self.editor, "versioned", True
        )
        log.info("edit %s at version %s: %s", flight.serial, version, changes)
        task = asyncio.ensure_future(self._await(flight, edits, version))
        task.add_done_callback(_log_failure)

    async def _await(
        self, flight: Inflight, edits: list[types.TextEdit], version: int | None
    ) -> None:
        try:
            applied = await self.editor.apply(edits, version)
        except Exception:
            log.exception("workspace/applyEdit failed")
            applied = False
        flight.answered = True
        if self.inflight is not flight or self.closed:
            return  # a didChange already settled it
        loop = asyncio.get_running_loop()
        if applied:
            flight.timer = loop.call_later(CONFIRM_SECONDS, self._trust, flight)
        else:
            flight.timer = loop.call_later(RETRY_SECONDS, self._retry, flight)

    def _trust(self, flight: Inflight) -> None:
        """No didChange followed an applied edit: believe the editor."""
        if self.inflight is flight:
            log.warning("edit %s trusted without a didChange", flight.serial)
            self.inflight, self.version = None, None
            self._set_mirror(flight.expect)
            self._pump()

    def _retry(self, flight: Inflight) -> None:
        """Rejected and no didChange explained why: send it again."""
        if self.inflight is flight:
            self.inflight = None
            self._retries += 1
            self._send_edit(flight.changes)

    # ---- from the editor -------------------------------------------------
    def local_change(
        self,
        changes: Sequence[types.TextDocumentContentChangeEvent],
        new_text: str,
        version: int | None,
    ) -> None:
        """The editor's ``didChange``; ``new_text`` is the text after it."""
        steps, texts, running, hints = [], [], self.mirror, self._hints
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                index = (
                    self.index if running is self.mirror else TextIndex(running, hints)
                )
                start, end = (
                    index.offset(change.range.start),
                    index.offset(change.range.end),
                )
                step = Change(start, max(start, end), change.text)
            else:  # whole text (Neovim with allow_incremental_sync = false)
                found = diff(running, change.text)
                step = found[0] if found else Change(0, 0, "")
            hints = [hint for hint in hints if hint[1] <= step.start]
            steps.append(step)
            if len(steps) == len(changes):  # pygls made the last one: check length
                size = len(running) - (step.end - step.start) + len(step.text)
                running = new_text if size == len(new_text) else step.apply(running)
            else:
                running = step.apply(running)
            texts.append(running)
        if running is not new_text and running != new_text:
            log.warning("didChange replay mismatch; using a diff")  # trust pygls
            steps, texts = diff(self.mirror, new_text), [new_text]
        if not any(step.text or step.end > step.start for step in steps):
            return  # Neovim 0.7 sometimes reports nothing: it tells us nothing
        if self.is_read_only():
            self._revert(new_text, version)
            return
        flight = self.inflight
        if flight is None:
            self._to_y(steps)
            if len(steps) == 1:
                self._set_mirror(new_text, steps[0])
        else:
            if flight.timer is not None:
                flight.timer.cancel()
            self.inflight = None
            echo = find_echo(flight, self.mirror, steps, texts)
            part = None if echo else find_partial(flight, self.mirror, new_text)
            if part is not None:
                self._part_landed(flight, part[0], new_text, version)
                return
            if echo is None and flight.unversioned and not flight.answered:
                self._typed_first(flight, steps, new_text, version)
                return
            if echo is None:
                a, b = norm(flight.expect), norm(texts[-1] if texts else "")
                at = common_prefix(a, b)
                log.info(
                    "edit %s dropped at version %s: %s; expect %r, got %r",
                    flight.serial,
                    version,
                    steps,
                    a[at - 20 : at + 20],
                    b[at - 20 : at + 20],
                )
                owed, _ = self._rebase(flight, steps)
                self._set_mirror(new_text)
                self.version = version
                self._send_edit(owed)
            else:
                before, at, landed = echo
                self._retries = 0
                if before:  # typed before our edit landed (Neovim's check missed it)
                    log.info("edit %s landed after %d steps", flight.serial, before)
                    self._set_mirror(self._rebase(flight, steps[:before])[1])
                else:
                    self._set_mirror(flight.expect)
                self._to_y(diff(self.mirror, landed) + steps[at:])
        self._set_mirror(new_text)
        self.version = version
        self._pump()

    def _typed_first(
        self,
        flight: Inflight,
        steps: list[Change],
        new_text: str,
        version: int | None,
    ) -> None:
        """Typing reported before the editor saw ``flight``, sent without a
        version: it is not dropped but made later at its positions, over the
        typing. The typing goes into the Y.Text and the flight waits on."""
        owed, y_text = self._rebase(flight, steps)
        log.info("edit %s not seen yet; typing first: %s", flight.serial, steps)
        flight.changes, flight.base, flight._expect = owed, new_text, y_text
        flight.moved = True
        self._set_mirror(new_text)
        self.version = version
        self.inflight = flight

    def _part_landed(
        self, flight: Inflight, rest: list[int], new_text: str, version: int | None
    ) -> None:
        """The editor made part of ``flight`` (reported) and the changes at
        ``rest`` (to be reported next): they stay in flight, on the new text,
        and the Y.Text takes the editor's line endings in the part made."""
        changes = [flight.changes[i] for i in rest]
        edits = [flight.edits[i] for i in rest]
        target = apply_all(new_text, changes)
        if target != flight.expect:
            self._set_mirror(flight.expect)  # the Y.Text's text, for _to_y
            self._to_y(diff(self.mirror, target))
        self._set_mirror(new_text)
        self.version = version
        log.info("edit %s reported in part; %d to come", flight.serial, len(rest))
        rest_flight = self.inflight = Inflight(flight.serial, changes, new_text, edits)
        rest_flight.timer = asyncio.get_running_loop().call_later(
            CONFIRM_SECONDS, self._trust, rest_flight
        )

    def _revert(self, new_text: str, version: int | None) -> None:
        """A viewer's editor changed: the room keeps its text, so the editor
        is sent minimal edits back to it (what was in flight or held is in
        that text too)."""
        flight, self.inflight = self.inflight, None
        if flight is not None and flight.timer is not None:
            flight.timer.cancel()
        self._set_mirror(new_text)
        self.version = version
        if self._buffer:
            held, self._buffer = self._buffer, []
            with self.doc.transaction(origin=REMOTE):
                self.doc.apply_update(
                    held[0] if len(held) == 1 else merge_updates(*held)
                )
        target = str(self.text)
        if norm(target) == norm(self.mirror):
            return  # our edit landed (line endings as the editor keeps them)
        self._send_edit(hunks(self.mirror, target))
        if self.on_reverted is not None:
            self.on_reverted()

    def _to_y(self, steps: list[Change]) -> None:
        """Make sequential ``steps`` (on the mirror) in the Y.Text, as one update."""
        running = self.mirror
        with self._local():
            for at, step in enumerate(steps, 1):
                index = self.index if running is self.mirror else TextIndex(running)
                start, end = index.to_utf8(step.start), index.to_utf8(step.end)
                if end > start:
                    del self.text[start:end]
                if step.text:
                    self.text.insert(start, step.text)
                if at < len(steps):
                    running = step.apply(running)
        if self.on_local is not None and steps:
            self.on_local(steps[-1].start + len(steps[-1].text))

    def _rebase(
        self, flight: Inflight, steps: list[Change]
    ) -> tuple[list[Change], str]:
        """Make the user's ``steps`` (on the mirror, without ``flight``) in the
        Y.Text, which has ``flight``; return what the editor still lacks, and
        the Y.Text's text."""
        owed, y_text = flight.changes, flight.expect
        with self._local():
            for step in steps:
                moved = through(step, owed)
                index = TextIndex(y_text)
                start, end = index.to_utf8(moved.start), index.to_utf8(moved.end)
                if end > start:
                    del self.text[start:end]
                if moved.text:
                    self.text.insert(start, moved.text)
                y_text = moved.apply(y_text)
                owed = rebase(owed, step)
        editor_text = self.mirror
        for step in steps:
            editor_text = step.apply(editor_text)
        if apply_all(editor_text, owed) != y_text:
            owed = diff(editor_text, y_text)  # overlapping edits: be exact
        return owed, y_text


def _remember(
    hints: list[tuple[int, int]], hint: tuple[int, int]
) -> list[tuple[int, int]]:
    """The most recent line hints, ``hint`` last."""
    return [*(h for h in hints if h != hint), hint][-MAX_HINTS:]


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("edit task failed", exc_info=task.exception())
