"""Queries of the projects domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.models import User
from server.projects.models import Membership, Project, Role


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, project_id: int) -> Project | None:
        return self.session.get(Project, project_id)

    def role_of(self, project_id: int, user_id: int) -> Role | None:
        query = select(Membership.role).where(
            Membership.project_id == project_id, Membership.user_id == user_id
        )
        return self.session.scalar(query)

    def of_user(self, user_id: int) -> list[tuple[Project, Role]]:
        query = (
            select(Project, Membership.role)
            .join(Membership, Membership.project_id == Project.id)
            .where(Membership.user_id == user_id)
            .order_by(Project.id)
        )
        return [(p, r) for p, r in self.session.execute(query)]

    def members(self, project_id: int) -> list[tuple[User, Role]]:
        query = (
            select(User, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.project_id == project_id)
            .order_by(User.id)
        )
        return [(u, r) for u, r in self.session.execute(query)]

    def membership(self, project_id: int, user_id: int) -> Membership | None:
        return self.session.scalar(
            select(Membership).where(
                Membership.project_id == project_id, Membership.user_id == user_id
            )
        )

    def add(self, project: Project) -> Project:
        self.session.add(project)
        self.session.flush()
        return project

    def set_member(self, project_id: int, user_id: int, role: Role) -> None:
        existing = self.membership(project_id, user_id)
        if existing is None:
            self.session.add(
                Membership(project_id=project_id, user_id=user_id, role=role)
            )
        else:
            existing.role = role
        self.session.flush()

    def delete(self, project: Project) -> None:
        self.session.delete(project)
        self.session.flush()
