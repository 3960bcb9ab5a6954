"""HTTP routes of the projects domain."""

from __future__ import annotations

from fastapi import APIRouter, status

from server.deps import CurrentUser, SessionDep, SettingsDep
from server.projects.models import Role
from server.projects.schemas import (
    MemberAdd,
    MemberPublic,
    ProjectCreate,
    ProjectPublic,
)
from server.projects.service import ProjectService

router = APIRouter(prefix="/api/projects", tags=["projects"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_project(
    data: ProjectCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> ProjectPublic:
    project = ProjectService(session, settings).create(user, data.name)
    return ProjectPublic.model_validate(project).model_copy(update={"role": Role.owner})


@router.get("")
def list_projects(
    user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> list[ProjectPublic]:
    return [
        ProjectPublic.model_validate(p).model_copy(update={"role": r})
        for p, r in ProjectService(session, settings).list_for(user)
    ]


@router.get("/{project_id}")
def get_project(
    project_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> ProjectPublic:
    project, role = ProjectService(session, settings).require(
        user, project_id, Role.viewer
    )
    return ProjectPublic.model_validate(project).model_copy(update={"role": role})


@router.delete("/{project_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_project(
    project_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> None:
    ProjectService(session, settings).delete(user, project_id)


@router.get("/{project_id}/members")
def list_members(
    project_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> list[MemberPublic]:
    return ProjectService(session, settings).members(user, project_id)


@router.post("/{project_id}/members", status_code=status.HTTP_201_CREATED)
def add_member(
    project_id: int,
    data: MemberAdd,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> MemberPublic:
    return ProjectService(session, settings).add_member(user, project_id, data)


@router.delete(
    "/{project_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT
)
def remove_member(
    project_id: int,
    user_id: int,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> None:
    ProjectService(session, settings).remove_member(user, project_id, user_id)
