"""End to end: textDocument/hover."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc, pos
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP

SOURCE = "from pkg.shapes import make_circle\n\nmake_circle(1.0)\n"


async def test_hover_shows_signature_and_docstring(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=doc_id(uri), position=pos(SOURCE, "make_circle(1", 3)
        )
    )
    assert hover is not None
    contents = hover.contents
    assert isinstance(contents, types.MarkupContent)
    assert "make_circle(radius: float)" in contents.value
    assert "Build a circle." in contents.value


async def test_hover_on_nothing_is_null(client: LanguageClient) -> None:
    uri = open_doc(client, "\n\n\n")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=types.Position(1, 0))
    )
    assert hover is None
