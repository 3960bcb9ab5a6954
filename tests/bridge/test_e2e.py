"""The same end-to-end LSP assertions over stdio (`python -m lsp`) and through
the bridge (`/lsp/{project}` on a real uvicorn server), from one test body."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

from tests.bridge.conftest import LSP_PROJECT, StartServer, connect_lsp
from tests.lsp.conftest import pos, server_env


@dataclass
class Session:
    client: LanguageClient
    uri: Callable[[str], str]  # project-relative path -> the URI this client uses
    transport: str


@pytest.fixture(params=["stdio", "bridge"])
async def session(
    request: pytest.FixtureRequest, tmp_path: Path, start_server: StartServer
) -> AsyncIterator[Session]:
    if request.param == "stdio":
        root = tmp_path / "project"
        shutil.copytree(LSP_PROJECT, root)
        client = make_test_lsp_client()
        await client.start_io(
            sys.executable, "-m", "lsp", env=server_env(), start_new_session=True
        )
        root_uri = root.as_uri()
        closer = None
        uri: Callable[[str], str] = lambda rel: (root / rel).as_uri()  # noqa: E731
    else:
        live = await start_server()
        owner = await live.user("olivia")
        pid = await live.project(owner)
        ws = await connect_lsp(live.ws_url(pid, owner.token))
        client, closer, root_uri = ws.client, ws.close, "devsync:///"
        uri = lambda rel: f"devsync:///{rel}"  # noqa: E731
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root_uri,
            workspace_folders=[types.WorkspaceFolder(root_uri, "project")],
        )
    )
    yield Session(client, uri, request.param)
    await client.shutdown_async(None)
    client.exit(None)
    if closer is not None:
        await closer()
    elif client._server is not None:
        # How `devsync lsp` exits is tests/lsp's subject; never hang here.
        try:
            await asyncio.wait_for(client._server.wait(), 10)
        except TimeoutError:  # its helper processes too (they share its stdout)
            os.killpg(client._server.pid, signal.SIGKILL)
            await client._server.wait()
    await client.stop()


def open_doc(session: Session, rel: str, text: str) -> str:
    uri = session.uri(rel)
    session.client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, text))
    )
    return uri


COMPLETE = "from pkg.shapes import Circle\n\nc = Circle(1.0)\nc.\n"
MAIN = (LSP_PROJECT / "main.py").read_text()


async def test_completion(session: Session) -> None:
    uri = open_doc(session, "scratch.py", COMPLETE)
    result = await session.client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(3, 2))
    )
    assert isinstance(result, types.CompletionList)
    labels = [item.label for item in result.items]
    assert "area" in labels
    assert "scaled" in labels
    item = next(i for i in result.items if i.label == "area")
    resolved = await session.client.completion_item_resolve_async(item)
    assert resolved.documentation is not None


async def test_hover(session: Session) -> None:
    uri = open_doc(session, "main.py", MAIN)
    hover = await session.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), pos(MAIN, "make_circle(2"))
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert "Build a circle" in hover.contents.value


async def test_definition_in_project(session: Session) -> None:
    uri = open_doc(session, "main.py", MAIN)
    result = await session.client.text_document_definition_async(
        types.DefinitionParams(
            types.TextDocumentIdentifier(uri), pos(MAIN, "make_circle(2")
        )
    )
    assert isinstance(result, list)
    assert result
    first = result[0]
    target = first.target_uri if isinstance(first, types.LocationLink) else first.uri
    assert target == session.uri("pkg/shapes.py")


async def test_diagnostics_pushed_after_edit(session: Session) -> None:
    uri = open_doc(session, "scratch.py", "x = 1\n")
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [
                types.TextDocumentContentChangeWholeDocument(
                    text="x = 1\nprint(undefined_name)\n"
                )
            ],
        )
    )

    async def named() -> None:
        while not any(
            "undefined_name" in d.message
            for d in session.client.diagnostics.get(uri, [])
        ):
            await session.client.wait_for_notification(
                "textDocument/publishDiagnostics"
            )

    await asyncio.wait_for(named(), 10)
    pulled = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
    )
    assert isinstance(pulled, types.RelatedFullDocumentDiagnosticReport)
    assert any("undefined_name" in d.message for d in pulled.items)
