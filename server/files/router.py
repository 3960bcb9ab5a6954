"""HTTP routes of project files: tree, read (working tree or `?ref=`), write,
delete, move. Bodies of reads and writes are raw UTF-8 text; a file that is
not UTF-8 is answered with 415 and a JSON detail saying it is binary."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import PlainTextResponse

from server.core.paths import normalise
from server.files.access import EditorAccess, LiveDep, ViewerAccess, run
from server.files.schemas import FileMove, FileMoved, FileWritten, TreePublic
from server.files.service import decode_text

router = APIRouter(prefix="/api/projects/{project_id}", tags=["files"])
TEXT = "text/plain; charset=utf-8"
TEXT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {TEXT: {}}, "description": "The file's text."},
    415: {"description": "The file is binary (not UTF-8 text)."},
}


@router.get("/tree")
async def tree(access: ViewerAccess, ref: str | None = None) -> TreePublic:
    if ref is None:
        return TreePublic(ref=None, entries=await run(access.files().tree))
    return TreePublic(ref=ref, entries=await run(access.history().tree_at, ref))


@router.get(
    "/files/{path:path}", response_class=PlainTextResponse, responses=TEXT_RESPONSES
)
async def read_file(
    path: str, access: ViewerAccess, ref: str | None = None
) -> Response:
    if ref is None:
        text = await run(access.files().read_text, path)
    else:
        _, data = await run(access.history().read_at, ref, path)
        text = decode_text(data, normalise(path))
    return PlainTextResponse(text, media_type=TEXT)


@router.put("/files/{path:path}", status_code=status.HTTP_200_OK)
async def write_file(
    path: str, request: Request, response: Response, access: EditorAccess, live: LiveDep
) -> FileWritten:
    """Create (201) or replace (200) a file; the body is the raw text."""
    path = normalise(path)
    body = await request.body()
    text = decode_text(body)
    created = await run(access.files().write_bytes, path, body)
    taken = await live.apply_text(access.project_id, path, text)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return FileWritten(path=path, size=len(body), created=created, live=taken)


@router.delete("/files/{path:path}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_file(path: str, access: EditorAccess, live: LiveDep) -> None:
    path = normalise(path)
    await run(access.files().delete, path)
    await live.removed(access.project_id, path)


@router.post("/files/{path:path}:move")
async def move_file(
    path: str, data: FileMove, access: EditorAccess, live: LiveDep
) -> FileMoved:
    path = normalise(path)
    to = await run(access.files().move, path, data.to)
    await live.moved(access.project_id, path, to)
    return FileMoved(path=path, to=to)
