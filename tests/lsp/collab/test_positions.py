"""UTF-16 <-> code point <-> UTF-8 mapping, line hints, diffs and rebasing."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types

from lsp.collab.positions import Change, TextIndex, apply_all, common_prefix, diff
from lsp.collab.rebase import rebase, through

TEXT = "a😀b\r\nße\u0301\n中文x\n\nend"


def test_utf16_columns_of_astral_and_combining_characters() -> None:
    index = TextIndex(TEXT)
    assert index.position(2) == types.Position(0, 3)  # after the emoji: 2 units
    assert index.offset(types.Position(0, 3)) == 2
    assert index.offset(types.Position(0, 2)) == 1  # inside a surrogate pair
    assert index.position(TEXT.index("x")) == types.Position(2, 2)
    assert index.offset(types.Position(1, 99)) == TEXT.index("\n", 6)  # clamped
    assert index.offset(types.Position(0, 99)) == TEXT.index("\r")  # before CRLF
    assert index.offset(types.Position(9, 0)) == len(TEXT)


def test_utf8_offsets_for_pycrdt() -> None:
    index = TextIndex(TEXT)
    for offset in range(len(TEXT) + 1):
        assert index.to_utf8(offset) == len(TEXT[:offset].encode())
        assert index.from_utf8(index.to_utf8(offset)) == offset
        assert index.from_utf16(index.utf16(offset)) == offset


@given(st.text(alphabet="ab\n😀é\r", max_size=60), st.data())
def test_hints_give_the_same_answers_as_the_line_table(
    text: str, data: st.DataObject
) -> None:
    plain = TextIndex(text)
    offset = data.draw(st.integers(0, len(text)))
    hint = plain.line_of(data.draw(st.integers(0, len(text))))
    hinted = TextIndex(text, [hint])
    assert hinted.position(offset) == plain.position(offset)
    position = plain.position(offset)
    assert hinted.offset(position) == plain.offset(position)
    lines = len(plain.starts)
    for line in range(lines + 1):
        assert hinted.line_start(line) == (plain.starts[line] if line < lines else None)


@given(st.text(max_size=300), st.text(max_size=300))
def test_diff_turns_one_text_into_the_other(old: str, new: str) -> None:
    assert apply_all(old, diff(old, new)) == new
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    assert common_prefix(old, new) == same


def test_diff_is_minimal_on_a_large_text() -> None:
    old = "x" * 40_000 + "z" * 60_000
    new = old[:40_000] + "y" + old[40_000:]
    assert diff(old, new) == [Change(40_000, 40_000, "y")]


@pytest.mark.parametrize("seed", range(50))
def test_rebase_keeps_both_sides_edits(seed: int) -> None:
    rng = random.Random(seed)
    base = "".join(rng.choice("abcdef\n") for _ in range(30))
    cut = sorted(rng.sample(range(len(base) + 1), 4))
    owed = [Change(cut[0], cut[0], "<R1>"), Change(cut[2], cut[2], "<R2>")]
    at = rng.randrange(len(base) + 1)
    step = Change(at, at, "<L>")
    y_text = apply_all(base, owed)
    y_after = through(step, owed).apply(y_text)
    editor_after = step.apply(base)
    assert apply_all(editor_after, rebase(owed, step)) == y_after
    assert y_after.count("<L>") == y_after.count("<R1>") == y_after.count("<R2>") == 1


@given(st.text(alphabet="ab\n😀é中", max_size=60), st.data())
def test_anchors_give_the_same_utf8_offsets(text: str, data: st.DataObject) -> None:
    plain = TextIndex(text)
    point = data.draw(st.integers(0, len(text)))
    anchored = TextIndex(text, anchors=[(point, plain.to_utf8(point))])
    for offset in range(len(text) + 1):
        assert anchored.to_utf8(offset) == len(text[:offset].encode())
        assert anchored.from_utf8(anchored.to_utf8(offset)) == offset


def test_apply_all_orders_changes_at_one_offset_as_editors_do() -> None:
    # Issue 8: an insert listed before a delete from the same offset (a Yjs
    # delta "insert ß, delete 2") is base[:5] + "ß" + base[7:], as Neovim and
    # VS Code apply such a pair; making the insert first and then deleting
    # 5:7 would eat the new "ß" and keep a character that was deleted.
    base = "line ab\nline cd\n"
    pair = [Change(5, 5, "ß"), Change(5, 7, "")]
    assert apply_all(base, pair) == "line ß\nline cd\n"
    # inserts at one offset keep their list order (LSP text edit semantics)
    inserts = [Change(5, 5, "x"), Change(5, 5, "y"), Change(0, 0, "<")]
    assert apply_all(base, inserts) == "<line xyab\nline cd\n"
