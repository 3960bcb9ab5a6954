"""Tables of the collaboration domain: Yjs updates, snapshots, editors since commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.auth.models import utcnow
from server.core.db import Base

# SQLite only auto-increments an INTEGER PRIMARY KEY.
_BigId = BigInteger().with_variant(Integer(), "sqlite")


class CollabUpdate(Base):
    """One persisted batch member: a Yjs update as a client sent it."""

    __tablename__ = "collab_updates"
    __table_args__ = (Index("ix_collab_updates_doc", "project_id", "path", "id"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE")
    )
    path: Mapped[str] = mapped_column(String(1024))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CollabSnapshot(Base):
    """Updates of a document merged into one; the merged rows are deleted.

    `upto_id` is the last update id folded in; compaction replaces a snapshot
    only while it is unchanged, so two instances never overwrite each other.
    """

    __tablename__ = "collab_snapshots"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(1024), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    upto_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class CollabEditor(Base):
    """A user who changed a document since the project's last commit."""

    __tablename__ = "collab_editors"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(1024), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CollabFile(Base):
    """The hash of the text last written to a document's working-tree file.

    A file whose hash differs when its room loads was changed outside DevSync;
    one that matches but differs from the stored text was not yet written (the
    server stopped within the idle delay), so the stored state wins.
    """

    __tablename__ = "collab_files"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(1024), primary_key=True)
    text_sha: Mapped[str] = mapped_column(String(64))
