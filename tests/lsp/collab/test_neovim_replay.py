"""Issue 8 over the real transport: a scripted Neovim 0.7 and a pycrdt peer.

``devsync lsp`` runs as a subprocess, joined to a session on a real
``devsync serve``. The editor side does what Neovim 0.7 does with
``workspace/applyEdit``: its capabilities have no ``documentChanges``, so
edits come unversioned and are applied at their positions in the current
buffer, from the last start to the first (at one start, the later edit
first), with ``\\r\\n`` and ``\\r`` made ``\\n``; the applied edits are
reported in one ``didChange`` a moment later (Neovim's debounce). Each step
waits for the previous one to settle, so the interleavings are the same on
every run.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from lsp.collab.positions import TextIndex
from server.collab.client import YClient
from tests.e2e.collab_harness import Server, eventually
from tests.lsp.conftest import SERVER_COMMAND, server_env

pytestmark = pytest.mark.e2e
TEXT = "".join(f"line {i}\n" for i in range(8))
DEBOUNCE = 0.05


class Neovim07:
    """One buffer, edited by ``workspace/applyEdit`` and by typing."""

    def __init__(self, client: LanguageClient, uri: str, text: str) -> None:
        self.client, self.uri, self.text, self.version = client, uri, text, 0
        self.pending: list[types.TextDocumentContentChangeEvent] = []
        self.unversioned = 0
        # After a quiet spell Neovim 0.7 sends the first change at once (its
        # debounce counts from the last didChange), the rest 150 ms later.
        self.split = False
        self.hold: asyncio.Event | None = None  # set: the edit is applied
        self.held = asyncio.Event()  # an edit arrived and waits for ``hold``

    def open(self) -> None:
        item = types.TextDocumentItem(
            uri=self.uri, language_id="python", version=self.version, text=self.text
        )
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(item))

    def _change(self, start: int, end: int, text: str) -> None:
        index = TextIndex(self.text)
        self.pending.append(
            types.TextDocumentContentChangePartial(index.range(start, end), text)
        )
        self.text = self.text[:start] + text + self.text[end:]
        self.version += 1

    def type(self, offset: int, text: str) -> None:
        self._change(offset, offset, text)
        asyncio.get_running_loop().call_later(DEBOUNCE, self.flush)

    def flush(self) -> None:
        if self.pending:
            changes, self.pending = self.pending, []
            ident = types.VersionedTextDocumentIdentifier(
                uri=self.uri, version=self.version
            )
            self.client.text_document_did_change(
                types.DidChangeTextDocumentParams(ident, changes)
            )

    def apply(
        self, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        assert params.edit.document_changes is None  # not offered by Neovim 0.7
        edits = (params.edit.changes or {}).get(self.uri, [])
        self.unversioned += 1
        order = sorted(
            enumerate(edits),
            key=lambda item: (
                item[1].range.start.line,
                item[1].range.start.character,
                item[0],
            ),
            reverse=True,
        )
        quiet = not self.pending
        for _, edit in order:
            index = TextIndex(self.text)
            start, end = index.offset(edit.range.start), index.offset(edit.range.end)
            self._change(start, max(start, end), re.sub("\r\n?", "\n", edit.new_text))
            if self.split and quiet:
                self.flush()
                quiet = False
        asyncio.get_running_loop().call_later(DEBOUNCE, self.flush)
        return types.ApplyWorkspaceEditResult(applied=True)


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("serve") / "data").start()
    try:
        for name in ("ada", "bob"):
            srv.user(name)
        yield srv
    finally:
        srv.stop()


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER_COMMAND, server_env=server_env())
)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    (tmp_path / "main.py").write_text(TEXT)
    lsp_client.root = tmp_path  # type: ignore[attr-defined]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("neovim@v0.7.0"),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(tmp_path.as_uri(), "ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _join(client: LanguageClient, serve: Server) -> tuple[Neovim07, int]:
    root: Path = client.root  # type: ignore[attr-defined]
    project = serve.project("ada", {"main.py": TEXT}, {"bob": "editor"})
    nvim = Neovim07(client, (root / "main.py").as_uri(), TEXT)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    async def apply_edit(params: types.ApplyWorkspaceEditParams) -> Any:
        if nvim.hold is not None:  # the test types before Neovim sees the edit
            nvim.held.set()
            await nvim.hold.wait()
        return nvim.apply(params)

    async def run(name: str, *args: Any) -> Any:
        params = types.ExecuteCommandParams(command=name, arguments=list(args))
        return await client.workspace_execute_command_async(params)

    await run("devsync.signIn", serve.http, serve.tokens["bob"])
    created = serve.api(
        "POST", f"/api/projects/{project}/sessions", "ada", json={"role": "editor"}
    ).json()
    await run("devsync.joinSession", created["invite_url"])
    nvim.open()
    return nvim, project


async def _same(nvim: Neovim07, ada: YClient) -> None:
    """Neovim has the room's text and has reported all it did."""
    try:
        await eventually(
            lambda: nvim.text == str(ada.text) and not nvim.pending, within=10
        )
    except AssertionError:
        raise AssertionError(f"nvim {nvim.text!r} != room {str(ada.text)!r}") from None


