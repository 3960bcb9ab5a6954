"""One DevSync server per editor for the whole session, over stdio.

Each test opens its own documents, so sharing the server is safe and keeps
the suite fast (server start-up dominates otherwise). Test modules here set
``pytestmark = SESSION_LOOP`` to run in the loop the clients live in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import PROJECT, SERVER_COMMAND, server_env

EDITORS = ["neovim", "visual-studio-code"]
SESSION_LOOP = pytest.mark.asyncio(loop_scope="session")


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER_COMMAND, server_env=server_env()),
    params=EDITORS,
    scope="session",
)
async def client(
    request: pytest.FixtureRequest, lsp_client: LanguageClient
) -> AsyncIterator[None]:
    """An initialized session with one editor's client capabilities."""
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=PROJECT.as_uri(),
            workspace_folders=[types.WorkspaceFolder(PROJECT.as_uri(), "project")],
        )
    )
    yield
    await lsp_client.shutdown_session()
