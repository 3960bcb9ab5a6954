"""Open documents: edits applied cheaply, and immutable per-version snapshots.

pygls's ``TextDocument.lines`` re-splits the whole text on every access
(pygls#538), and it applies an incremental change by writing every line of
the document into a ``StringIO`` (about 5 ms per keystroke on a 7,000-line
file, paid before the completion that follows it). ``FastTextDocument``
splices the text instead and splits it once per version; ``use_fast_documents``
makes a pygls workspace create those. A snapshot is safe to hand to the jedi
thread while the event loop keeps applying edits.
"""

from __future__ import annotations

import types as pytypes
from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument, Workspace


class FastTextDocument(TextDocument):
    """A pygls ``TextDocument`` that applies incremental changes by slicing.

    The result is exactly pygls's, including its handling of ranges past
    the end (``tests/lsp/test_documents.py`` compares them on random edits).
    """

    _lines_of: str | None = None
    _lines: tuple[str, ...] = ()

    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        if source is not self._lines_of:
            self._lines = tuple(source.splitlines(True))
            self._lines_of = source
        return self._lines

    def _apply_incremental_change(
        self, change: types.TextDocumentContentChangePartial
    ) -> None:
        lines = self.lines
        rng = self.position_codec.range_from_client_units(lines, change.range)
        start, end = rng.start, rng.end
        if start.line == len(lines):  # an edit at the very end
            self._source = self.source + change.text
            return
        if start.line > len(lines) or end.line < start.line:
            return  # pygls's loop never reaches the start of such a range
        tail = ""
        if end.line < len(lines):
            tail = lines[end.line][end.character :] + "".join(lines[end.line + 1 :])
        self._source = (
            "".join(lines[: start.line])
            + lines[start.line][: start.character]
            + change.text
            + tail
        )


def use_fast_documents(workspace: Workspace) -> None:
    """Make ``workspace`` (built by pygls at initialize) create FastTextDocuments."""

    def create(
        self: Workspace,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return FastTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )

    workspace._create_text_document = pytypes.MethodType(create, workspace)  # type: ignore[method-assign]


PYTHON_IDS = frozenset({"python", "py", "python3"})


@dataclass(frozen=True)
class Snapshot:
    """One version of one document."""

    uri: str
    version: int | None
    source: str
    lines: Sequence[str]
    path: str | None
    codec: PositionCodec
    language_id: str | None

    @property
    def is_python(self) -> bool:
        """Whether this looks like a Python document worth analysing."""
        if self.language_id:
            return self.language_id.lower() in PYTHON_IDS
        return bool(self.path and self.path.endswith((".py", ".pyi")))

    def to_jedi(self, position: types.Position) -> tuple[int, int]:
        """Client position -> jedi's (1-based line, code-point column), clamped."""
        if not self.lines:
            return 1, 0
        line = min(max(position.line, 0), len(self.lines) - 1)
        text = self.lines[line].rstrip("\r\n")
        wanted = max(position.character, 0)
        units = column = 0
        for char in text:
            if units >= wanted:
                break
            units += self.codec.client_num_units(char)
            column += 1
        return line + 1, column

    def position(self, line: int, column: int) -> types.Position:
        """jedi's (1-based line, code-point column) -> client position."""
        index = line - 1
        if 0 <= index < len(self.lines):
            text = self.lines[index]
            return types.Position(index, self.codec.client_num_units(text[:column]))
        return types.Position(max(index, 0), column)

    def range(self, line: int, column: int, length: int) -> types.Range:
        """Client range of ``length`` code points from a jedi position."""
        return types.Range(
            self.position(line, column), self.position(line, column + length)
        )

    def end(self) -> types.Position:
        """The client position just past the last character."""
        if not self.lines:
            return types.Position(0, 0)
        last = self.lines[-1]
        if last.endswith("\n"):
            return types.Position(len(self.lines), 0)
        return types.Position(len(self.lines) - 1, self.codec.client_num_units(last))


class SnapshotCache:
    """Per-server cache: one snapshot per open document, rebuilt on new versions."""

    def __init__(self) -> None:
        self._cache: dict[str, Snapshot] = {}

    def get(self, doc: TextDocument, path: str | None) -> Snapshot:
        """Return the snapshot of ``doc``'s current version."""
        cached = self._cache.get(doc.uri)
        source = doc.source
        if (
            cached is not None
            and cached.version == doc.version
            and cached.source is source
        ):
            return cached
        snap = Snapshot(
            uri=doc.uri,
            version=doc.version,
            source=source,
            lines=doc.lines,  # a FastTextDocument's split is cached per version
            path=path,
            codec=doc.position_codec,
            language_id=doc.language_id,
        )
        self._cache[doc.uri] = snap
        return snap

    def drop(self, uri: str) -> None:
        """Forget a closed document."""
        self._cache.pop(uri, None)
