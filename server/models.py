"""Every table, imported in one place so Alembic and `create_all` see them all."""

from server.auth.models import ApiToken, User
from server.collab.models import CollabEditor, CollabFile, CollabSnapshot, CollabUpdate
from server.core.db import Base
from server.projects.models import Membership, Project
from server.sessions.models import CollabSession, SessionParticipant

__all__ = [
    "ApiToken",
    "Base",
    "CollabEditor",
    "CollabFile",
    "CollabSession",
    "CollabSnapshot",
    "CollabUpdate",
    "Membership",
    "Project",
    "SessionParticipant",
    "User",
]
