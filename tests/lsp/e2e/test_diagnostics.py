"""End to end: diagnostics, pushed (Neovim) or pulled (VS Code)."""

from __future__ import annotations

import asyncio

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import change, doc_id, open_doc
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP


async def diagnostics_for(client: LanguageClient, uri: str, needle: str) -> list[str]:
    """Messages for uri once one contains needle, by pull or push."""
    caps = client.capabilities
    pulls = caps is not None and caps.text_document is not None
    pulls = pulls and caps.text_document.diagnostic is not None  # type: ignore[union-attr]
    for _ in range(100):
        if pulls:
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=doc_id(uri))
            )
            items = getattr(report, "items", [])
        else:
            items = list(client.diagnostics.get(uri, []))
        messages = [d.message for d in items]
        if any(needle in m for m in messages):
            return messages
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostic naming {needle!r}")


async def test_undefined_name_after_change(client: LanguageClient) -> None:
    uri = open_doc(client, "import os\n")
    messages = await diagnostics_for(client, uri, "imported but unused")
    assert len([m for m in messages if "imported but unused" in m]) == 1  # deduped
    change(client, uri, 2, "import os\nprint(os.sep, missing_name)\n")
    messages = await diagnostics_for(client, uri, "missing_name")
    assert not any("imported but unused" in m for m in messages)


async def test_syntax_error(client: LanguageClient) -> None:
    uri = open_doc(client, "def broken(:\n    pass\n")
    messages = await diagnostics_for(client, uri, "SyntaxError")
    assert messages


async def test_non_python_documents_are_ignored(client: LanguageClient) -> None:
    uri = "file:///tmp/notes.txt"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="plaintext", version=1, text="undefined_name\n"
            )
        )
    )
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=types.Position(0, 2))
    )
    assert hover is None
    assert not client.diagnostics.get(uri)
