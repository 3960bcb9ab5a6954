"""End to end: workspace/symbol."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP


async def test_finds_project_symbols(client: LanguageClient) -> None:
    result = await client.workspace_symbol_async(
        types.WorkspaceSymbolParams(query="make_circ")
    )
    assert result is not None
    names = {s.name for s in result}
    assert "make_circle" in names
    empty = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))
    assert empty == []
