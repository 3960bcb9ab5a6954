"""HTTP routes of project history: commit, log, show, diff, restore."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import PlainTextResponse

from server.core.paths import normalise
from server.files.access import EditorAccess, LiveDep, ViewerAccess, run
from server.history.schemas import (
    CommitCreate,
    CommitDetail,
    CommitPage,
    CommitPublic,
    Restored,
    RestoreRequest,
)

router = APIRouter(prefix="/api/projects/{project_id}", tags=["history"])
TEXT = "text/plain; charset=utf-8"


@router.post("/commits", status_code=status.HTTP_201_CREATED)
async def create_commit(
    data: CommitCreate, access: EditorAccess, live: LiveDep
) -> CommitPublic:
    """Flush live documents, then commit as the signed-in user (409: no changes)."""
    await live.flush(access.project_id, data.paths)
    trailers = await live.commit_trailers(access.project_id, access.username)
    commit = await run(
        access.history().commit,
        data.message,
        access.display_name,
        access.username,
        data.paths,
        trailers,
    )
    await live.committed(access.project_id, commit.sha)
    return commit


@router.get("/commits")
async def list_commits(
    access: ViewerAccess,
    path: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> CommitPage:
    return await run(access.history().log, path, limit, cursor)


@router.get("/commits/{sha}")
async def show_commit(sha: str, access: ViewerAccess) -> CommitDetail:
    return await run(access.history().show, sha)


@router.get(
    "/commits/{sha}/diff",
    response_class=PlainTextResponse,
    responses={200: {"content": {TEXT: {}}, "description": "A unified diff."}},
)
async def commit_diff(
    sha: str, access: ViewerAccess, path: str | None = None
) -> Response:
    return PlainTextResponse(
        await run(access.history().diff, sha, path), media_type=TEXT
    )


@router.post("/restore")
async def restore(
    data: RestoreRequest, access: EditorAccess, live: LiveDep
) -> Restored:
    """Write `path` as it was at `ref` into the working tree and any open document."""
    path = normalise(data.path)
    sha, content = await run(access.history().read_at, data.ref, path)
    await run(access.files().write_bytes, path, content)
    try:
        text: str | None = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    taken = text is not None and await live.apply_text(access.project_id, path, text)
    return Restored(
        path=path, sha=sha, size=len(content), binary=text is None, live=taken
    )
