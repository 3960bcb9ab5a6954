"""Offsets in one text: LSP positions (line, UTF-16 unit) <-> code points <-> UTF-8.

Editors speak UTF-16 columns, Python strings index code points and pycrdt
indexes a Y.Text by UTF-8 byte. ``TextIndex`` converts between the three;
ASCII text (checked in O(1) by ``str.isascii``) takes the shortcuts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from lsprotocol import types

WALK_LIMIT = 512  # lines to walk from the hint before building the line table


@dataclass(frozen=True, slots=True)
class Change:
    """Replace code points ``start:end`` with ``text``."""

    start: int
    end: int
    text: str

    def apply(self, source: str) -> str:
        """``source`` with this change made."""
        return source[: self.start] + self.text + source[self.end :]


def apply_all(source: str, changes: list[Change]) -> str:
    """Make non-overlapping ``changes`` (all relative to ``source``) at once,
    as editors apply a list of LSP text edits: from the last start to the
    first, and of changes starting at one offset the later one first (so
    inserts there keep their list order, and an insert listed before a
    delete from the same offset stays in front of what is left)."""
    ordered = sorted(enumerate(changes), key=lambda c: (c[1].start, c[0]))
    for _, change in reversed(ordered):
        source = change.apply(source)
    return source


class TextIndex:
    """Position conversions in one text.

    Lines are found by walking with ``str.find`` from the nearest of a few
    ``hints`` (known lines and their start offsets: where people last typed),
    so an edit near one costs microseconds even in a 100,000-character text;
    far from all of them, a table of every line start is built once.
    """

    __slots__ = ("_starts", "anchors", "ascii", "hints", "text")

    def __init__(
        self,
        text: str,
        hints: Sequence[tuple[int, int]] = (),
        anchors: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.text = text
        self.ascii = text.isascii()
        self.hints = [(0, 0), *hints]
        # (code point, UTF-8 byte) pairs known to match: conversions near one
        # encode only the text in between.
        self.anchors = [(0, 0), *anchors]
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """Code-point offset of the first character of each line."""
        if self._starts is None:
            lengths = map((1).__add__, map(len, self.text.split("\n")))
            starts = [0, *accumulate(lengths)]
            starts.pop()  # one past the end of the text
            self._starts = starts
        return self._starts

    def line_start(self, line: int) -> int | None:
        """Offset where ``line`` starts, or None past the last line."""
        near = min(self.hints, key=lambda hint: abs(hint[0] - line))
        if self._starts is not None or abs(line - near[0]) > WALK_LIMIT:
            return self.starts[line] if line < len(self.starts) else None
        (at, pos), text = near, self.text
        while at < line:
            found = text.find("\n", pos)
            if found < 0:
                return None
            at, pos = at + 1, found + 1
        while at > line:
            at, pos = at - 1, text.rfind("\n", 0, pos - 1) + 1
        return pos

    def line_of(self, offset: int) -> tuple[int, int]:
        """The line holding ``offset`` and that line's start offset."""
        text = self.text
        hint_line, hint_start = max(h for h in self.hints if h[1] <= offset)
        line = hint_line + text.count("\n", hint_start, offset)
        return line, text.rfind("\n", 0, offset) + 1

    def offset(self, position: types.Position) -> int:
        """Code-point offset of an LSP position, clamped to the text."""
        if position.line < 0:
            return 0
        start = self.line_start(position.line)
        if start is None:
            return len(self.text)
        end = self.text.find("\n", start)
        line = self.text[start : len(self.text) if end < 0 else end]
        if line.endswith("\r"):
            line = line[:-1]
        units = max(position.character, 0)
        if self.ascii or line.isascii():
            return start + min(units, len(line))
        head = line.encode("utf-16-le")[: 2 * units]
        return start + len(head.decode("utf-16-le", errors="ignore"))

    def position(self, offset: int) -> types.Position:
        """LSP position of a code-point offset."""
        offset = min(max(offset, 0), len(self.text))
        line, start = self.line_of(offset)
        if self.ascii:
            return types.Position(line, offset - start)
        head = self.text[start:offset]
        return types.Position(line, len(head.encode("utf-16-le")) // 2)

    def range(self, start: int, end: int) -> types.Range:
        """LSP range of code points ``start:end``."""
        return types.Range(self.position(start), self.position(end))

    def to_utf8(self, offset: int) -> int:
        """UTF-8 byte offset (pycrdt's Y.Text index) of a code-point offset."""
        if self.ascii:
            return offset
        point, byte = max(a for a in self.anchors if a[0] <= offset)
        return byte + len(self.text[point:offset].encode())

    def from_utf8(self, offset: int) -> int:
        """Code-point offset of a UTF-8 byte offset."""
        if self.ascii:
            return offset
        point, byte = max(
            (a for a in self.anchors if a[1] <= offset), key=lambda a: a[1]
        )
        want = offset - byte  # bytes; never fewer code points than that
        chunk = self.text[point : point + want].encode()[:want]
        return point + len(chunk.decode(errors="ignore"))

    def utf16(self, offset: int) -> int:
        """UTF-16 unit offset (Yjs's index) of a code-point offset."""
        if self.ascii:
            return offset
        return len(self.text[:offset].encode("utf-16-le")) // 2

    def from_utf16(self, units: int) -> int:
        """Code-point offset of a UTF-16 unit offset (Yjs clients' indices)."""
        if self.ascii:
            return min(max(units, 0), len(self.text))
        head = self.text.encode("utf-16-le")[: 2 * max(units, 0)]
        return len(head.decode("utf-16-le", errors="ignore"))


def common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by galloping then bisecting slice compares."""
    limit = min(len(a), len(b))
    low, step = 0, 64
    while low < limit:
        high = min(low + step, limit)
        if a[low:high] != b[low:high]:
            break
        low, step = high, step * 2
    else:
        return limit
    while high - low > 8:  # a[:low] matches; the difference is in low:high
        mid = (low + high) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid
    while low < limit and a[low] == b[low]:
        low += 1
    return low


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix, at most ``limit``, galloping from the end."""
    low, step = 0, 64
    while low < limit:
        high = min(low + step, limit)
        if a[len(a) - high : len(a) - low] != b[len(b) - high : len(b) - low]:
            break
        low, step = high, step * 2
    else:
        return limit
    while high - low > 8:
        mid = (low + high) // 2
        if a[len(a) - mid : len(a) - low] == b[len(b) - mid : len(b) - low]:
            low = mid
        else:
            high = mid
    while low < limit and a[len(a) - 1 - low] == b[len(b) - 1 - low]:
        low += 1
    return low


def diff(old: str, new: str) -> list[Change]:
    """One replacement turning ``old`` into ``new`` (empty when equal)."""
    if old == new:
        return []
    start = common_prefix(old, new)
    end = common_suffix(old, new, min(len(old), len(new)) - start)
    return [Change(start, len(old) - end, new[start : len(new) - end])]
