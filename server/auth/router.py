"""HTTP routes of the auth domain."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from server.auth.schemas import (
    Login,
    LoginResult,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from server.auth.service import AuthService
from server.deps import SESSION_COOKIE, CurrentUser, SessionDep, SettingsDep, token_from
from server.projects.service import ProjectService
from server.sample_project import sample_files

router = APIRouter(prefix="/api", tags=["auth"])


@router.post("/auth/register", status_code=status.HTTP_201_CREATED)
def register(
    data: UserCreate, session: SessionDep, settings: SettingsDep
) -> UserPublic:
    user = AuthService(session).register(data)
    if settings.sample_project:
        ProjectService(session, settings).create(user, "sample", sample_files())
    return UserPublic.model_validate(user)


@router.post("/auth/login")
def login(
    data: Login,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> LoginResult:
    client = request.client.host if request.client else "unknown"
    ttl = timedelta(hours=settings.session_ttl_hours)
    service = AuthService(session, request.app.state.login_throttle)
    user, token = service.login(data.username, data.password, client, ttl)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    return LoginResult(token=token, user=UserPublic.model_validate(user))


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, response: Response, session: SessionDep) -> None:
    token = token_from(request)
    if token:
        AuthService(session).logout(token)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.get("/me/tokens")
def list_tokens(user: CurrentUser, session: SessionDep) -> list[TokenPublic]:
    return [
        TokenPublic.model_validate(t) for t in AuthService(session).list_tokens(user)
    ]


@router.post("/me/tokens", status_code=status.HTTP_201_CREATED)
def create_token(
    data: TokenCreate, user: CurrentUser, session: SessionDep
) -> TokenCreated:
    token, secret = AuthService(session).create_token(user, data)
    return TokenCreated(**TokenPublic.model_validate(token).model_dump(), token=secret)


@router.delete("/me/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: int, user: CurrentUser, session: SessionDep) -> None:
    AuthService(session).revoke_token(user, token_id)
