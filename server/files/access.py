"""Route dependencies for project-scoped work: role check, services, live hooks.

The role check (`ProjectService.require`) runs in a sync dependency, so in
FastAPI's threadpool; handlers then stay async to await the live-document
hooks and push git and disk work to a thread with `run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import anyio
from fastapi import Depends, Request

from server.core.paths import project_root
from server.deps import CurrentUser, SessionDep, SettingsDep
from server.files.live import LiveDocuments, NoLiveDocuments
from server.files.service import FilesService
from server.history.service import HistoryService
from server.projects.models import Role
from server.projects.service import ProjectService

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class ProjectAccess:
    """Who is acting on which project, with what role (already checked)."""

    project_id: int
    role: Role
    username: str
    display_name: str
    root: Path
    max_file_bytes: int

    def files(self) -> FilesService:
        return FilesService(self.root, self.max_file_bytes)

    def history(self) -> HistoryService:
        return HistoryService(self.root, self.max_file_bytes)


def _requiring(role: Role) -> Callable[..., ProjectAccess]:
    def dependency(
        project_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep
    ) -> ProjectAccess:
        _, actual = ProjectService(session, settings).require(user, project_id, role)
        return ProjectAccess(
            project_id=project_id,
            role=actual,
            username=user.username,
            display_name=user.display_name,
            root=project_root(settings, project_id),
            max_file_bytes=settings.max_file_bytes,
        )

    return dependency


def get_live_documents(request: Request) -> LiveDocuments:
    live: LiveDocuments = (
        getattr(request.app.state, "live_documents", None) or NoLiveDocuments()
    )
    return live


async def run(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking git or disk work in a worker thread."""

    def call() -> T:
        return func(*args, **kwargs)

    return await anyio.to_thread.run_sync(call)


ViewerAccess = Annotated[ProjectAccess, Depends(_requiring(Role.viewer))]
EditorAccess = Annotated[ProjectAccess, Depends(_requiring(Role.editor))]
LiveDep = Annotated[LiveDocuments, Depends(get_live_documents)]
