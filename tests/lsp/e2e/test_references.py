"""End to end: textDocument/references and textDocument/documentHighlight."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP

SOURCE = "value = 1\nprint(value)\nvalue += 2\n"


async def test_references_with_and_without_declaration(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=types.Position(1, 7),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    assert sorted(r.range.start.line for r in refs) == [0, 1, 2]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=types.Position(1, 7),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None
    assert 0 not in [r.range.start.line for r in refs]


async def test_highlight_marks_writes_and_reads(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    marks = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(
            text_document=doc_id(uri), position=types.Position(0, 0)
        )
    )
    assert marks is not None
    kinds = {m.range.start.line: m.kind for m in marks}
    assert kinds[0] == types.DocumentHighlightKind.Write
    assert kinds[1] == types.DocumentHighlightKind.Read
