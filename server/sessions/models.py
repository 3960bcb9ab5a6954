"""Tables of the sessions domain: sessions with hashed invite tokens, participants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.auth.models import utcnow
from server.core.db import Base
from server.projects.models import Role


class CollabSession(Base):
    """A live session of a project; its invite grants `role` until it ends."""

    __tablename__ = "collab_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    invite_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    invite_revoked: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class SessionParticipant(Base):
    """A user who joined through the invite.

    `granted` is the membership role the session gave them, if it gave one
    (None when they already had at least that role); ending the session takes
    it back, restoring `previous_role`.
    """

    __tablename__ = "collab_session_participants"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("collab_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    granted: Mapped[Role | None] = mapped_column(
        Enum(Role, native_enum=False, length=16), nullable=True
    )
    previous_role: Mapped[Role | None] = mapped_column(
        Enum(Role, native_enum=False, length=16), nullable=True
    )
