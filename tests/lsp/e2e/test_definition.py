"""End to end: textDocument/definition, declaration and typeDefinition."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import PROJECT, doc_id, open_doc, pos
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP

SOURCE = "from pkg.shapes import make_circle\n\nc = make_circle(1.0)\nc\n"
SHAPES = (PROJECT / "pkg" / "shapes.py").as_uri()


async def test_definition_follows_imports(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(uri), position=pos(SOURCE, "make_circle(1")
        )
    )
    assert isinstance(result, list)
    assert len(result) == 1
    loc = result[0]
    assert isinstance(loc, types.Location)
    assert loc.uri == SHAPES
    assert loc.range.start.line == 20  # def make_circle


async def test_declaration_stops_at_the_import(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    result = await client.text_document_declaration_async(
        types.DeclarationParams(
            text_document=doc_id(uri), position=pos(SOURCE, "make_circle(1")
        )
    )
    assert isinstance(result, list)
    assert len(result) == 1
    loc = result[0]
    assert isinstance(loc, types.Location)
    assert loc.uri == uri
    assert loc.range.start.line == 0


async def test_type_definition_is_the_class(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    result = await client.text_document_type_definition_async(
        types.TypeDefinitionParams(
            text_document=doc_id(uri), position=types.Position(3, 0)
        )
    )
    assert isinstance(result, list)
    assert len(result) == 1
    loc = result[0]
    assert isinstance(loc, types.Location)
    assert loc.uri == SHAPES
    assert loc.range.start.line == 5
