"""End to end: textDocument/prepareRename and textDocument/rename."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP

SOURCE = "count = 1\nprint(count)\nlen([])\n"


async def test_prepare_and_rename(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(
            text_document=doc_id(uri), position=types.Position(1, 8)
        )
    )
    assert isinstance(prepared, types.Range)
    assert prepared.start == types.Position(1, 6)
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=doc_id(uri), position=types.Position(1, 8), new_name="total"
        )
    )
    assert edit is not None
    assert edit.changes is not None
    edits = edit.changes[uri]
    assert sorted(e.range.start.line for e in edits) == [0, 1]
    assert {e.new_text for e in edits} == {"total"}


async def test_builtins_cannot_be_renamed(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(
            text_document=doc_id(uri), position=types.Position(2, 1)
        )
    )
    assert prepared is None


async def test_rename_to_keyword_is_invalid(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    with pytest.raises(JsonRpcInvalidParams):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=doc_id(uri),
                position=types.Position(0, 0),
                new_name="class",
            )
        )
