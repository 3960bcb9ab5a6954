"""End to end over stdio with pytest-lsp: a real DevSync server process
talking to the fake provider over HTTP. Inline completion (VS Code with
inline support), the completion-item fallback (Neovim), code actions with
progress, stats, no-model and provider-failure behaviour."""

from __future__ import annotations

import ast
import asyncio
import os
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.fakes.ai_provider import FakeProvider
from tests.lsp.conftest import PROJECT, doc_id, open_doc

pytestmark = pytest.mark.e2e
FAKE = FakeProvider()


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("DEVSYNC_AI_")}
    root = str(PROJECT.parents[2])
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [root, out.get("PYTHONPATH")]))
    return out


CONFIG = ClientServerConfig(
    server_command=[sys.executable, "-m", "lsp"], server_env=env()
)


@pytest.fixture(scope="module", autouse=True)
def fake_server(litellm_imported: None) -> Iterator[FakeProvider]:
    FAKE.start()
    yield FAKE
    FAKE.stop()


@pytest.fixture(autouse=True)
def fresh_fake() -> None:
    FAKE.reset()
    FAKE.text, FAKE.status, FAKE.delay, FAKE.responder = "return a + b", 200, 0.0, None


def caps(editor: str) -> t.ClientCapabilities:
    if editor == "vscode-inline":
        c = client_capabilities("visual-studio-code")
        assert c.text_document is not None
        c.text_document.inline_completion = t.InlineCompletionClientCapabilities()
        return c
    return client_capabilities(editor)


async def start(client: LanguageClient, editor: str, ai: dict[str, Any]) -> None:
    applied: list[t.ApplyWorkspaceEditParams] = []

    @client.feature(t.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: t.ApplyWorkspaceEditParams) -> t.ApplyWorkspaceEditResult:
        applied.append(params)
        return t.ApplyWorkspaceEditResult(applied=True)

    client.applied = applied  # type: ignore[attr-defined]
    client.init_result = await client.initialize_session(  # type: ignore[attr-defined]
        t.InitializeParams(
            capabilities=caps(editor),
            root_uri=PROJECT.as_uri(),
            initialization_options={"ai": ai} if ai else None,
        )
    )


def ai_options(**extra: Any) -> dict[str, Any]:
    return {
        "model": "openai/gpt-4o-mini",
        "apiBase": FAKE.v1,
        "apiKey": "sk-e2e",
        "debounceMs": 0,
        **extra,
    }


@pytest_lsp.fixture(config=CONFIG, params=["vscode-inline"], loop_scope="session")
async def inline_client(
    request: pytest.FixtureRequest, lsp_client: LanguageClient
) -> AsyncIterator[LanguageClient]:
    await start(lsp_client, request.param, ai_options())
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG, params=["neovim"], loop_scope="session")
async def fallback_client(
    request: pytest.FixtureRequest, lsp_client: LanguageClient
) -> AsyncIterator[LanguageClient]:
    await start(lsp_client, request.param, ai_options())
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG, params=["vscode-inline"], loop_scope="session")
async def unconfigured_client(
    request: pytest.FixtureRequest, lsp_client: LanguageClient
) -> AsyncIterator[LanguageClient]:
    await start(lsp_client, request.param, {})
    yield lsp_client
    await lsp_client.shutdown_session()


DOC = "def add(a, b):\n    \n"
AT = t.Position(1, 4)


def as_action(found: t.CodeAction | t.Command) -> t.CodeAction:
    """lsprotocol's client-side converter turns every code action that has a
    ``command`` into a Command (its ``_code_action_hook``), stringifying the
    real command; editors do not. Undo that here."""
    if isinstance(found, t.CodeAction):
        return found
    raw = ast.literal_eval(found.command)
    command = t.Command(raw["title"], raw["command"], arguments=raw.get("arguments"))
    return t.CodeAction(found.title, command=command)


