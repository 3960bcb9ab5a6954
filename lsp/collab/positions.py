"""Offsets in one text: LSP positions (line, UTF-16 unit) <-> code points <-> UTF-8.

Editors speak UTF-16 columns, Python strings index code points and pycrdt
indexes a Y.Text by UTF-8 byte. ``TextIndex`` converts between the three;
ASCII text (checked in O(1) by ``str.isascii``) takes the shortcuts.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from lsprotocol import types


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
    """Make non-overlapping ``changes`` (all relative to ``source``) at once."""
    for change in sorted(changes, key=lambda c: c.start, reverse=True):
        source = change.apply(source)
    return source


class TextIndex:
    """Line starts of one text, computed once, for position conversions."""

    __slots__ = ("_starts", "_utf8", "ascii", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        self._starts: list[int] | None = None
        self._utf8: bytes | None = None

    @property
    def starts(self) -> list[int]:
        """Code-point offset of the first character of each line."""
        if self._starts is None:
            lengths = map(len, self.text.split("\n"))
            starts = list(accumulate(lengths, lambda acc, n: acc + n + 1, initial=0))
            starts.pop()  # one past the end of the text
            self._starts = starts
        return self._starts

    def _line(self, line: int) -> tuple[int, str]:
        starts = self.starts
        start = starts[line]
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(self.text)
        text = self.text[start:end]
        return start, text[:-1] if text.endswith("\r") else text

    def offset(self, position: types.Position) -> int:
        """Code-point offset of an LSP position, clamped to the text."""
        if position.line < 0:
            return 0
        if position.line >= len(self.starts):
            return len(self.text)
        start, line = self._line(position.line)
        units = max(position.character, 0)
        if self.ascii or line.isascii():
            return start + min(units, len(line))
        head = line.encode("utf-16-le")[: 2 * units]
        return start + len(head.decode("utf-16-le", errors="ignore"))

    def position(self, offset: int) -> types.Position:
        """LSP position of a code-point offset."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
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
        return len(self.text[:offset].encode())

    def from_utf8(self, offset: int) -> int:
        """Code-point offset of a UTF-8 byte offset."""
        if self.ascii:
            return offset
        if self._utf8 is None:
            self._utf8 = self.text.encode()
        return len(self._utf8[:offset].decode(errors="ignore"))

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


def diff(old: str, new: str) -> list[Change]:
    """One replacement turning ``old`` into ``new`` (empty when equal)."""
    if old == new:
        return []
    start = common_prefix(old, new)
    limit = min(len(old), len(new)) - start
    end = common_prefix(old[::-1][:limit], new[::-1][:limit]) if limit else 0
    return [Change(start, len(old) - end, new[start : len(new) - end])]
