"""HTTP route of the AI chat: streams Server-Sent Events."""

from __future__ import annotations

import os
from collections import ChainMap
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from lsp.ai.config import load_config
from server.ai.schemas import ChatRequest
from server.ai.service import ChatService
from server.files.access import ViewerAccess

router = APIRouter(prefix="/api/projects/{project_id}/ai", tags=["ai"])


def get_chat_service(request: Request) -> ChatService:
    """One service per app, configured from the app's `ai_*` settings."""
    service: ChatService | None = getattr(request.app.state, "ai_chat", None)
    if service is None:
        # The live environment first (as pydantic-settings ranks it above
        # `.env`), then the app's settings, which hold `.env` and defaults.
        settings = request.app.state.settings
        environ = ChainMap(dict(os.environ), settings.ai_environ())
        config = load_config(environ=environ)[0]
        service = request.app.state.ai_chat = ChatService(config)
    return service


ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]


@router.post("/chat", response_class=StreamingResponse)
async def chat(
    body: ChatRequest, access: ViewerAccess, service: ChatServiceDep
) -> StreamingResponse:
    service.start(access.username)
    return StreamingResponse(service.stream(body), media_type="text/event-stream")


@router.get("/stats")
async def stats(access: ViewerAccess, service: ChatServiceDep) -> dict[str, Any]:
    """AI chat metrics kept locally: counts and latency percentiles."""
    del access  # viewers of any project may read the process-wide numbers
    return service.stats()
