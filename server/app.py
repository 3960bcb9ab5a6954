"""`create_app(settings)`: the FastAPI app, built fresh for each server or test."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bridge.router import close_analysis_pool
from bridge.router import router as bridge_router
from server.ai.router import router as ai_router
from server.auth.router import router as auth_router
from server.auth.throttle import LoginThrottle
from server.collab.router import router as collab_router
from server.collab.service import CollabLiveDocuments, build_manager
from server.core.config import Settings
from server.core.db import Database
from server.core.errors import DomainError, TooManyRequests
from server.core.migrate import upgrade
from server.core.security import configure_password_hashing
from server.files.router import router as files_router
from server.history.router import router as history_router
from server.lib.router import router as lib_router
from server.projects.router import router as projects_router
from server.sessions.router import router as sessions_router

log = logging.getLogger(__name__)

# Every router, in one visible place.
ROUTERS = [
    auth_router,
    projects_router,
    files_router,
    history_router,
    sessions_router,
    collab_router,
    lib_router,
    ai_router,
    bridge_router,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = (settings or Settings()).prepare()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await asyncio.to_thread(close_analysis_pool, app)
        await app.state.collab.close()
        app.state.db.dispose()

    app = FastAPI(title="DevSync", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    upgrade(settings.resolved_database_url())
    app.state.db = Database(settings.resolved_database_url())
    app.state.login_throttle = LoginThrottle(
        settings.login_max_failures, settings.login_window_seconds
    )
    app.state.collab = build_manager(settings, app.state.db)
    app.state.live_documents = CollabLiveDocuments(app.state.collab, app.state.db)
    configure_password_hashing(
        settings.password_hash_memory_kib, settings.password_hash_time_cost
    )
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        headers = (
            {"Retry-After": str(exc.retry_after)}
            if isinstance(exc, TooManyRequests)
            else None
        )
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=headers
        )

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    mount_webclient(app)
    return app


def mount_webclient(app: FastAPI) -> None:
    """Serve the built web client at `/` when it exists (`make install` builds it)."""
    from server.webclient import mount

    mount(app, Path(__file__).resolve().parent.parent / "webclient" / "dist")


class BodyLimit:
    """Answers 413 for request bodies larger than `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if (
            declared is not None
            and declared.isdigit()
            and int(declared) > self.max_bytes
        ):
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send, self.max_bytes)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = b'{"detail":"request body larger than %d bytes"}' % limit
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
