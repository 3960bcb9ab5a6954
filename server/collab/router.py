"""`WS /collab/{project_id}/{path}`: the y-websocket endpoint.

Authentication happens at the upgrade (session cookie, bearer header or
`?token=`); the socket is accepted and then closed with 4401/4403/4404 so
browsers can tell the reasons apart, instead of a bare HTTP error.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, WebSocket

from server.collab.hooks import AuthenticatePayload
from server.collab.manager import RoomManager
from server.collab.peer import Peer
from server.collab.protocol import CloseCode
from server.collab.service import authorise
from server.collab.store import DocKey
from server.collab.transport import WebSocketTransport
from server.core.db import Database
from server.core.errors import BadRequest, DomainError, Forbidden, NotFound
from server.core.paths import normalise
from server.deps import SESSION_COOKIE
from server.projects.models import Role

log = logging.getLogger(__name__)
router = APIRouter()

_CODES = {401: CloseCode.UNAUTHENTICATED, 403: CloseCode.FORBIDDEN}


def _token(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return websocket.query_params.get("token") or websocket.cookies.get(SESSION_COOKIE)


@router.websocket("/collab/{project_id}/{path:path}")
async def collab(websocket: WebSocket, project_id: int, path: str) -> None:
    db: Database = websocket.app.state.db
    rooms: RoomManager = websocket.app.state.collab
    await websocket.accept()
    try:
        rel = normalise(path)
        access = await asyncio.to_thread(authorise, db, _token(websocket), project_id)
    except BadRequest as exc:
        await websocket.close(CloseCode.NOT_FOUND, exc.detail[:120])
        return
    except DomainError as exc:
        code = _CODES.get(exc.status_code, CloseCode.NOT_FOUND)
        await websocket.close(code, exc.detail[:120])
        return
    key = DocKey(project_id, rel)
    payload = AuthenticatePayload(
        key, access.identity.user_id, access.role.value, access.session_id
    )
    rooms.hooks.run("on_authenticate", payload)
    peer = Peer(
        WebSocketTransport(websocket),
        access.identity,
        can_write=access.role.at_least(Role.editor),
        session_id=access.session_id,
        token_hash=access.token_hash,
        limits=rooms.config.peer_limits,
    )
    try:
        await rooms.serve(key, peer)
    except (NotFound, Forbidden, BadRequest) as exc:
        await peer.transport.close(CloseCode.NOT_FOUND, exc.detail)
