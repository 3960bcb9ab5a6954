"""End to end: initialize with bad options, and what is advertised."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import PROJECT, SERVER_COMMAND, server_env


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER_COMMAND, server_env=server_env())
)
async def bad_options(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A server given nonsense initializationOptions."""
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=PROJECT.as_uri(),
            initialization_options={
                "maxDocumentBytes": "huge",
                "completion": {"maxItems": -1, "snippets": True},
                "noSuchOption": 1,
            },
        )
    )
    lsp_client.init_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_bad_options_fall_back_with_a_message(
    bad_options: LanguageClient,
) -> None:
    await bad_options.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    text = bad_options.messages[0].message
    assert "maxDocumentBytes" in text
    assert "completion.maxItems" in text
    assert "noSuchOption" in text
    result: types.InitializeResult = bad_options.init_result  # type: ignore[attr-defined]
    caps = result.capabilities
    assert caps.completion_provider is not None
    assert caps.completion_provider.resolve_provider
    assert caps.rename_provider == types.RenameOptions(prepare_provider=True)
    assert caps.diagnostic_provider is not None
    # the server still works with the defaults
    hover = await bad_options.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(
                uri=(PROJECT / "pkg" / "shapes.py").as_uri()
            ),
            position=types.Position(0, 0),
        )
    )
    assert hover is None  # not open: nothing to say, and no error


@pytest.mark.parametrize("flag", ["--stdio", "--clientProcessId=42"])
def test_cli_accepts_vscode_arguments(flag: str) -> None:
    from lsp.cli import _parser

    args, unknown = _parser().parse_known_args([flag, "--clientProcessId", "7"])
    assert not unknown
    assert args.clientProcessId in (7, 42)
