"""An in-process server whose features are called directly on pygls documents."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, cast

import pytest
from lsprotocol import types
from pygls.workspace import Workspace

from lsp.features.base import Feature
from lsp.features.completion import JediCompletion
from lsp.server import DevSyncServer, create_server
from tests.lsp.conftest import PROJECT

Open = Callable[[str], str]


@pytest.fixture
def server() -> DevSyncServer:
    """A fresh server with a workspace at the sample project, no transport."""
    srv = create_server()
    srv.protocol._workspace = Workspace(PROJECT.as_uri())
    srv.ctx.root_path = str(PROJECT)
    return srv


@pytest.fixture
def open_text(server: DevSyncServer) -> Open:
    """Put a document into the server's pygls workspace; return its URI."""
    count = iter(range(1000))

    def put(text: str) -> str:
        uri = (PROJECT / f"unit_{next(count)}.py").as_uri()
        server.workspace.put_text_document(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
        return uri

    return put


def feature(server: DevSyncServer, cls: type[Feature]) -> Feature:
    """The server's instance of a feature class."""
    return next(f for f in server.features if isinstance(f, cls))


def ident(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def completion_at(
    server: DevSyncServer, uri: str, line: int, character: int
) -> Coroutine[Any, Any, types.CompletionList | None]:
    """The server's completion request at a position (a coroutine to await or
    to start with ``asyncio.ensure_future``)."""
    completer = cast(JediCompletion, feature(server, JediCompletion))
    return completer.completion(
        types.CompletionParams(
            text_document=ident(uri), position=types.Position(line, character)
        )
    )
