"""HTTP routes of collaboration sessions."""

from __future__ import annotations

from anyio import from_thread
from fastapi import APIRouter, Request, status

from server.collab.protocol import CloseCode
from server.deps import CurrentUser, SessionDep, SettingsDep
from server.sessions.schemas import (
    ParticipantPublic,
    SessionCreate,
    SessionCreated,
    SessionJoin,
    SessionJoined,
    SessionPublic,
)
from server.sessions.service import SessionService

router = APIRouter(tags=["sessions"])
ENDED = "the session was ended by the project owner"


@router.post("/api/projects/{project_id}/sessions", status_code=status.HTTP_201_CREATED)
def create_session(
    project_id: int,
    data: SessionCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> SessionCreated:
    service = SessionService(session, settings)
    created, token = service.create(user, project_id, data.role)
    return SessionCreated(
        id=created.id,
        invite_token=token,
        invite_url=service.invite_url(token),
        role=created.role,
        invite_expires_at=created.invite_expires_at,
    )


@router.get("/api/projects/{project_id}/sessions")
def list_sessions(
    project_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> list[SessionPublic]:
    found = SessionService(session, settings).of_project(user, project_id)
    return [SessionPublic.model_validate(s, from_attributes=True) for s in found]


@router.post("/api/sessions/join")
def join_session(
    data: SessionJoin, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> SessionJoined:
    return SessionService(session, settings).join(user, data.invite_token)


@router.get("/api/projects/{project_id}/sessions/{session_id}/participants")
def participants(
    project_id: int,
    session_id: int,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> list[ParticipantPublic]:
    rows = SessionService(session, settings).participants(user, project_id, session_id)
    rooms = request.app.state.collab
    online = from_thread.run_sync(rooms.online_users, project_id)
    return [
        ParticipantPublic(
            user_id=member.id,
            username=member.username,
            display_name=member.display_name,
            role=role,
            joined_at=part.joined_at,
            online=member.id in online,
        )
        for part, member, role in rows
    ]


@router.delete(
    "/api/projects/{project_id}/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
)
def end_session(
    project_id: int,
    session_id: int,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> None:
    SessionService(session, settings).end(user, project_id, session_id)
    session.commit()  # roles are gone before the clients can reconnect
    rooms = request.app.state.collab
    from_thread.run_sync(rooms.kick_session, session_id, ENDED, CloseCode.SESSION_ENDED)


@router.delete(
    "/api/projects/{project_id}/sessions/{session_id}/invite",
    status_code=status.HTTP_204_NO_CONTENT,
)
def revoke_invite(
    project_id: int,
    session_id: int,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> None:
    SessionService(session, settings).revoke_invite(user, project_id, session_id)