async def test_a_peer_replacing_text_converges_with_neovim_07(
    client: LanguageClient, serve: Server
) -> None:
    nvim, project = await _join(client, serve)
    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await _same(nvim, ada)
        # One transaction that inserts a token and deletes the two characters
        # after it: the delta is [retain, insert, delete]. The server used to
        # expect the delete made after the insert, took Neovim's (right) text
        # for a dropped edit and patched the Y.Text inside a UTF-8 sequence.
        for row, token in enumerate(["ß", "😀", "e\u0301", "\r\n", "x"]):
            current = str(ada.text)
            at = len(current[: current.index(f"line {row}") + 2].encode())

            def replace(text: Any, at: int = at, token: str = token) -> None:
                text.insert(at, token)
                after = at + len(token.encode())
                del text[after : after + 2]

            await ada.edit(replace)
            await _same(nvim, ada)
        assert nvim.text.startswith("liß 0\nli😀 1\nlie\u0301 2\nli\n 3\nlix 4\n")
        assert nvim.unversioned >= 5


async def test_typing_at_a_line_start_after_a_multi_line_edit_stays_there(
    client: LanguageClient, serve: Server
) -> None:
    nvim, project = await _join(client, serve)
    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await _same(nvim, ada)
        # The peer's edit inserts at two line starts; its echo settles the
        # server's copy of the buffer through one diff() change that ends at
        # the start of "line 5" with "<b>" last. The line hint kept there used
        # to move past "<b>", so what Neovim typed at (5, 0) went after it.
        first, second = TEXT.index("line 2"), TEXT.index("line 5")

        def two(text: Any) -> None:
            text.insert(second, "<b>")
            text.insert(first, "<a>")

        await ada.edit(two)
        await _same(nvim, ada)  # the echo went in a didChange of its own
        nvim.type(nvim.text.index("<b>"), "X")
        await eventually(lambda: "\nX<b>line 5\n" in str(ada.text), within=10)
        await _same(nvim, ada)


async def test_an_edit_neovim_reports_in_two_did_changes_is_not_doubled(
    client: LanguageClient, serve: Server
) -> None:
    nvim, project = await _join(client, serve)
    nvim.split = True
    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await _same(nvim, ada)
        # Neovim makes the change furthest down first and reports it alone;
        # that part used to be taken for typing over a dropped edit, so the
        # room got "<b😀>" twice and the edit was sent again.
        first, second = TEXT.index("line 2"), TEXT.index("line 5")

        def two(text: Any) -> None:
            text.insert(second, "<b😀>")
            text.insert(first, "<a\r\n>")

        await ada.edit(two)
        await _same(nvim, ada)
        assert nvim.text.count("<b😀>") == nvim.text.count("<a\n>") == 1
        nvim.type(0, "<n>")
        await eventually(lambda: str(ada.text).startswith("<n>line 0"), within=10)
        await _same(nvim, ada)


async def test_typing_reported_before_neovim_saw_an_edit_is_not_doubled(
    client: LanguageClient, serve: Server
) -> None:
    nvim, project = await _join(client, serve)
    async with serve.client(project, "main.py", "ada") as ada:
        await ada.wait_synced()
        await _same(nvim, ada)
        # The peer's edit is on its way to Neovim while Neovim reports typing
        # on the same line. The edit has no version, so Neovim makes it
        # anyway, at its (now stale) position. The typing used to count as a
        # drop of the edit, which was then sent again and made twice.
        nvim.hold = asyncio.Event()
        await ada.insert(len(TEXT[: TEXT.index("line 3") + 5].encode()), "<a中>")
        await asyncio.wait_for(nvim.held.wait(), 10)
        nvim.type(TEXT.index("line 3"), "<n😀>")
        nvim.flush()  # this didChange goes out before the reply to the edit
        nvim.hold.set()
        await _same(nvim, ada)
        assert nvim.text.count("<a中>") == nvim.text.count("<n😀>") == 1
