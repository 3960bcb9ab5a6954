"""lsp.documents.Snapshot: UTF-16 <-> code points, clamping, line cache."""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from lsp.documents import Snapshot, SnapshotCache


def snap(text: str) -> Snapshot:
    doc = TextDocument("file:///x.py", text, version=1, position_codec=PositionCodec())
    return SnapshotCache().get(doc, "/x.py")


def test_utf16_round_trip() -> None:
    s = snap("a = '😋'; b\n")
    # 😋 is two UTF-16 units: client column 9 -> code point column 8
    assert s.to_jedi(types.Position(0, 9)) == (1, 8)
    assert s.position(1, 8) == types.Position(0, 9)


def test_positions_past_the_end_are_clamped() -> None:
    s = snap("ab\ncd\n")
    assert s.to_jedi(types.Position(99, 99)) == (2, 2)
    assert s.to_jedi(types.Position(0, 99)) == (1, 2)


def test_cache_reuses_lines_for_the_same_version() -> None:
    cache = SnapshotCache()
    doc = TextDocument("file:///x.py", "x\n", version=1)
    first = cache.get(doc, None)
    assert cache.get(doc, None) is first
    doc.apply_change(types.TextDocumentContentChangeWholeDocument(text="y\n"))
    doc.version = 2
    assert cache.get(doc, None) is not first
