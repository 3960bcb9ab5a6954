"""A stand-in language server for the extension's end-to-end test.

It speaks DevSync's session protocol the way the extension expects it
(``devsync.*`` commands, ``devsync/session`` and ``devsync/presence``), so the
extension's UI is tested in real VS Code while the real session peer in
``lsp/`` is being built. Every command call is appended as JSON to the file
named by ``DEVSYNC_FAKE_LOG``. Run: ``python fake_session_server.py --stdio``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

ALICE = {"id": "alice", "name": "Alice", "colour": "#e6194b"}
INVITE = "http://127.0.0.1:9/join/e2e-invite-token"
COMMITS = [
    {
        "sha": "b" * 40,
        "short_sha": "bbbbbbb",
        "summary": "Second version of shared.py",
        "author_name": "Alice",
        "authored_at": "2026-11-27T08:00:00Z",
        "parents": ["a" * 40],
    },
    {
        "sha": "a" * 40,
        "short_sha": "aaaaaaa",
        "summary": "Add shared.py",
        "author_name": "Bob",
        "authored_at": "2026-11-27T07:00:00Z",
        "parents": [],
    },
]

server = LanguageServer("devsync-fake-session", "0.0.1")


def record(command: str, args: tuple[Any, ...]) -> None:
    path = os.environ.get("DEVSYNC_FAKE_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"command": command, "args": list(args)}) + "\n")


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: t.DidOpenTextDocumentParams) -> None:
    """Alice is in the session, her caret on line 2 and "result" selected on line 4."""
    uri = params.text_document.uri
    ls.protocol.notify(
        "devsync/session",
        {"state": "connected", "sessionId": "s1", "participants": [ALICE]},
    )
    ls.protocol.notify(
        "devsync/presence",
        {
            "user": ALICE,
            "uri": uri,
            "cursor": {"line": 1, "character": 4},
            "ranges": [
                {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 6}}
            ],
        },
    )


@server.feature(t.TEXT_DOCUMENT_CODE_ACTION)
def code_action(ls: LanguageServer, params: t.CodeActionParams) -> list[t.CodeAction]:
    """The AI feature's "Explain" action, as a command on the selected range."""
    r = params.range
    where = {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }
    explain = t.Command(
        title="Explain", command="devsync.ai.explain", arguments=[params.text_document.uri, where]
    )
    return [t.CodeAction(title="Explain this code", command=explain)]


@server.feature(t.TEXT_DOCUMENT_INLINE_COMPLETION, t.InlineCompletionOptions())
def inline(ls: LanguageServer, params: t.InlineCompletionParams) -> t.InlineCompletionList:
    """Ghost text on an empty indented line, as the AI feature would offer."""
    doc = ls.workspace.get_text_document(params.text_document.uri)
    line = doc.lines[params.position.line] if params.position.line < len(doc.lines) else ""
    if line.strip():
        return t.InlineCompletionList(items=[])
    return t.InlineCompletionList(items=[t.InlineCompletionItem(insert_text="return 42")])


@server.command("devsync.ai.explain")
def explain(ls: LanguageServer, *args: Any) -> None:
    record("devsync.ai.explain", args)
    ls.window_show_message(
        t.ShowMessageParams(t.MessageType.Info, "Explanation: shared() returns 1.")
    )


@server.command("devsync.signIn")
def sign_in(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    record("devsync.signIn", args)
    return {"state": "idle"}


@server.command("devsync.shareSession")
def share(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    record("devsync.shareSession", args)
    return {"inviteLink": INVITE, "state": "connected", "participants": [ALICE]}


@server.command("devsync.joinSession")
def join(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    record("devsync.joinSession", args)
    return {"state": "connected", "participants": [ALICE]}


@server.command("devsync.leaveSession")
def leave(ls: LanguageServer, *args: Any) -> None:
    record("devsync.leaveSession", args)


@server.command("devsync.followParticipant")
def follow(ls: LanguageServer, *args: Any) -> None:
    record("devsync.followParticipant", args)


@server.command("devsync.commit")
def commit(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    record("devsync.commit", args)
    return {"sha": "c" * 40, "short_sha": "ccccccc"}


@server.command("devsync.history")
def history(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    record("devsync.history", args)
    return {"projectId": "p1", "path": "shared.py", "commits": COMMITS}


if __name__ == "__main__":
    # vscode-languageclient appends --stdio; anything else is ignored too.
    print("fake session server on stdio", file=sys.stderr)
    server.start_io()
