"""Feature logic on pygls documents, without a client or a transport."""

from __future__ import annotations

import asyncio
from typing import cast

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified

from lsp.features.completion import JediCompletion
from lsp.features.rename import JediRename
from lsp.features.symbols import JediSymbols
from lsp.server import DevSyncServer
from tests.lsp.features.conftest import Open, feature


def ident(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_completion_is_cut_and_marked_incomplete(
    server: DevSyncServer, open_text: Open
) -> None:
    server.ctx.options = server.ctx.options.__class__(
        completion=server.ctx.options.completion.__class__(max_items=3)
    )
    uri = open_text("import os\nos.\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    result = await completer.completion(
        types.CompletionParams(text_document=ident(uri), position=types.Position(1, 3))
    )
    assert result is not None
    assert len(result.items) == 3
    assert result.is_incomplete


async def test_resolve_of_a_replaced_list_is_a_no_op(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("import os\nos.\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    params = types.CompletionParams(
        text_document=ident(uri), position=types.Position(1, 3)
    )
    first = await completer.completion(params)
    await completer.completion(params)
    assert first is not None
    item = first.items[0]
    resolved = await completer.resolve_completion(item)
    assert resolved.documentation is None  # the list it came from is gone


async def test_symbols_nest_methods_in_classes(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("class A:\n    def f(self):\n        x = 1\n")
    symbols = cast(JediSymbols, feature(server, JediSymbols))
    tree = await symbols.document_symbols(
        types.DocumentSymbolParams(text_document=ident(uri))
    )
    assert tree is not None
    flat = {s.name: s for s in tree if isinstance(s, types.SymbolInformation)}
    assert list(flat) == ["A", "f"]  # flat: this client lacks hierarchical support
    assert flat["f"].container_name == "A"


async def test_rename_refuses_stdlib_names(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("import os\nos.path\n")
    rename = cast(JediRename, feature(server, JediRename))
    prepared = await rename.prepare(
        types.PrepareRenameParams(
            text_document=ident(uri), position=types.Position(1, 4)
        )
    )
    assert prepared is None


async def test_too_big_documents_get_no_jedi(
    server: DevSyncServer, open_text: Open
) -> None:
    server.ctx.options = server.ctx.options.__class__(max_document_bytes=10)
    uri = open_text("import os\nos.path.join\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    result = await completer.completion(
        types.CompletionParams(text_document=ident(uri), position=types.Position(1, 3))
    )
    assert result is None


async def test_result_for_an_older_version_is_never_sent(
    server: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("import os\nos.\n")
    completer = cast(JediCompletion, feature(server, JediCompletion))
    pending = asyncio.ensure_future(
        completer.completion(
            types.CompletionParams(
                text_document=ident(uri), position=types.Position(1, 3)
            )
        )
    )
    await asyncio.sleep(0)  # the jedi call is under way
    server.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        types.TextDocumentContentChangeWholeDocument(text="import os\nos.p\n"),
    )
    with pytest.raises(JsonRpcContentModified):
        await pending
