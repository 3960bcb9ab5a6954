"""The language server joins a session on a real ``devsync serve`` and co-edits.

A pytest-lsp client plays the editor (it applies ``workspace/applyEdit`` to
its buffer and reports each change with ``didChange``, as VS Code does); a
pycrdt client is the other participant.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from lsp.collab.positions import TextIndex
from tests.e2e.collab_harness import Server, eventually
from tests.lsp.conftest import SERVER_COMMAND, server_env

pytestmark = pytest.mark.e2e
TEXT = "def greet(name):\n    return f'hi {name}'\n"


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("serve") / "data").start()
    try:
        probe = httpx.get(f"{srv.http}/openapi.json", timeout=10).json()
        if not any(p.endswith("/sessions/join") for p in probe.get("paths", {})):
            pytest.skip("devsync serve has no sessions API yet")
        for name in ("ada", "bob"):
            srv.user(name)
        yield srv
    finally:
        srv.stop()


class Buffer:
    """The editor side: one document, edited by applyEdit and by 'typing'."""

    def __init__(self, client: LanguageClient, uri: str, text: str) -> None:
        self.client, self.uri, self.text, self.version = client, uri, text, 1
        self.presence: list[Any] = []
        self.messages: list[str] = []

    def open(self) -> None:
        item = types.TextDocumentItem(
            uri=self.uri, language_id="python", version=self.version, text=self.text
        )
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(item))

    def _change(
        self, start: int, end: int, text: str
    ) -> types.TextDocumentContentChangePartial:
        change = types.TextDocumentContentChangePartial(
            TextIndex(self.text).range(start, end), text
        )
        self.text = self.text[:start] + text + self.text[end:]
        self.version += 1
        return change

    def type(self, offset: int, text: str) -> None:
        self._send([self._change(offset, offset, text)])

    def _send(self, changes: list[Any]) -> None:
        ident = types.VersionedTextDocumentIdentifier(
            uri=self.uri, version=self.version
        )
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(ident, changes)
        )

    def apply(
        self, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        edit = params.edit
        doc_edits = edit.document_changes or []
        for doc_edit in doc_edits:
            assert isinstance(doc_edit, types.TextDocumentEdit)
            version = doc_edit.text_document.version
            if version is not None and version != self.version:
                return types.ApplyWorkspaceEditResult(applied=False)
            index = TextIndex(self.text)
            spans = sorted(
                (
                    (index.offset(e.range.start), index.offset(e.range.end), e.new_text)
                    for e in doc_edit.edits
                    if isinstance(e, types.TextEdit)
                ),
                reverse=True,
            )
            self._send([self._change(s, e, t) for s, e, t in spans])
        return types.ApplyWorkspaceEditResult(applied=True)


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER_COMMAND, server_env=server_env())
)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    (tmp_path / "main.py").write_text(TEXT)
    lsp_client.root = tmp_path  # type: ignore[attr-defined]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(tmp_path.as_uri(), "ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def command(client: LanguageClient, name: str, *args: Any) -> Any:
    params = types.ExecuteCommandParams(command=name, arguments=list(args))
    return await client.workspace_execute_command_async(params)


async def test_join_session_and_co_edit_with_a_pycrdt_peer(
    client: LanguageClient, serve: Server
) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    project = serve.project("ada", {"main.py": TEXT}, {"bob": "editor"})
    buffer = Buffer(client, (root / "main.py").as_uri(), TEXT)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> Any:
        return buffer.apply(params)

    @client.feature("devsync/presence")
    def presence(params: Any) -> None:
        buffer.presence.append(params)

    signed = await command(client, "devsync.signIn", serve.http, serve.tokens["bob"])
    assert signed["user"] == "bob"
    created = serve.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "editor"}
    ).json()
    joined = await command(client, "devsync.joinSession", created["invite_url"])
    assert joined["projectId"] == str(project)
    assert any("joined session" in m.message for m in client.messages)
    buffer.open()

    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await eventually(lambda: str(ada.text) == TEXT)
        # the editor types; the pycrdt peer sees it
        buffer.type(4, "nice_")
        await eventually(lambda: "def nice_greet" in str(ada.text))
        # the peer types; the editor gets it through workspace/applyEdit
        await ada.insert(len(str(ada.text).encode()), "print(greet('😀'))\n")
        await eventually(lambda: buffer.text.endswith("print(greet('😀'))\n"))
        # both type at once, at the same place: both survive, once each
        tail = len(str(ada.text).encode())
        buffer.type(len(buffer.text), "# bob\n")
        await ada.insert(tail, "# ada\n")
        await eventually(lambda: buffer.text == str(ada.text), within=10)
        assert buffer.text.count("# bob\n") == buffer.text.count("# ada\n") == 1
        # the peer's cursor arrives as presence, in UTF-16 positions
        await ada.set_awareness(
            {"user": {"name": "ada"}, "cursor": {"anchor": 4, "head": 4}}
        )
        await eventually(lambda: any(p.uri == buffer.uri for p in buffer.presence))
        cursor = next(p for p in buffer.presence if p.uri == buffer.uri).cursor
        assert (cursor.line, cursor.character) == (0, 4)
        hints = await client.text_document_inlay_hint_async(
            types.InlayHintParams(
                types.TextDocumentIdentifier(buffer.uri),
                types.Range(types.Position(0, 0), types.Position(99, 0)),
            )
        )
        assert hints
        assert "ada" in str(hints[0].label)

    history = await command(client, "devsync.history", None)
    assert history["projectId"] == str(project)
    left = await command(client, "devsync.leaveSession")
    assert left["state"] == "idle"
    await asyncio.sleep(0)


@pytest.fixture
def lone_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own: the reconnect test kills and restarts it."""
    srv = Server(tmp_path_factory.mktemp("lone") / "data").start()
    for name in ("ada", "bob"):
        srv.user(name)
    yield srv
    srv.stop()


