"""`WS /lsp/{project_id}`: authenticate at the upgrade, then run one `Connection`.

Failures accept and close at once: 4401 unauthenticated, 4403 not a member,
4404 no such project, 4429 too many connections (see `bridge.limits`).
"""

from __future__ import annotations

from fastapi import APIRouter, WebSocket
from starlette.concurrency import run_in_threadpool

from bridge import limits
from bridge.auth import authorize, token_of
from bridge.backend import backend_for
from bridge.connection import Connection
from bridge.transport import WebSocketTransport
from bridge.uris import UriMap
from lsp.analysis import AnalysisPool
from server.core.config import Settings
from server.core.paths import project_root
from server.lib.router import library_roots
from server.projects.models import Role

router = APIRouter(tags=["lsp"])


def connection_slots(
    app: object, config: limits.BridgeLimits
) -> limits.ConnectionSlots:
    """The app's one slot counter, made on first use."""
    state = app.state  # type: ignore[attr-defined]
    slots: limits.ConnectionSlots | None = getattr(state, "bridge_slots", None)
    if slots is None:
        slots = state.bridge_slots = limits.ConnectionSlots(config)
    return slots


def analysis_pool(app: object, settings: Settings) -> AnalysisPool | None:
    """The app's analysis pool for in-process servers, made on first use
    (its processes start with the first jedi request); None when disabled."""
    size = settings.bridge_analysis_processes
    if size < 1 or settings.bridge_command:
        return None
    state = app.state  # type: ignore[attr-defined]
    pool: AnalysisPool | None = getattr(state, "analysis_pool", None)
    if pool is None:
        pool = state.analysis_pool = AnalysisPool(
            size, settings.bridge_analysis_timeout_seconds
        )
    return pool


def close_analysis_pool(app: object) -> None:
    """Stop the app's analysis workers (at shutdown)."""
    state = app.state  # type: ignore[attr-defined]
    pool: AnalysisPool | None = getattr(state, "analysis_pool", None)
    if pool is not None:
        state.analysis_pool = None
        pool.close()


@router.websocket("/lsp/{project_id}")
async def lsp_socket(websocket: WebSocket, project_id: str) -> None:
    app = websocket.app
    settings: Settings = app.state.settings
    token = token_of(websocket)
    outcome = await run_in_threadpool(
        authorize, app.state.db, settings, token, project_id
    )
    await websocket.accept()
    transport = WebSocketTransport(websocket)
    if isinstance(outcome, int):
        return await transport.close(outcome, limits.CLOSE_REASONS[outcome])
    user_id, role = outcome
    config = limits.BridgeLimits.from_settings(settings)
    slots = connection_slots(app, config)
    if (why := slots.acquire(user_id)) is not None:
        return await transport.close(limits.CLOSE_TOO_MANY, why)
    try:
        pid = int(project_id)
        umap = UriMap(project_root(settings, pid), library_roots(app))
        backend = backend_for(settings, pid, analysis_pool(app, settings))
        db = app.state.db

        async def recheck() -> tuple[int, Role] | int:
            return await run_in_threadpool(authorize, db, settings, token, project_id)

        await Connection(transport, backend, umap, role, config, recheck).run()
    finally:
        slots.release(user_id)
