"""End to end: textDocument/documentSymbol (hierarchical or flat per client)."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP

SOURCE = """import os

LIMIT = 3


class Box:
    size = 1

    def grow(self, by):
        total = self.size + by
        return total


def helper():
    pass
"""


async def test_outline(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    result = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(uri))
    )
    assert result
    first = result[0]
    if isinstance(first, types.DocumentSymbol):
        top = {s.name: s for s in result if isinstance(s, types.DocumentSymbol)}
        assert {"LIMIT", "Box", "helper"} <= set(top)
        children = [c.name for c in top["Box"].children or []]
        assert children == ["size", "grow"]
        assert top["Box"].kind == types.SymbolKind.Class
    else:
        flat = {s.name: s for s in result if isinstance(s, types.SymbolInformation)}
        assert flat["grow"].container_name == "Box"
    names = str(result)
    assert "total" not in names  # locals stay out of the outline
