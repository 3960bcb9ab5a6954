"""Fixtures: a DevSync server over stdio, driven as Neovim and as VS Code."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
PROJECT = Path(__file__).parent / "project"
EDITORS = ["neovim", "visual-studio-code"]


def server_env() -> dict[str, str]:
    """The test environment, with the repository importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "lsp"], server_env=server_env()
)


@pytest_lsp.fixture(config=SERVER, params=EDITORS)
async def client(
    request: pytest.FixtureRequest, lsp_client: LanguageClient
) -> AsyncIterator[None]:
    """An initialized session, once per editor's client capabilities."""
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=PROJECT.as_uri(),
            workspace_folders=[types.WorkspaceFolder(PROJECT.as_uri(), "project")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def open_doc(
    client: LanguageClient, text: str, name: str = "scratch.py", version: int = 1
) -> str:
    """Open ``text`` as an (unsaved) document in the project; return its URI."""
    uri = (PROJECT / name).as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )
    return uri


def pos(text: str, marker: str, offset: int = 0) -> types.Position:
    """Position of ``marker`` (plus ``offset`` characters) in ``text``."""
    index = text.index(marker) + offset
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return types.Position(line=line, character=column)
