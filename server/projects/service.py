"""Project rules: who may do what; creating and deleting projects with their repos."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from server.auth.models import User
from server.auth.repository import UserRepository
from server.core.config import Settings
from server.core.errors import BadRequest, Forbidden, NotFound
from server.core.paths import project_root
from server.history.repo import create_repository, delete_repository
from server.projects.models import Project, Role
from server.projects.repository import ProjectRepository
from server.projects.schemas import MemberAdd, MemberPublic

log = logging.getLogger(__name__)


class ProjectService:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.projects = ProjectRepository(session)

    def require(self, user: User, project_id: int, role: Role) -> tuple[Project, Role]:
        """The project and the user's role in it, if it is at least `role`."""
        project = self.projects.get(project_id)
        if project is None:
            raise NotFound("no such project")
        actual = self.projects.role_of(project_id, user.id)
        if actual is None:
            raise Forbidden("you are not a member of this project")
        if not actual.at_least(role):
            raise Forbidden(f"this needs the {role.value} role; you are {actual.value}")
        return project, actual

    def create(
        self, user: User, name: str, files: dict[str, str] | None = None
    ) -> Project:
        project = self.projects.add(Project(name=name, owner_id=user.id))
        self.projects.set_member(project.id, user.id, Role.owner)
        root = project_root(self.settings, project.id)
        if root.exists():  # left over from a crashed earlier attempt with this id
            delete_repository(root)
        create_repository(
            root,
            files or {"README.md": f"# {name}\n"},
            user.display_name,
            user.username,
        )
        log.info("user %s created project %s (%s)", user.username, project.id, name)
        return project

    def list_for(self, user: User) -> list[tuple[Project, Role]]:
        return self.projects.of_user(user.id)

    def delete(self, user: User, project_id: int) -> None:
        project, _ = self.require(user, project_id, Role.owner)
        self.projects.delete(project)
        self.session.flush()
        delete_repository(project_root(self.settings, project_id))

    def members(self, user: User, project_id: int) -> list[MemberPublic]:
        self.require(user, project_id, Role.viewer)
        return [
            MemberPublic(
                user_id=u.id, username=u.username, display_name=u.display_name, role=r
            )
            for u, r in self.projects.members(project_id)
        ]

    def add_member(self, user: User, project_id: int, data: MemberAdd) -> MemberPublic:
        project, _ = self.require(user, project_id, Role.owner)
        other = UserRepository(self.session).by_username(data.username)
        if other is None:
            raise NotFound(f"no user named '{data.username}'")
        if other.id == project.owner_id and data.role != Role.owner:
            raise BadRequest("the project's owner cannot be demoted")
        self.projects.set_member(project_id, other.id, data.role)
        return MemberPublic(
            user_id=other.id,
            username=other.username,
            display_name=other.display_name,
            role=data.role,
        )

    def remove_member(self, user: User, project_id: int, user_id: int) -> None:
        project, _ = self.require(user, project_id, Role.owner)
        if user_id == project.owner_id:
            raise BadRequest("the project's owner cannot be removed")
        membership = self.projects.membership(project_id, user_id)
        if membership is None:
            raise NotFound("no such member")
        self.session.delete(membership)
