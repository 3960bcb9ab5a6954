"""Queries of the sessions domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.models import User
from server.sessions.models import CollabSession, SessionParticipant


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, session_id: int) -> CollabSession | None:
        return self.session.get(CollabSession, session_id)

    def by_token_hash(self, token_hash: str) -> CollabSession | None:
        return self.session.scalar(
            select(CollabSession).where(CollabSession.token_hash == token_hash)
        )

    def of_project(self, project_id: int) -> list[CollabSession]:
        query = (
            select(CollabSession)
            .where(CollabSession.project_id == project_id)
            .order_by(CollabSession.id)
        )
        return list(self.session.scalars(query))

    def add(self, item: CollabSession | SessionParticipant) -> None:
        self.session.add(item)
        self.session.flush()

    def participant(self, session_id: int, user_id: int) -> SessionParticipant | None:
        return self.session.get(SessionParticipant, (session_id, user_id))

    def participants(self, session_id: int) -> list[tuple[SessionParticipant, User]]:
        query = (
            select(SessionParticipant, User)
            .join(User, User.id == SessionParticipant.user_id)
            .where(SessionParticipant.session_id == session_id)
            .order_by(SessionParticipant.joined_at)
        )
        return [(p, u) for p, u in self.session.execute(query).all()]

    def granting_session(self, project_id: int, user_id: int) -> int | None:
        """The live session through which the user holds their role, if any."""
        query = (
            select(CollabSession.id)
            .join(SessionParticipant, SessionParticipant.session_id == CollabSession.id)
            .where(
                CollabSession.project_id == project_id,
                CollabSession.ended_at.is_(None),
                SessionParticipant.user_id == user_id,
                SessionParticipant.granted.is_not(None),
            )
            .order_by(CollabSession.id.desc())
        )
        return self.session.scalar(query)
