"""End to end: textDocument/completion and completionItem/resolve."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import open_doc, pos
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP

SOURCE = "from pkg.shapes import Circle\n\nc = Circle(1.0)\nc.\n"


async def test_attribute_completion(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=types.Position(line=3, character=2),
        )
    )
    assert isinstance(result, types.CompletionList)
    labels = [item.label for item in result.items]
    assert "area" in labels
    assert "scaled" in labels
    item = next(i for i in result.items if i.label == "area")
    assert item.kind == types.CompletionItemKind.Function

    resolved = await client.completion_item_resolve_async(item)
    assert resolved.detail
    assert resolved.documentation is not None


async def test_completion_after_edit_sees_unsaved_text(client: LanguageClient) -> None:
    uri = open_doc(client, "x = 1\n")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(1, 0), types.Position(1, 0)),
                    text="import pkg.shapes\npkg.shapes.make",
                )
            ],
        )
    )
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=pos("x = 1\nimport pkg.shapes\npkg.shapes.make", "make", 4),
        )
    )
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    assert [i.label for i in items] == ["make_circle"]
