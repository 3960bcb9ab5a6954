"""Request and response bodies of the session routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from server.projects.models import Role


class SessionCreate(BaseModel):
    role: Role = Role.editor


class SessionCreated(BaseModel):
    id: int
    invite_token: str
    invite_url: str
    role: Role
    invite_expires_at: datetime


class SessionPublic(BaseModel):
    id: int
    project_id: int
    role: Role
    created_at: datetime
    invite_expires_at: datetime
    invite_revoked: bool
    ended_at: datetime | None


class SessionJoin(BaseModel):
    invite_token: str = Field(min_length=1, max_length=256)


class SessionJoined(BaseModel):
    session_id: int
    project_id: int
    role: Role


class ParticipantPublic(BaseModel):
    user_id: int
    username: str
    display_name: str
    role: Role
    joined_at: datetime
    online: bool
