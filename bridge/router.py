"""`WS /lsp/{project_id}`: authenticate at the upgrade, then run one `Connection`.

The token comes from the `devsync_session` cookie, `?token=` or a bearer
header. Failures accept and close at once: 4401 unauthenticated, 4403 not a
member, 4404 no such project, 4429 too many connections.
"""

from __future__ import annotations

import contextlib
import logging

from fastapi import APIRouter, WebSocket
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect

from bridge import limits
from bridge.connection import Backend, Connection
from bridge.uris import UriMap
from server.auth.service import AuthService
from server.core.config import Settings
from server.core.db import Database
from server.core.errors import Forbidden, NotFound
from server.core.paths import project_root
from server.deps import SESSION_COOKIE
from server.lib.router import library_roots
from server.projects.models import Role
from server.projects.service import ProjectService

log = logging.getLogger(__name__)
router = APIRouter(tags=["lsp"])


class WebSocketTransport:
    """`bridge.connection.Transport` over an accepted FastAPI WebSocket."""

    def __init__(self, websocket: WebSocket) -> None:
        self.ws = websocket

    async def recv(self) -> str | bytes | None:
        try:
            event = await self.ws.receive()
        except (RuntimeError, OSError, WebSocketDisconnect):
            return None
        if event["type"] == "websocket.disconnect":
            return None
        text = event.get("text")
        return text if text is not None else bytes(event.get("bytes") or b"")

    async def send(self, text: str) -> None:
        await self.ws.send_text(text)

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            await self.ws.close(code=code, reason=reason[:120])


def authorize(
    db: Database, settings: Settings, token: str, project: str
) -> tuple[int, Role] | int:
    """(user id, role) for a member, else the close code. Blocking: DB access."""
    with db.session() as session:
        user = AuthService(session).user_for_token(token) if token else None
        if user is None:
            return limits.CLOSE_UNAUTHENTICATED
        if not project.isdigit() or len(project) > 18:
            return limits.CLOSE_NOT_FOUND
        try:
            _, role = ProjectService(session, settings).require(
                user, int(project), Role.viewer
            )
        except NotFound:
            return limits.CLOSE_NOT_FOUND
        except Forbidden:
            return limits.CLOSE_FORBIDDEN
        return user.id, role


def token_of(websocket: WebSocket) -> str:
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return websocket.cookies.get(SESSION_COOKIE) or websocket.query_params.get(
        "token", ""
    )


def backend_for(settings: Settings, project_id: int) -> Backend:
    """Proxy mode when a command is configured, else DevSync's own server."""
    root = project_root(settings, project_id)
    if settings.bridge_command:
        from bridge.process import ProcessBackend

        return ProcessBackend(
            settings.bridge_command, root, settings.bridge_max_message_bytes
        )
    from bridge.inprocess import InProcessBackend

    return InProcessBackend()


@router.websocket("/lsp/{project_id}")
async def lsp_socket(websocket: WebSocket, project_id: str) -> None:
    app = websocket.app
    settings: Settings = app.state.settings
    outcome = await run_in_threadpool(
        authorize, app.state.db, settings, token_of(websocket), project_id
    )
    await websocket.accept()
    transport = WebSocketTransport(websocket)
    if isinstance(outcome, int):
        return await transport.close(
            outcome,
            "unauthenticated"
            if outcome == 4401
            else "forbidden"
            if outcome == 4403
            else "no such project",
        )
    user_id, role = outcome
    config = limits.BridgeLimits.from_settings(settings)
    slots: limits.ConnectionSlots = getattr(
        app.state, "bridge_slots", None
    ) or limits.ConnectionSlots(config)
    app.state.bridge_slots = slots
    if (why := slots.acquire(user_id)) is not None:
        return await transport.close(limits.CLOSE_TOO_MANY, why)
    try:
        pid = int(project_id)
        umap = UriMap(project_root(settings, pid), library_roots(app))
        await Connection(
            transport, backend_for(settings, pid), umap, role, config
        ).run()
    finally:
        slots.release(user_id)
