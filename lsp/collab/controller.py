"""The session peer's state and its ``devsync.*`` commands.

Signed in to one server, in at most one session; every open document of the
session's project (the first workspace folder is the project) is a
``SessionDocument``. Commands return data for rich clients and say the same
in ``window/showMessage`` for the rest, unless the client opted out with
``session.showMessages: false`` (VS Code's extension shows its own).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from lsprotocol import types

from lsp import protocol
from lsp.collab.api import Api, ApiError
from lsp.collab.document import SessionDocument
from lsp.collab.report import Reporter
from lsp.collab.room import Room

if TYPE_CHECKING:
    from lsp.context import ServerContext

log = logging.getLogger(__name__)
PARTICIPANTS_DEBOUNCE = 0.3  # seconds: devsync/session after the set changes
Command = Callable[..., Awaitable[Any]]


class CommandError(Exception):
    """A command failed for a reason the user should read."""


@dataclass
class Joined:
    project_id: int
    session_id: int | None
    role: str
    invite_link: str | None = None


def _arg(args: tuple[Any, ...], index: int, key: str) -> Any:
    """Positional argument ``index``, or ``key`` of a single object argument."""
    if len(args) == 1 and isinstance(args[0], dict):
        return args[0].get(key)
    return args[index] if len(args) > index else None


class SessionController:
    """Sign-in, the joined session and its documents, for one server."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.server = ctx.server
        self.report = Reporter(ctx.server)
        self.api: Api | None = None
        self.user: dict[str, Any] = {}
        self.joined: Joined | None = None
        self.docs: dict[str, SessionDocument] = {}
        self._lost = False
        self._participants: list[dict[str, Any]] = []  # as last sent
        self._resend: asyncio.TimerHandle | None = None

    def say(self, message: str, error: bool = False) -> None:
        """A command's result or error, for clients that show only messages."""
        if self.ctx.options.session.show_messages:
            self.report.show(message, error=error)

    def commands(self) -> dict[str, Command]:
        return {
            protocol.CMD_SIGN_IN: self.sign_in,
            protocol.CMD_SHARE_SESSION: self.share_session,
            protocol.CMD_JOIN_SESSION: self.join_session,
            protocol.CMD_LEAVE_SESSION: self.leave_session,
            protocol.CMD_FOLLOW_PARTICIPANT: self.follow_participant,
            protocol.CMD_COMMIT: self.commit,
            protocol.CMD_HISTORY: self.history,
        }

    async def run(self, command: Command, args: tuple[Any, ...]) -> Any:
        """Run a command; failures are shown and returned as JSON-RPC errors."""
        try:
            return await command(*args)
        except (CommandError, ApiError) as exc:
            self.say(str(exc), error=True)
            raise CommandError(str(exc)) from None

    # ---- sign-in and sessions --------------------------------------------
    async def sign_in(self, *args: Any) -> dict[str, Any]:
        url, token = _arg(args, 0, "serverUrl"), _arg(args, 1, "token")
        if not isinstance(url, str) or not isinstance(token, str) or not token:
            raise CommandError("devsync.signIn wants [serverUrl, token]")
        api = Api(url.strip(), token.strip())
        self.user = await api.me()
        if self.api is not None:
            await self.api.close()
        self.api = api
        name = self.user.get("username", "?")
        self.say(f"signed in to {api.base_url} as {name}")
        self.report.session({"state": "idle"})
        return {"serverUrl": api.base_url, "user": name, "state": "idle"}

    def _signed_in(self) -> Api:
        if self.api is None:
            raise CommandError("sign in first: devsync.signIn [serverUrl, token]")
        return self.api

    async def _project(self, explicit: Any) -> int:
        if self.joined is not None and explicit is None:
            return self.joined.project_id
        if isinstance(explicit, int) or (
            isinstance(explicit, str) and explicit.isdigit()
        ):
            return int(explicit)
        projects = await self._signed_in().projects()
        folder = os.path.basename((self.ctx.root_path or "").rstrip("/"))
        named = [p for p in projects if p.get("name") == folder]
        owned = [p for p in projects if p.get("role") == "owner"]
        for found in (named, owned if len(owned) == 1 else []):
            if len(found) == 1:
                return int(found[0]["id"])
        raise CommandError("which project? pass its id (no project is named " + folder)

    async def share_session(self, *args: Any) -> dict[str, Any]:
        api = self._signed_in()
        role = _arg(args, 0, "role") or "editor"
        project_id = await self._project(_arg(args, 1, "projectId"))
        created = await api.share(project_id, str(role))
        link = created["invite_url"]
        await self._enter(Joined(project_id, created["id"], "owner", link))
        self.say(f"session shared ({role}); invite link: {link}")
        return self._state() | {"inviteLink": link}

    async def join_session(self, *args: Any) -> dict[str, Any]:
        given = _arg(args, 0, "invite")
        if not isinstance(given, str) or not given.strip():
            raise CommandError("devsync.joinSession wants an invite link or token")
        token = given.strip().strip("<>")
        if "://" in token:
            token = unquote(urlparse(token).path.rstrip("/").rsplit("/", 1)[-1])
        joined = await self._signed_in().join(token)
        await self._enter(
            Joined(int(joined["project_id"]), int(joined["session_id"]), joined["role"])
        )
        count = len(self.docs)
        self.say(
            f"joined session {joined['session_id']} as {joined['role']}; "
            f"{count} open document(s) shared"
        )
        return self._state()

    async def leave_session(self, *_args: Any) -> dict[str, Any]:
        await self._leave()
        self.say("left the session")
        self.report.session({"state": "idle", "participants": []})
        return {"state": "idle"}

    async def _enter(self, joined: Joined) -> None:
        await self._leave()
        self.joined = joined
        self.report.begin("DevSync session", "connecting")
        for uri in list(self.server.workspace.text_documents):
            self.open(uri)
        self._check_connected()
        self._send_state()

    async def _leave(self) -> None:
        docs, self.docs, self.joined = self.docs, {}, None
        if self._resend is not None:
            self._resend.cancel()
            self._resend = None
        await asyncio.gather(*(doc.close() for doc in docs.values()))
        self.report.end("left")

    def _state(self) -> dict[str, Any]:
        joined = self.joined
        if joined is None:
            return {"state": "idle" if self.api else "signedOut"}
        connecting = any(d.room.state != "connected" for d in self.docs.values())
        return {
            "state": "reconnecting"
            if self._lost
            else ("connecting" if connecting else "connected"),
            "sessionId": str(joined.session_id) if joined.session_id else None,
            "projectId": str(joined.project_id),
            "role": joined.role,
            "inviteLink": joined.invite_link,
            "participants": self.participants(),
            "pendingEdits": sum(d.room.offline_updates for d in self.docs.values()),
        }

    def participants(self) -> list[dict[str, Any]]:
        """Everyone else in the session's rooms, once per name, from awareness
        (a cursor is not needed: a peer who has only opened the file counts)."""
        seen: dict[str, dict[str, Any]] = {}
        for doc in self.docs.values():
            own = doc.room.awareness.client_id
            for client_id, state in sorted(doc.room.awareness.states.items()):
                user = state.get("user") if isinstance(state, dict) else None
                if client_id == own or not isinstance(user, dict):
                    continue
                name = str(user.get("name") or f"peer {client_id}")[:40]
                colour = str(user.get("color") or user.get("colour") or "#888888")
                seen.setdefault(name, {"id": client_id, "name": name, "colour": colour})
            for cursor in doc.cursors.values():
                seen[cursor.name] = {
                    "id": cursor.client_id,
                    "name": cursor.name,
                    "colour": cursor.colour,
                }
        return sorted(seen.values(), key=lambda p: str(p["name"]))

    def _send_state(self) -> None:
        state = self._state()
        self._participants = state.get("participants", [])
        self.report.session(state)

    def _participants_changed(self) -> None:
        """Send devsync/session once the participant set settles."""
        if self.joined is None or self._resend is not None:
            return

        def resend() -> None:
            self._resend = None
            if self.joined is not None and self.participants() != self._participants:
                self._send_state()

        loop = asyncio.get_running_loop()
        self._resend = loop.call_later(PARTICIPANTS_DEBOUNCE, resend)

    # ---- documents -------------------------------------------------------
    def path_of(self, uri: str) -> str | None:
        """The project-relative path of a document in the workspace folder."""
        path, root = self.ctx.mapper.to_path(uri), self.ctx.root_path
        if not path or not root:
            return None
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        return None if rel.startswith("..") else rel.replace(os.sep, "/")

    def open(self, uri: str) -> None:
        """Join the room of ``uri`` if it belongs to the session's project."""
        joined, api, rel = self.joined, self.api, self.path_of(uri)
        if joined is None or api is None or rel is None or uri in self.docs:
            return
        room = Room(
            api.room_url(joined.project_id, rel),
            api.token,
            self._room_state,
            self._room_awareness,
        )

        def current() -> tuple[str, int | None] | None:
            doc = self.server.workspace.text_documents.get(uri)
            return None if doc is None else (doc.source, doc.version)

        path = self.ctx.mapper.to_path(uri)

        def disk() -> str | None:
            """The file as the editor loaded or last saved it (None: no file)."""
            if not path or not os.path.isfile(path):
                return None
            with open(path, encoding="utf-8", newline="") as handle:
                return handle.read()

        doc = self.docs[uri] = SessionDocument(
            self.server,
            uri,
            room,
            current,
            self._presence_changed,
            disk=disk,
            read_only=lambda: self.joined is not None and self.joined.role == "viewer",
            tell=self.report.show,
        )
        doc.start({"name": self.user.get("display_name") or self.user.get("username")})

    def changed(
        self, uri: str, changes: list[Any], text: str, version: int | None
    ) -> None:
        if (doc := self.docs.get(uri)) is not None:
            doc.did_change(changes, text, version)

    def caret_at(self, uri: str, position: types.Position) -> None:
        """The editor asked something at ``position``: our caret is there."""
        if (doc := self.docs.get(uri)) is not None:
            doc.caret_at(position)

    async def close(self, uri: str) -> None:
        if (doc := self.docs.pop(uri, None)) is not None:
            await doc.close()

    def _room_state(self, room: Room, state: str, detail: str) -> None:
        if state == "reconnecting" and not self._lost:
            self._lost = True
            self.report.show("connection lost; reconnecting, your edits are kept")
            self.report.begin("DevSync session", "reconnecting")
        elif state == "closed":
            self.report.show(
                f"left the room of {room.url.split('?')[0]}: {detail}", error=True
            )
        elif state == "connected":
            pending = room.offline_updates
            if self._lost and all(
                d.room.state == "connected" for d in self.docs.values()
            ):
                self._lost = False
                self.report.show(f"reconnected; offline edits merged ({pending})")
            self._check_connected()
        self._send_state()

    def _check_connected(self) -> None:
        if all(d.room.state == "connected" for d in self.docs.values()):
            self.report.end("connected")

    def _room_awareness(self, room: Room) -> None:
        for doc in self.docs.values():
            if doc.room is room:
                doc.refresh_presence()
        if self.participants() != self._participants:
            self._participants_changed()

    def _presence_changed(self, _doc: SessionDocument) -> None:
        caps = self.server.client_capabilities.workspace
        hints = caps.inlay_hint if caps else None
        if (
            hints
            and hints.refresh_support
            and self.ctx.options.session.presence_inlay_hints
        ):
            self.server.workspace_inlay_hint_refresh(None)

    def inlay_hints(self, params: types.InlayHintParams) -> list[types.InlayHint]:
        doc = self.docs.get(params.text_document.uri)
        if doc is None or not self.ctx.options.session.presence_inlay_hints:
            return []
        first, last = params.range.start.line, params.range.end.line
        return [c.hint() for c in doc.cursors.values() if first <= c.head.line <= last]

    # ---- following, commits, history -------------------------------------
    async def follow_participant(self, *args: Any) -> dict[str, Any]:
        who = str(_arg(args, 0, "participant") or "")
        for uri, doc in self.docs.items():
            for cursor in doc.cursors.values():
                if who in (str(cursor.client_id), cursor.name):
                    where = types.Range(cursor.head, cursor.head)
                    await self.server.window_show_document_async(
                        types.ShowDocumentParams(uri, take_focus=True, selection=where)
                    )
                    self.say(f"following {cursor.name}")
                    return {"uri": uri, "position": cursor.params(uri)["cursor"]}
        raise CommandError(f"{who or 'nobody'} is not in a document you have open")

    async def commit(self, *args: Any) -> dict[str, Any]:
        message = _arg(args, 0, "message")
        if not isinstance(message, str) or not message.strip():
            raise CommandError("devsync.commit wants a message")
        project_id = await self._project(_arg(args, 1, "projectId"))
        try:
            made = await self._signed_in().commit(project_id, message.strip())
        except ApiError as exc:
            if exc.status == 409:
                raise CommandError("nothing to commit") from None
            raise
        self.say(f"committed {made['short_sha']}: {made['summary']}")
        return made

    async def history(self, *args: Any) -> dict[str, Any]:
        uri = _arg(args, 0, "uri")
        path = self.path_of(uri) if isinstance(uri, str) else None
        project_id = await self._project(_arg(args, 1, "projectId"))
        commits = await self._signed_in().history(project_id, path)
        lines = [
            f"{c['short_sha']} {c['author_name']}: {c['summary']}" for c in commits[:10]
        ]
        self.say(
            f"history of {path or 'the project'}:\n"
            + ("\n".join(lines) or "no commits")
        )
        return {"projectId": str(project_id), "path": path, "commits": commits}

    async def shutdown(self) -> None:
        await self._leave()
        if self.api is not None:
            await self.api.close()
