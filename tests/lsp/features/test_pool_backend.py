"""A server attached to an analysis pool answers jedi requests from a worker
process (`lsp.worker.run_jedi`), with the same results and the same
"never answer for an older version" rule as the jedi thread."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import cast

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified

from lsp import linters, worker
from lsp.analysis import AnalysisPool
from lsp.features.completion import JediCompletion
from lsp.features.navigation import JediNavigation
from lsp.features.rename import JediRename
from lsp.server import DevSyncServer, create_server
from tests.lsp.features.conftest import Open, completion_at, feature, ident


@pytest.fixture
def pool() -> Iterator[AnalysisPool]:
    p = AnalysisPool(2)
    yield p
    p.close()


@pytest.fixture
def attached(server: DevSyncServer, pool: AnalysisPool) -> Iterator[DevSyncServer]:
    worker.attach(server.ctx, pool)
    yield server
    worker.detach(server.ctx)


async def test_completion_and_resolve_come_from_the_worker(
    attached: DevSyncServer, open_text: Open, pool: AnalysisPool
) -> None:
    uri = open_text("import os\nos.getc\n")
    completer = cast(JediCompletion, feature(attached, JediCompletion))
    result = await completer.completion(
        types.CompletionParams(text_document=ident(uri), position=types.Position(1, 7))
    )
    assert result is not None
    item = next(i for i in result.items if i.label == "getcwd")
    assert len(pool.pids()) == 2  # it went to the pool
    # The main process never built jedi objects for this server.
    assert completer._last == (0, [])
    resolved = await completer.resolve_completion(item)
    assert resolved.detail
    assert resolved.documentation is not None


async def test_navigation_and_rename_run_in_the_worker(
    attached: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("def helper():\n    pass\n\nhelper()\nhelper()\n")
    nav = cast(JediNavigation, feature(attached, JediNavigation))
    found = await nav.definition(
        types.DefinitionParams(text_document=ident(uri), position=types.Position(3, 1))
    )
    assert found is not None
    assert [loc.range.start.line for loc in found] == [0]
    refs = await nav.references(
        types.ReferenceParams(
            text_document=ident(uri),
            position=types.Position(0, 5),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert refs is not None
    assert sorted(loc.range.start.line for loc in refs) == [3, 4]
    rename = cast(JediRename, feature(attached, JediRename))
    edit = await rename.rename(
        types.RenameParams(
            text_document=ident(uri), position=types.Position(3, 1), new_name="aid"
        )
    )
    assert edit is not None
    assert edit.changes is not None
    assert len(edit.changes[uri]) == 3


async def test_an_answer_for_an_older_version_is_dropped(
    attached: DevSyncServer, open_text: Open
) -> None:
    uri = open_text("import os\nos.\n")
    pending = asyncio.ensure_future(completion_at(attached, uri, 1, 3))
    await asyncio.sleep(0)  # sent to the worker
    attached.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        types.TextDocumentContentChangeWholeDocument(text="import os\nos.p\n"),
    )
    with pytest.raises(JsonRpcContentModified):
        await pending
    # The next request sees the new text (the worker got version 2).
    result = await completion_at(attached, uri, 1, 4)
    assert result is not None
    labels = {i.label for i in result.items}
    assert "path" in labels
    assert "getcwd" not in labels


async def test_lint_waits_only_for_its_own_servers_pooled_calls(
    attached: DevSyncServer, open_text: Open
) -> None:
    other = create_server()
    uri = open_text("import os\nos.\n")
    pending = asyncio.ensure_future(completion_at(attached, uri, 1, 3))
    await asyncio.sleep(0)  # sent to the worker, not answered yet
    # The call runs in another process: it does not hold this process's GIL,
    # so only this server's own linting waits for it.
    assert linters.jedi_busy(attached.ctx)
    assert not linters.jedi_busy(other.ctx)
    assert not linters.jedi_busy()
    assert await pending is not None
    assert not linters.jedi_busy(attached.ctx)