def inline_params(uri: str, position: t.Position) -> t.InlineCompletionParams:
    return t.InlineCompletionParams(
        text_document=doc_id(uri),
        position=position,
        context=t.InlineCompletionContext(
            trigger_kind=t.InlineCompletionTriggerKind.Automatic
        ),
    )


def type_text(
    client: LanguageClient, uri: str, version: int, at: t.Position, text: str
) -> None:
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                t.TextDocumentContentChangePartial(range=t.Range(at, at), text=text)
            ],
        )
    )


async def test_inline_completion_and_typing_through(
    inline_client: LanguageClient,
) -> None:
    client = inline_client
    uri = open_doc(client, DOC, name="ai_inline.py")
    result = await client.text_document_inline_completion_async(inline_params(uri, AT))
    assert isinstance(result, t.InlineCompletionList)
    [item] = result.items
    assert item.insert_text == "return a + b"
    assert item.command is not None
    assert item.command.command == "devsync.ai.accept"
    [req] = FAKE.generations()
    user = req.messages[1]["content"]
    assert "def add(a, b):\n    <CURSOR>\n" in user
    # Type "ret": the rest comes from the cache, the model is not asked again.
    type_text(client, uri, 2, AT, "ret")
    again = await client.text_document_inline_completion_async(
        inline_params(uri, t.Position(1, 7))
    )
    assert isinstance(again, t.InlineCompletionList)
    assert again.items[0].insert_text == "urn a + b"
    assert len(FAKE.generations()) == 1
    # Accepting is counted; stats come back through the command.
    await client.workspace_execute_command_async(
        t.ExecuteCommandParams(
            command="devsync.ai.accept", arguments=item.command.arguments
        )
    )
    stats = await client.workspace_execute_command_async(
        t.ExecuteCommandParams(command="devsync.ai.stats")
    )
    assert stats["shown"] == 1
    assert stats["cache_hits"] == 1
    assert stats["accepted"] == 1
    assert stats["partially_accepted"] == 1
    assert stats["model"] == "openai/gpt-4o-mini"
    assert stats["total_ms"]["p50"] > 0


async def test_inline_capability_advertised(inline_client: LanguageClient) -> None:
    result = inline_client.init_result  # type: ignore[attr-defined]
    assert result.capabilities.inline_completion_provider is not None
    assert "devsync.ai.stats" in result.capabilities.execute_command_provider.commands


async def test_completion_item_fallback(fallback_client: LanguageClient) -> None:
    client = fallback_client
    uri = open_doc(client, "def add(a, b):\n    ret\n", name="ai_fallback.py")
    FAKE.text = "return a + b"
    params = t.CompletionParams(text_document=doc_id(uri), position=t.Position(1, 7))
    # The first answer does not wait for the model: it is marked incomplete,
    # and the suggestion arrives from the cache when the client asks again.
    first = await client.text_document_completion_async(params)
    assert isinstance(first, t.CompletionList)
    assert first.is_incomplete
    assert not [i for i in first.items if i.detail == "DevSync AI"]
    ai: list[t.CompletionItem] = []
    for _ in range(20):  # bounded; each wait outlasts the debounce
        await asyncio.sleep(0.3)
        result = await client.text_document_completion_async(params)
        assert result is not None
        items = result.items if isinstance(result, t.CompletionList) else result
        ai = [i for i in items if i.detail == "DevSync AI"]
        if ai:
            break
    assert len(ai) == 1
    assert isinstance(ai[0].text_edit, t.TextEdit)
    assert ai[0].text_edit.new_text == "return a + b"
    assert ai[0].text_edit.range.start == t.Position(1, 4)


