"""Request and response bodies of the project routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from server.projects.models import Role


class ProjectCreate(BaseModel):
    name: str = Field(min_length=1, max_length=128)


class ProjectPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    owner_id: int
    created_at: datetime
    role: Role | None = None


class MemberAdd(BaseModel):
    username: str = Field(max_length=64)
    role: Role


class MemberPublic(BaseModel):
    user_id: int
    username: str
    display_name: str
    role: Role
