"""Collaboration rules outside the hot path: who may join, and the live-document
seam the files and history routes call (flush before commit, co-authors,
REST writes and restores applied to open documents)."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from server.auth.models import ApiToken, User
from server.auth.service import AuthService
from server.collab.awareness import Identity, colour_for
from server.collab.fanout import RedisFanout
from server.collab.manager import CollabConfig, RoomManager, Standing
from server.collab.peer import PeerLimits
from server.collab.protocol import CloseCode
from server.collab.store import CollabStore, DocKey
from server.collab.worktree import WorkingTree
from server.core import security
from server.core.config import Settings
from server.core.db import Database
from server.core.errors import Forbidden, NotFound, Unauthorized
from server.history.repo import author_email
from server.projects.models import Membership, Project, Role
from server.projects.repository import ProjectRepository
from server.sessions.models import CollabSession, SessionParticipant
from server.sessions.repository import SessionRepository


@dataclass(frozen=True, slots=True)
class Access:
    """An authorised connection: who, with which role, through which session."""

    identity: Identity
    role: Role
    session_id: int | None
    token_hash: str  # digest of the token used, to notice its revocation


def authorise(db: Database, token: str | None, project_id: int) -> Access:
    """Blocking: resolve the token and the user's role in the project."""
    with db.session() as session:
        user = AuthService(session).user_for_token(token) if token else None
        if user is None or token is None:
            raise Unauthorized("not signed in")
        projects = ProjectRepository(session)
        if projects.get(project_id) is None:
            raise NotFound("no such project")
        role = projects.role_of(project_id, user.id)
        if role is None:
            raise Forbidden("you are not a member of this project")
        granted_by = SessionRepository(session).granting_session(project_id, user.id)
        identity = Identity(user.id, user.display_name, colour_for(user.id))
        return Access(identity, role, granted_by, security.token_hash(token))


def standings(
    db: Database, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], Standing]:
    """Blocking: the current role of each (project_id, user_id)."""
    out: dict[tuple[int, int], Standing] = {}
    with db.session() as session:
        projects = ProjectRepository(session)
        sessions = SessionRepository(session)
        for project_id, user_id in pairs:
            role = projects.role_of(project_id, user_id)
            out[project_id, user_id] = (
                Standing(False, False, None)
                if role is None
                else Standing(
                    True,
                    role.at_least(Role.editor),
                    sessions.granting_session(project_id, user_id),
                )
            )
    return out


def valid_tokens(db: Database, hashes: set[str]) -> set[str]:
    """Blocking: those of the token digests that still sign someone in."""
    with db.session() as session:
        auth = AuthService(session)
        return {h for h in hashes if auth.user_for_token_hash(h) is not None}


_ACCESS_MODELS = (Membership, Project, CollabSession, SessionParticipant, ApiToken)
_ACCESS_FLAG = "devsync.collab.access_changed"


def watch_access(db: Database, changed: Callable[[], None]) -> None:
    """Call `changed` after every commit on `db`'s sessions that changed a
    membership, a project, a session or a token, so that open collaboration
    connections are held to the new roles at once (the periodic recheck
    covers changes made elsewhere)."""

    def after_flush(session: Session, _context: Any) -> None:
        touched = itertools.chain(session.new, session.dirty, session.deleted)
        if any(isinstance(obj, _ACCESS_MODELS) for obj in touched):
            session.info[_ACCESS_FLAG] = True

    def after_commit(session: Session) -> None:
        if session.info.pop(_ACCESS_FLAG, False):
            changed()

    def after_rollback(session: Session) -> None:
        session.info.pop(_ACCESS_FLAG, None)

    event.listen(db.sessionmaker, "after_flush", after_flush)
    event.listen(db.sessionmaker, "after_commit", after_commit)
    event.listen(db.sessionmaker, "after_rollback", after_rollback)


def build_manager(settings: Settings, db: Database) -> RoomManager:
    limits = PeerLimits(
        max_message_bytes=settings.collab_max_message_bytes,
        rate_per_second=settings.collab_max_updates_per_second,
        rate_burst=settings.collab_update_burst,
        max_queue_bytes=settings.collab_max_queue_bytes,
    )
    config = CollabConfig(
        idle_write_seconds=settings.collab_idle_write_seconds,
        max_clients_per_room=settings.collab_max_clients_per_room,
        compact_after=settings.collab_compact_after,
        peer_limits=limits,
    )
    fanout = None
    if settings.redis_url:
        database = settings.resolved_database_url().encode()
        fanout = RedisFanout(
            settings.redis_url, hashlib.sha256(database).hexdigest()[:12]
        )
    manager = RoomManager(
        CollabStore(db),
        WorkingTree(settings),
        config,
        fanout=fanout,
        standings=lambda pairs: standings(db, pairs),
        tokens=lambda hashes: valid_tokens(db, hashes),
    )
    watch_access(db, manager.access_changed)
    return manager


class CollabLiveDocuments:
    """`server.files.live.LiveDocuments` backed by the room manager."""

    def __init__(self, rooms: RoomManager, db: Database) -> None:
        self.rooms = rooms
        self.db = db

    async def flush(self, project_id: int, paths: Sequence[str] | None = None) -> None:
        await self.rooms.flush(project_id, list(paths) if paths is not None else None)

    async def commit_trailers(self, project_id: int, author_username: str) -> list[str]:
        await self.rooms.flush(project_id)
        editors = await self.rooms.writer.run(self.rooms.store.editors, project_id)
        users = await asyncio.to_thread(self._users, editors)
        return [
            f"Co-authored-by: {u.display_name} <{author_email(u.username)}>"
            for u in users
            if u.username != author_username
        ]

    def _users(self, ids: list[int]) -> list[User]:
        with self.db.session() as session:
            return [u for uid in ids if (u := session.get(User, uid)) is not None]

    async def committed(self, project_id: int, sha: str) -> None:  # noqa: ARG002
        await self.rooms.writer.run(self.rooms.store.clear_editors, project_id)

    async def apply_text(self, project_id: int, path: str, text: str) -> bool:
        key = DocKey(project_id, path)
        if not self.rooms.is_open(key):
            return False  # the next load sees the file changed and adopts it
        await self.rooms.apply_text(key, text, None)
        return True

    async def removed(self, project_id: int, path: str) -> None:
        await self._forget(DocKey(project_id, path), f"{path} was deleted")

    async def moved(self, project_id: int, path: str, to: str) -> None:
        await self._forget(DocKey(project_id, path), f"{path} was moved to {to}")

    async def _forget(self, key: DocKey, reason: str) -> None:
        for doc, peer in self.rooms.peers(key.project_id):
            if doc == key:
                peer.kick(CloseCode.NOT_FOUND, reason)
        await self.rooms.forget(key)