async def test_code_actions_fix_and_docstring(fallback_client: LanguageClient) -> None:
    client = fallback_client
    source = "def add(a, b):\n    return a +\n"
    uri = open_doc(client, source, name="ai_actions.py")
    diag = t.Diagnostic(
        range=t.Range(t.Position(1, 4), t.Position(1, 14)), message="invalid syntax"
    )
    actions = await client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=doc_id(uri),
            range=t.Range(t.Position(0, 0), t.Position(0, 0)),
            context=t.CodeActionContext(diagnostics=[diag]),
        )
    )
    assert actions is not None
    actions = [as_action(a) for a in actions]
    titles = [a.title for a in actions]
    assert "AI: Explain this code" in titles
    assert "AI: Fix 'invalid syntax'" in titles
    assert "AI: Add docstring" in titles
    fix = next(a for a in actions if a.title.startswith("AI: Fix"))
    assert fix.command is not None
    # A fix that does not parse is not applied.
    FAKE.text = "return a +"
    ok = await client.workspace_execute_command_async(
        t.ExecuteCommandParams(
            command=fix.command.command, arguments=fix.command.arguments
        )
    )
    assert ok is False
    assert client.applied == []  # type: ignore[attr-defined]
    # A fix that parses is applied through workspace/applyEdit.
    FAKE.text = "```python\n    return a + b\n```"
    ok = await client.workspace_execute_command_async(
        t.ExecuteCommandParams(
            command=fix.command.command, arguments=fix.command.arguments
        )
    )
    assert ok is True
    [applied] = client.applied  # type: ignore[attr-defined]
    assert applied.edit.changes is not None
    assert applied.edit.changes[uri][0].new_text == "    return a + b\n"
    assert client.progress_reports, "long operations report $/progress"
    # Explain shows the answer and returns it.
    FAKE.text = "It adds a and b."
    explain = next(a for a in actions if a.title == "AI: Explain this code")
    assert explain.command is not None
    said = await client.workspace_execute_command_async(
        t.ExecuteCommandParams(
            command=explain.command.command, arguments=explain.command.arguments
        )
    )
    assert said == "It adds a and b."
    assert "def add(a, b):" in FAKE.requests[-1].messages[1]["content"]
    await asyncio.sleep(0.05)
    assert any(m.message == "It adds a and b." for m in client.messages)
    # Docstring.
    FAKE.text = "Add two numbers."
    doc = next(a for a in actions if a.title == "AI: Add docstring")
    assert doc.command is not None
    ok = await client.workspace_execute_command_async(
        t.ExecuteCommandParams(
            command=doc.command.command, arguments=doc.command.arguments
        )
    )
    assert ok is True
    assert (
        client.applied[-1].edit.changes[uri][0].new_text
        == '    """Add two numbers."""\n'
    )  # type: ignore[attr-defined]


async def test_no_model_says_so_once(unconfigured_client: LanguageClient) -> None:
    client = unconfigured_client
    uri = open_doc(client, DOC, name="ai_none.py")
    for _ in range(3):
        result = await client.text_document_inline_completion_async(
            inline_params(uri, AT)
        )
        assert result is None
    await asyncio.sleep(0.1)
    notes = [m.message for m in client.messages if "AI is not configured" in m.message]
    assert notes == ["AI is not configured: set DEVSYNC_AI_MODEL"]
    assert FAKE.requests == []
    # Everything else still works.
    valid = open_doc(client, "def add(a, b):\n    return a\n", name="ai_none2.py")
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=doc_id(valid))
    )
    assert symbols
    assert symbols[0].name == "add"


async def test_provider_failure_one_message_and_backoff(
    inline_client: LanguageClient,
) -> None:
    client = inline_client
    FAKE.status = 500
    uri = open_doc(client, DOC, name="ai_fail.py")
    for i in range(4):
        type_text(client, uri, i + 2, AT, "x")
        result = await client.text_document_inline_completion_async(
            inline_params(uri, t.Position(1, 5 + i))
        )
        assert result is None
    await asyncio.sleep(0.1)
    failures = [m for m in client.messages if "AI request failed" in m.message]
    assert len(failures) == 1
    assert "sk-e2e" not in failures[0].message
    assert len(FAKE.generations()) == 1
