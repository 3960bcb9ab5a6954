"""DevSync's pygls protocol: per-message error replies and a safe ``exit``.

pygls drops a request whose params fail validation without answering it,
and its ``exit`` calls ``sys.exit``, which would end every session sharing
the process. ``dispatch`` and ``DevSyncProtocol`` fix both. pygls also logs
every JSON-RPC error a handler raises as an ERROR with a traceback, including
the routine ones of typing (a result dropped because the document changed, a
cancelled request); ``RoutineErrors`` keeps those at DEBUG.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator
from typing import Any

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcContentModified,
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcRequestCancelled,
)
from pygls.protocol import LanguageServerProtocol, lsp_method

log = logging.getLogger(__name__)


class RoutineErrors(logging.Filter):
    """Turns pygls's ERROR-with-traceback for ContentModified and
    RequestCancelled into a one-line DEBUG record (dropped unless DEBUG is on).
    The client still gets the JSON-RPC error."""

    ROUTINE = (JsonRpcContentModified, JsonRpcRequestCancelled)

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, self.ROUTINE):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        record.msg, record.args = "%s (%s)", (record.getMessage(), exc)
        record.exc_info = record.exc_text = None
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


PYGLS_RPC_LOGGER = "pygls.protocol.json_rpc"
logging.getLogger(PYGLS_RPC_LOGGER).addFilter(RoutineErrors())

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602


class DevSyncProtocol(LanguageServerProtocol):
    """LanguageServerProtocol whose ``exit`` calls ``on_exit`` instead of sys.exit."""

    on_exit: Callable[[int], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Requests already answered elsewhere (lsp.fastinit's initialize).
        self.suppress_ids: set[Any] = set()

    def _send_response(
        self, msg_id: Any, result: Any = None, error: Any = None
    ) -> None:
        if msg_id in self.suppress_ids:
            self.suppress_ids.discard(msg_id)
            return
        super()._send_response(msg_id, result, error)

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        """Stop this connection only; the transport decides what to do next."""
        if (user_handler := self.fm.features.get(types.EXIT)) is not None:
            yield user_handler, args, None
        code = 0 if self._shutdown else 1
        if self.on_exit is not None:
            self.on_exit(code)

    def send_error(self, msg_id: Any, code: int, message: str) -> None:
        """Send a JSON-RPC error response (``msg_id`` may be None)."""
        self._send_data(
            {
                "jsonrpc": "2.0",
                "id": msg_id,
                "error": {"code": code, "message": message},
            }
        )


def dispatch(protocol: DevSyncProtocol, body: bytes | str) -> None:
    """Handle one JSON-RPC message body; malformed ones get an error reply.

    Transports (stdio, TCP, the bridge's WebSocket) call this per message so
    one bad message never ends the session.
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        log.warning("unparsable message: %s", exc)
        protocol.send_error(None, PARSE_ERROR, f"Parse error: {exc}")
        return
    msg_id = data.get("id") if isinstance(data, dict) else None
    if not _valid_envelope(data):
        log.warning("invalid JSON-RPC message")
        protocol.send_error(msg_id, INVALID_REQUEST, "Invalid Request")
        return
    try:
        message = protocol.structure_message(data)
    except JsonRpcInvalidParams as exc:
        if "method" in data and "id" in data:
            protocol.send_error(msg_id, INVALID_PARAMS, f"Invalid params: {exc}")
        return
    except JsonRpcException as exc:
        if "method" in data and "id" in data:
            protocol.send_error(msg_id, exc.code, exc.message or "Internal error")
        return
    try:
        protocol.handle_message(message)
    except Exception:
        log.exception("failed to handle %s", data.get("method", "a response"))
        if "method" in data and "id" in data:
            protocol.send_error(msg_id, -32603, "Internal error")


def _valid_envelope(data: Any) -> bool:
    if not isinstance(data, dict) or data.get("jsonrpc") != "2.0":
        return False
    if "method" in data:
        ok_id = "id" not in data or isinstance(data["id"], int | str)
        params = data.get("params")
        ok_params = params is None or isinstance(params, dict | list)
        return isinstance(data["method"], str) and ok_id and ok_params
    return "id" in data and ("result" in data or "error" in data)
