"""End to end: textDocument/formatting and rangeFormatting (ruff)."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP


async def test_format_document(client: LanguageClient) -> None:
    uri = open_doc(client, "x   =  [1,2]\n")
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc_id(uri),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits is not None
    assert edits[0].new_text == "x = [1, 2]\n"


async def test_format_range_leaves_the_rest(client: LanguageClient) -> None:
    uri = open_doc(client, "a   =  1\nb   =  2\n")
    edits = await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(
            text_document=doc_id(uri),
            range=types.Range(types.Position(1, 0), types.Position(1, 8)),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits is not None
    assert edits[0].new_text == "a   =  1\nb = 2\n"


async def test_already_formatted_gives_no_edits(client: LanguageClient) -> None:
    uri = open_doc(client, "x = 1\n")
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc_id(uri),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert not edits