async def test_edits_made_while_the_server_is_down_are_merged_on_reconnect(
    client: LanguageClient, lone_serve: Server
) -> None:
    serve = lone_serve
    root: Path = client.root  # type: ignore[attr-defined]
    project = serve.project("ada", {"main.py": TEXT}, {"bob": "editor"})
    buffer = Buffer(client, (root / "main.py").as_uri(), TEXT)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> Any:
        return buffer.apply(params)

    await command(client, "devsync.signIn", serve.http, serve.tokens["bob"])
    created = serve.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "editor"}
    ).json()
    await command(client, "devsync.joinSession", created["invite_token"])
    buffer.open()
    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        buffer.type(0, "# online\n")
        await eventually(lambda: str(ada.text).startswith("# online\n"))

    serve.kill()
    await eventually(
        lambda: any("connection lost" in m.message for m in client.messages)
    )
    buffer.type(0, "# offline\n")  # kept in the peer's Y.Doc
    await asyncio.sleep(0.3)
    serve.start()
    await eventually(
        lambda: any("reconnected" in m.message for m in client.messages), within=20
    )
    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await eventually(lambda: str(ada.text).startswith("# offline\n# online\n"))
        await ada.insert(0, "# after\n")
        await eventually(lambda: buffer.text.startswith("# after\n# offline\n"))
    assert buffer.text == str(ada.text)
    ended = [
        r
        for reports in client.progress_reports.values()
        for r in reports
        if isinstance(r, types.WorkDoneProgressEnd)
    ]
    assert ended, "session progress never ended"


def _track(client: LanguageClient, buffer: Buffer) -> list[Any]:
    """Apply the server's edits to ``buffer``; return the devsync/session log."""
    sessions: list[Any] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> Any:
        return buffer.apply(params)

    @client.feature("devsync/session")
    def session(params: Any) -> None:
        sessions.append(params)

    return sessions


async def test_unsaved_edits_survive_share_and_reach_the_peer(
    client: LanguageClient, serve: Server
) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    project = serve.project("ada", {"main.py": TEXT}, {"bob": "editor"})
    buffer = Buffer(client, (root / "main.py").as_uri(), TEXT)
    _track(client, buffer)
    buffer.open()
    buffer.type(len(TEXT), "os.pat\n")  # unsaved: main.py on disk is still TEXT
    async with serve.client(project, "main.py", "bob") as bob:
        await bob.wait_synced()
        await bob.insert(0, "# bob was here\n")  # the room moved on meanwhile
        await command(client, "devsync.signIn", serve.http, serve.tokens["ada"])
        shared = await command(client, "devsync.shareSession", "editor", project)
        assert shared["inviteLink"].startswith("http")
        merged = "# bob was here\n" + TEXT + "os.pat\n"
        await eventually(lambda: str(bob.text) == merged)
        await eventually(lambda: buffer.text == merged)
        # Editing goes on as usual after the merge.
        buffer.type(0, "# ada\n")
        await eventually(lambda: str(bob.text) == "# ada\n" + merged)
    await command(client, "devsync.leaveSession")


