"""End to end: textDocument/codeAction (organise imports with ruff)."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc
from tests.lsp.e2e.conftest import SESSION_LOOP

pytestmark = SESSION_LOOP


async def test_organize_imports(client: LanguageClient) -> None:
    uri = open_doc(client, "import sys\nimport os\n\nprint(os, sys)\n")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(
                diagnostics=[], only=[types.CodeActionKind.Source]
            ),
        )
    )
    assert actions
    action = actions[0]
    assert isinstance(action, types.CodeAction)
    assert action.kind == types.CodeActionKind.SourceOrganizeImports
    assert action.edit is not None
    assert action.edit.changes is not None
    new = action.edit.changes[uri][0].new_text
    assert new.startswith("import os\nimport sys\n")


async def test_no_action_when_sorted(client: LanguageClient) -> None:
    uri = open_doc(client, "import os\n\nprint(os)\n")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not actions
