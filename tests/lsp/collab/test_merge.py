"""Joining a room: fine-grained hunks, the three-way merge of unsaved edits,
and a viewer's edits undone in the editor."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import Counter
from typing import Any

import pytest
from pycrdt import Doc, Text

from lsp.collab.merge import hunks, merge3
from lsp.collab.positions import apply_all
from lsp.collab.textsync import TextSync
from tests.lsp.collab.fake_editor import FakeEditor

BASE = "".join(f"line {i}\n" for i in range(10))


def test_hunks_keep_separate_edits_separate_and_small() -> None:
    new = BASE.replace("line 1\n", "line one\n").replace("line 8\n", "line 8 !\n")
    found = hunks(BASE, new)
    assert [(c.text, c.end - c.start) for c in found] == [("one", 1), (" !", 0)]
    assert apply_all(BASE, found) == new


@pytest.mark.parametrize("seed", range(30))
def test_hunks_rebuild_the_new_text(seed: int) -> None:
    rng = random.Random(seed)
    lines = BASE.splitlines(keepends=True)
    for _ in range(rng.randrange(1, 6)):
        at = rng.randrange(len(lines))
        choice = rng.random()
        if choice < 0.3:
            del lines[at]
        elif choice < 0.6:
            lines.insert(at, f"new {rng.random()}😀\n")
        else:
            lines[at] = lines[at].replace("line", "ligne")
    new = "".join(lines)
    found = hunks(BASE, new)
    assert apply_all(BASE, found) == new
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_merge_keeps_unsaved_edits_and_the_rooms_changes() -> None:
    local = BASE + "os.pat\n"  # unsaved, at the end
    remote = BASE.replace("line 0\n", "# ada\nline 0\n")  # the room, at the top
    merged = merge3(BASE, local, remote)
    assert merged.text == "# ada\n" + BASE + "os.pat\n"
    assert merged.conflicts == []


def test_merge_of_the_same_edit_on_both_sides_keeps_one() -> None:
    # Left the session and joined again: the room already has the edit.
    local = BASE.replace("line 3\n", "line 3 typed\n")
    assert merge3(BASE, local, local).text == local
    inserted = BASE + "tail\n"
    assert merge3(BASE, inserted, inserted).text == inserted


def test_merge_conflict_keeps_both_versions_and_says_where() -> None:
    local = BASE.replace("line 4\n", "line 4 = mine\n")
    remote = BASE.replace("line 4\n", "line 4 = theirs\n")
    merged = merge3(BASE, local, remote)
    assert "theirs" in merged.text
    assert "mine" in merged.text
    assert "line 4 = theirs\nline 4 = mine\nline 5\n" in merged.text
    assert len(merged.conflicts) == 1
    assert merged.text.count("\n", 0, merged.conflicts[0]) == 5  # mine: line 6


def test_merge_without_local_edits_is_the_room() -> None:
    remote = BASE.replace("line 2\n", "")
    assert merge3(BASE, BASE, remote).text == remote


@pytest.mark.parametrize("seed", range(20))
def test_merge_of_edits_on_different_lines_loses_nothing(seed: int) -> None:
    rng = random.Random(seed)
    rows = list(range(10))
    rng.shuffle(rows)
    mine, theirs = rows[:3], rows[3:6]
    local_lines = BASE.splitlines(keepends=True)
    remote_lines = list(local_lines)
    for row in mine:
        local_lines[row] = local_lines[row].replace("\n", f" <L{row}>\n")
    for row in theirs:
        remote_lines[row] = remote_lines[row].replace("\n", f" <R{row}>😀\n")
    merged = merge3(BASE, "".join(local_lines), "".join(remote_lines))
    for row in mine:
        assert merged.text.count(f"<L{row}>") == 1
    for row in theirs:
        assert merged.text.count(f"<R{row}>") == 1
    assert merged.conflicts == []


class Joining:
    """A room on ``room_text`` and an editor on ``editor_text``, joining."""

    def __init__(
        self, room_text: str, editor_text: str, *, neovim: bool = False
    ) -> None:
        self.remote: Doc[Any] = Doc()
        self.rtext = self.remote.get("content", type=Text)
        self.rtext += room_text
        self.doc: Doc[Any] = Doc()
        self.doc.apply_update(self.remote.get_update())
        self.ytext = self.doc.get("content", type=Text)
        self.sent: list[bytes] = []
        self.to_local: list[bytes] = []
        self.remote.observe(lambda e: self.to_local.append(e.update))
        self.editor = FakeEditor(editor_text, neovim=neovim)
        self.sync = TextSync(
            self.doc, self.ytext, editor_text, 1, self.editor, self.sent.append
        )
        self.editor.sync = self.sync

    async def settle(self) -> None:
        for _ in range(20):
            await asyncio.sleep(0)
            self.editor.flush()
            for update in self.sent:
                self.remote.apply_update(update)
            self.sent.clear()
            self.to_local.clear()

    def remote_insert(self, at: int, text: str) -> None:
        self.rtext.insert(len(str(self.rtext)[:at].encode()), text)
        ups, self.to_local[:] = list(self.to_local), []
        for update in ups:
            self.sync.remote_update(update)


@pytest.mark.parametrize("neovim", [False, True])
async def test_unsaved_edits_reach_the_room_and_the_rooms_text_the_editor(
    neovim: bool,
) -> None:
    room = BASE.replace("line 0\n", "# ada was here\nline 0\n")
    local = BASE.replace("line 9\n", "line 9\nos.pat\n")  # unsaved
    join = Joining(room, local, neovim=neovim)
    assert join.sync.start(room, base=BASE) == []
    await join.settle()
    want = "# ada was here\n" + BASE + "os.pat\n"
    assert join.editor.text == str(join.ytext) == str(join.rtext) == want
    # Only the missing line went to the editor, not the whole text.
    assert join.sync.mirror == want


async def test_without_a_file_on_disk_the_room_wins() -> None:
    join = Joining(BASE, "something else\n")
    join.sync.start(BASE, base=None)
    await join.settle()
    assert join.editor.text == str(join.rtext) == BASE


async def test_an_empty_room_is_seeded_from_the_buffer() -> None:
    join = Joining("", BASE + "unsaved\n")
    join.sync.start("", base=BASE)
    await join.settle()
    assert str(join.rtext) == join.editor.text == BASE + "unsaved\n"


async def test_conflicting_lines_are_reported_and_nothing_is_lost() -> None:
    room = BASE.replace("line 5\n", "line 5 theirs\n")
    local = BASE.replace("line 5\n", "line 5 mine\n")
    join = Joining(room, local)
    assert join.sync.start(room, base=BASE) == [6]
    await join.settle()
    assert join.editor.text == str(join.rtext)
    assert "theirs" in join.editor.text
    assert "mine" in join.editor.text


@pytest.mark.parametrize("neovim", [False, True])
async def test_a_viewers_typing_is_undone_and_never_sent(neovim: bool) -> None:
    join = Joining(BASE, BASE + "unsaved\n", neovim=neovim)
    join.sync.is_read_only = lambda: True
    reverted: list[int] = []
    join.sync.on_reverted = lambda: reverted.append(1)
    join.sync.start(BASE, base=BASE)  # a viewer's unsaved edits stay out
    await join.settle()
    assert join.editor.text == BASE
    for word in ("x", "yz"):
        join.editor.type(0, word)
        join.editor.flush()
        await asyncio.sleep(0)
    join.remote_insert(len(BASE), "# from ada\n")
    join.editor.type(3, "!")  # typed while the remote edit is in flight
    await join.settle()
    await asyncio.sleep(0.3)  # a rejected edit is retried
    await join.settle()
    assert join.editor.text == str(join.rtext) == BASE + "# from ada\n"
    assert join.sent == []
    assert reverted
    assert join.sync.inflight is None


@pytest.mark.parametrize("seed", range(8))
async def test_random_unsaved_edits_and_room_edits_all_survive(seed: int) -> None:
    rng = random.Random(seed)
    lines = BASE.splitlines(keepends=True)
    local_lines, room_lines = list(lines), list(lines)
    tokens = []
    for row in range(10):
        side = rng.random()
        if side < 0.3:
            local_lines[row] = f"<L{row}>" + local_lines[row]
            tokens.append(f"<L{row}>")
        elif side < 0.6:
            room_lines[row] = room_lines[row] + f"<R{row}é>\n"
            tokens.append(f"<R{row}é>")
    room, local = "".join(room_lines), "".join(local_lines)
    join = Joining(room, local, neovim=bool(seed % 2))
    join.sync.start(room, base=BASE)
    await join.settle()
    assert join.editor.text == str(join.rtext) == str(join.ytext)
    for token in tokens:
        assert join.editor.text.count(token) == 1, token
    assert Counter(join.editor.text) == Counter(
        BASE + "".join(tokens) + "\n" * sum(t.startswith("<R") for t in tokens)
    )
