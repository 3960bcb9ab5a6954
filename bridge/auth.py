"""Authentication at the upgrade: who is connecting, and their role in the project.

The token comes from a bearer header, the `devsync_session` cookie or
`?token=`; the answer is (user id, role) or the close code to send.
"""

from __future__ import annotations

from fastapi import WebSocket

from bridge import limits
from server.auth.service import AuthService
from server.core.config import Settings
from server.core.db import Database
from server.core.errors import Forbidden, NotFound
from server.deps import SESSION_COOKIE
from server.projects.models import Role
from server.projects.service import ProjectService


def token_of(websocket: WebSocket) -> str:
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    cookie = websocket.cookies.get(SESSION_COOKIE)
    return cookie or websocket.query_params.get("token", "")


def authorize(
    db: Database, settings: Settings, token: str, project: str
) -> tuple[int, Role] | int:
    """(user id, role) of a member, else the close code. Blocking: DB access."""
    with db.session() as session:
        user = AuthService(session).user_for_token(token) if token else None
        if user is None:
            return limits.CLOSE_UNAUTHENTICATED
        if not project.isdigit() or len(project) > 18:
            return limits.CLOSE_NOT_FOUND
        projects = ProjectService(session, settings)
        try:
            _, role = projects.require(user, int(project), Role.viewer)
        except NotFound:
            return limits.CLOSE_NOT_FOUND
        except Forbidden:
            return limits.CLOSE_FORBIDDEN
        return user.id, role
