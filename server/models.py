"""Every table, imported in one place so Alembic and `create_all` see them all."""

from server.auth.models import ApiToken, User
from server.core.db import Base
from server.projects.models import Membership, Project

__all__ = ["ApiToken", "Base", "Membership", "Project", "User"]