async def test_a_viewer_is_told_once_and_their_typing_is_undone(
    client: LanguageClient, serve: Server
) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    serve.user("vic")
    project = serve.project("ada", {"main.py": TEXT}, {"vic": "viewer"})
    buffer = Buffer(client, (root / "main.py").as_uri(), TEXT)
    _track(client, buffer)
    await command(client, "devsync.signIn", serve.http, serve.tokens["vic"])
    created = serve.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "viewer"}
    ).json()
    joined = await command(client, "devsync.joinSession", created["invite_url"])
    assert joined["role"] == "viewer"
    buffer.open()
    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await eventually(lambda: client.messages and "joined" in str(client.messages))
        for at, key in enumerate("abc"):
            buffer.type(at, key)
            await asyncio.sleep(0.05)
        await eventually(lambda: buffer.text == TEXT)
        await ada.insert(0, "# ada\n")  # the room's edits still arrive
        await eventually(lambda: buffer.text == "# ada\n" + TEXT)
        buffer.type(0, "x")
        await eventually(lambda: buffer.text == "# ada\n" + TEXT)
        assert str(ada.text) == "# ada\n" + TEXT
    told = [m.message for m in client.messages if "read-only" in m.message]
    assert len(told) == 1, told
    await command(client, "devsync.leaveSession")


async def test_session_state_follows_arrivals_and_departures(
    client: LanguageClient, serve: Server
) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    project = serve.project("ada", {"main.py": TEXT}, {"bob": "editor"})
    buffer = Buffer(client, (root / "main.py").as_uri(), TEXT)
    sessions = _track(client, buffer)
    await command(client, "devsync.signIn", serve.http, serve.tokens["ada"])
    await command(client, "devsync.shareSession", "editor", project)
    buffer.open()

    def names() -> set[str]:
        last = sessions[-1] if sessions else None
        return {p.name for p in getattr(last, "participants", None) or []}

    await eventually(
        lambda: bool(sessions) and getattr(sessions[-1], "state", "") == "connected"
    )
    assert names() == set()
    async with serve.client(project, "main.py", "bob") as bob:
        await bob.wait_synced()
        await bob.set_awareness({"user": {"name": "bob", "color": "#00aa00"}})
        await eventually(lambda: names() == {"bob"})
        before = len(sessions)
        for n in range(5):  # cursor moves are not participant changes
            await bob.set_awareness(
                {"user": {"name": "bob"}, "cursor": {"anchor": n, "head": n}}
            )
        await asyncio.sleep(0.6)
        assert len(sessions) == before
        # The caret of the LSP user follows a hover request.
        await client.text_document_hover_async(
            types.HoverParams(
                types.TextDocumentIdentifier(buffer.uri), types.Position(1, 11)
            )
        )
        want = TextIndex(buffer.text).utf16(len("def greet(name):\n") + 11)

        def ada_at() -> Any:
            for state in bob.awareness.values():
                if state.get("user", {}).get("name") == "ada":
                    return state.get("cursor", {}).get("head")
            return None

        await eventually(lambda: ada_at() == want)
    await eventually(lambda: names() == set())
    await command(client, "devsync.leaveSession")


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER_COMMAND, server_env=server_env())
)
async def quiet(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    """A client that shows command results itself: showMessages is off."""
    (tmp_path / "main.py").write_text(TEXT)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(tmp_path.as_uri(), "ws")],
            initialization_options={"session": {"showMessages": False}},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_show_messages_off_leaves_results_and_errors_to_the_client(
    quiet: LanguageClient, serve: Server
) -> None:
    signed = await command(quiet, "devsync.signIn", serve.http, serve.tokens["bob"])
    assert signed["user"] == "bob"
    with pytest.raises(Exception, match="invite"):
        await command(quiet, "devsync.joinSession", "")
    await asyncio.sleep(0.2)
    assert not [m for m in quiet.messages if "DevSync" in m.message]
