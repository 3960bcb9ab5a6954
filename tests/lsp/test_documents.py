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


def test_fast_document_applies_changes_exactly_like_pygls() -> None:
    """Random incremental edits, including ranges past the end, reversed
    ranges, CRLF, form feeds and astral characters, give pygls's text."""
    import random

    from lsp.documents import FastTextDocument

    rng = random.Random(5)
    pieces = ["a", "é", "😋", "\n", "\r\n", "\x0c", " ", "x.y", ""]
    sync = types.TextDocumentSyncKind.Incremental
    for encoding in ("utf-16", "utf-8", "utf-32"):
        codec = PositionCodec(encoding=encoding)
        text = "".join(rng.choice(pieces) for _ in range(60))
        ref = TextDocument("file:///x.py", text, sync_kind=sync, position_codec=codec)
        fast = FastTextDocument(
            "file:///x.py", text, sync_kind=sync, position_codec=codec
        )
        for _ in range(400):

            def pos(n: int = len(ref.lines) + 2) -> types.Position:
                return types.Position(rng.randrange(n), rng.randrange(8))

            start, end = pos(), pos()
            if rng.random() < 0.8 and (end.line, end.character) < (
                start.line,
                start.character,
            ):
                start, end = end, start
            change = types.TextDocumentContentChangePartial(
                range=types.Range(start, end),
                text="".join(rng.choice(pieces) for _ in range(rng.randrange(4))),
            )
            ref.apply_change(change)
            fast.apply_change(change)
            assert fast.source == ref.source, (encoding, change)
            assert tuple(fast.lines) == tuple(ref.lines)


def test_workspace_creates_fast_documents() -> None:
    from pygls.workspace import Workspace

    from lsp.documents import FastTextDocument, use_fast_documents

    workspace = Workspace(None, types.TextDocumentSyncKind.Incremental)
    use_fast_documents(workspace)
    workspace.put_text_document(
        types.TextDocumentItem(
            uri="file:///a.py", language_id="python", version=1, text="a\n"
        )
    )
    doc = workspace.get_text_document("file:///a.py")
    assert isinstance(doc, FastTextDocument)
    workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri="file:///a.py", version=2),
        types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(0, 1), types.Position(0, 1)), text="b"
        ),
    )
    assert doc.source == "ab\n"
