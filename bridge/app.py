"""`devsync bridge`: the `/lsp` bridge (and library sources) as its own server.

It shares the data directory and database with `devsync serve`, so the same
tokens and memberships apply; use it to run language servers on another
machine or to put a stdio language server (`--command "ruff server"`) online.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from bridge.router import close_analysis_pool
from bridge.router import router as bridge_router
from server.core.config import Settings
from server.core.db import Database
from server.core.migrate import upgrade
from server.lib.router import router as lib_router


def create_bridge_app(settings: Settings) -> FastAPI:
    """A FastAPI app with only `WS /lsp/{id}`, the library route and `/healthz`."""
    settings = settings.prepare()
    upgrade(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await asyncio.to_thread(close_analysis_pool, app)

    app = FastAPI(title="DevSync bridge", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.db = Database(settings.resolved_database_url())
    app.include_router(bridge_router)
    app.include_router(lib_router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def run(
    host: str | None, port: int | None, data_dir: str | None, command: str | None
) -> int:
    """Serve the bridge with uvicorn until interrupted."""
    import uvicorn

    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = Path(data_dir)
    if command is not None:
        overrides["bridge_command"] = shlex.split(command)
    settings = Settings(**overrides)  # type: ignore[arg-type]
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = create_bridge_app(settings)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port if port is not None else settings.port + 1,
        log_level=settings.log_level.lower(),
        ws_per_message_deflate=False,
    )
    return 0
