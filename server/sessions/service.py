"""Session rules: owners open sessions with an invite, users join, owners end them.

Joining gives the user a project membership with the session's role (unless
they already had at least that role); ending the session takes it back. The
invite token is stored only as a hash, expires, and can be revoked.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from server.auth.models import User, utcnow
from server.core import security
from server.core.config import Settings
from server.core.errors import BadRequest, NotFound
from server.projects.models import Role
from server.projects.repository import ProjectRepository
from server.projects.service import ProjectService
from server.sessions.models import CollabSession, SessionParticipant
from server.sessions.repository import SessionRepository
from server.sessions.schemas import SessionJoined

log = logging.getLogger(__name__)

INVALID_INVITE = "this invite link is invalid, expired, revoked or its session ended"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class SessionService:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.sessions = SessionRepository(session)
        self.projects = ProjectRepository(session)

    def _owned(self, user: User, project_id: int, session_id: int) -> CollabSession:
        ProjectService(self.session, self.settings).require(
            user, project_id, Role.owner
        )
        return self._of_project(project_id, session_id)

    def _of_project(self, project_id: int, session_id: int) -> CollabSession:
        found = self.sessions.get(session_id)
        if found is None or found.project_id != project_id:
            raise NotFound("no such session")
        return found

    def create(
        self, user: User, project_id: int, role: Role
    ) -> tuple[CollabSession, str]:
        """Open a session; returns it with the invite token (shown only now)."""
        ProjectService(self.session, self.settings).require(
            user, project_id, Role.owner
        )
        if role == Role.owner:
            raise BadRequest("a session can grant the viewer or editor role, not owner")
        token = security.new_token("dsi")
        hours = self.settings.session_invite_hours
        created = CollabSession(
            project_id=project_id,
            created_by=user.id,
            role=role,
            token_hash=security.token_hash(token),
            invite_expires_at=utcnow() + timedelta(hours=hours),
        )
        self.sessions.add(created)
        log.info(
            "user %s opened session %s on project %s", user.id, created.id, project_id
        )
        return created, token

    def invite_url(self, token: str) -> str:
        return f"{self.settings.resolved_public_url()}/join/{token}"

    def of_project(self, user: User, project_id: int) -> list[CollabSession]:
        ProjectService(self.session, self.settings).require(
            user, project_id, Role.owner
        )
        return self.sessions.of_project(project_id)

    def join(self, user: User, invite_token: str) -> SessionJoined:
        found = self.sessions.by_token_hash(security.token_hash(invite_token))
        if (
            found is None
            or found.ended_at is not None
            or found.invite_revoked
            or _aware(found.invite_expires_at) <= utcnow()
        ):
            raise NotFound(INVALID_INVITE)
        existing = self.sessions.participant(found.id, user.id)
        if existing is None:
            current = self.projects.role_of(found.project_id, user.id)
            granted = None
            if current is None or not current.at_least(found.role):
                self.projects.set_member(found.project_id, user.id, found.role)
                granted = found.role
            self.sessions.add(
                SessionParticipant(
                    session_id=found.id,
                    user_id=user.id,
                    granted=granted,
                    previous_role=current if granted else None,
                )
            )
        role = self.projects.role_of(found.project_id, user.id) or found.role
        return SessionJoined(
            session_id=found.id, project_id=found.project_id, role=role
        )

    def participants(
        self, user: User, project_id: int, session_id: int
    ) -> list[tuple[SessionParticipant, User, Role]]:
        ProjectService(self.session, self.settings).require(
            user, project_id, Role.viewer
        )
        self._of_project(project_id, session_id)
        rows = []
        for part, member in self.sessions.participants(session_id):
            role = self.projects.role_of(project_id, member.id) or part.granted
            rows.append((part, member, role or Role.viewer))
        return rows

    def end(self, user: User, project_id: int, session_id: int) -> CollabSession:
        """End the session and take back the roles it granted."""
        found = self._owned(user, project_id, session_id)
        if found.ended_at is not None:
            return found
        found.ended_at = utcnow()
        for part, _ in self.sessions.participants(session_id):
            if part.granted is None:
                continue
            membership = self.projects.membership(project_id, part.user_id)
            if membership is not None and membership.role == part.granted:
                if part.previous_role is not None:
                    membership.role = part.previous_role
                else:
                    self.session.delete(membership)
        self.session.flush()
        log.info("user %s ended session %s", user.id, session_id)
        return found

    def revoke_invite(self, user: User, project_id: int, session_id: int) -> None:
        self._owned(user, project_id, session_id).invite_revoked = True

    def granting_session(self, project_id: int, user_id: int) -> int | None:
        return self.sessions.granting_session(project_id, user_id)
