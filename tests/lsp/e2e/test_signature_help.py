"""End to end: textDocument/signatureHelp."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc, pos
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP

SOURCE = "from pkg.shapes import Circle\n\nCircle(1.0).scaled(2, \n"


async def test_signature_with_active_parameter(client: LanguageClient) -> None:
    uri = open_doc(client, SOURCE)
    help_ = await client.text_document_signature_help_async(
        types.SignatureHelpParams(
            text_document=doc_id(uri), position=pos(SOURCE, "2, ", 3)
        )
    )
    assert help_ is not None
    sig = help_.signatures[0]
    assert sig.label.startswith("scaled(")
    assert help_.active_parameter == 1
    assert sig.parameters is not None
    label = sig.parameters[1].label
    assert isinstance(label, tuple)
    assert sig.label[label[0] : label[1]] == "keep: bool=False"
