"""HTTP route of read-only library sources (targets of `devsync-lib:///` URIs)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from starlette.types import ASGIApp

from server.deps import CurrentUser, SessionDep, SettingsDep
from server.lib.service import LibraryRoots, read_library_file
from server.projects.models import Role
from server.projects.service import ProjectService

router = APIRouter(prefix="/api", tags=["lib"])


def library_roots(app: ASGIApp) -> LibraryRoots:
    """The app's library roots, computed once per app (the bridge shares them)."""
    state = app.state  # type: ignore[attr-defined]
    roots: LibraryRoots | None = getattr(state, "library_roots", None)
    if roots is None:
        roots = LibraryRoots.of_interpreter(exclude=state.settings.data_dir)
        state.library_roots = roots
    return roots


@router.get("/projects/{project_id}/lib/{path:path}", response_class=PlainTextResponse)
def library_file(
    project_id: int,
    path: str,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> PlainTextResponse:
    ProjectService(session, settings).require(user, project_id, Role.viewer)
    text = read_library_file(library_roots(request.app), path)
    return PlainTextResponse(text)
