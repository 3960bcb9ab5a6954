"""`Annotated` dependencies of every router: settings, DB session, current user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from server.auth.models import User
from server.auth.service import AuthService
from server.core.config import Settings
from server.core.db import Database
from server.core.errors import Unauthorized

SESSION_COOKIE = "devsync_session"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request, committed before the response is sent."""
    with get_database(request).session() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def token_from(request: Request) -> str | None:
    """The bearer token, else the session cookie (WebSockets also read `?token=`)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(SESSION_COOKIE)


def get_current_user(request: Request, session: SessionDep) -> User:
    token = token_from(request)
    user = AuthService(session).user_for_token(token) if token else None
    if user is None:
        raise Unauthorized("not signed in (send a bearer token or the session cookie)")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
