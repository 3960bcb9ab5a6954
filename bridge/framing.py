"""JSON-RPC framing: WebSocket text frames in, Content-Length frames for stdio servers.

One WebSocket text frame carries exactly one JSON-RPC message (the
vscode-ws-jsonrpc convention). Anything else is answered with a JSON-RPC
error and the connection stays up.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
# LSP's "RequestFailed": the request was understood but refused.
REQUEST_FAILED = -32803

_HEADER_END = b"\r\n\r\n"
_MAX_HEADER_BYTES = 4096


class FrameError(Exception):
    """A frame that is not one valid JSON-RPC message."""

    def __init__(self, code: int, message: str, msg_id: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.msg_id = msg_id


def error_response(msg_id: Any, code: int, message: str) -> str:
    """A JSON-RPC error response as frame text."""
    body = {"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}}
    return json.dumps(body)


def parse_frame(frame: str | bytes) -> dict[str, Any]:
    """The JSON-RPC message in one text frame; raises FrameError otherwise."""
    if isinstance(frame, bytes):
        raise FrameError(INVALID_REQUEST, "binary frames are not supported: send text")
    try:
        data = json.loads(frame)
    except ValueError as exc:
        raise FrameError(PARSE_ERROR, f"Parse error: {exc}") from None
    if not isinstance(data, dict):
        raise FrameError(INVALID_REQUEST, "Invalid Request: expected one JSON object")
    msg_id = data.get("id")
    if not isinstance(msg_id, int | str | None) or isinstance(msg_id, bool):
        raise FrameError(INVALID_REQUEST, "Invalid Request: bad id")
    if data.get("jsonrpc") != "2.0":
        raise FrameError(
            INVALID_REQUEST, 'Invalid Request: "jsonrpc" must be "2.0"', msg_id
        )
    if "method" in data:
        params = data.get("params")
        if not isinstance(data["method"], str) or not isinstance(
            params, dict | list | None
        ):
            raise FrameError(
                INVALID_REQUEST, "Invalid Request: bad method or params", msg_id
            )
    elif "id" not in data or ("result" not in data and "error" not in data):
        raise FrameError(
            INVALID_REQUEST, "Invalid Request: neither call nor response", msg_id
        )
    return data


def is_request(message: dict[str, Any]) -> bool:
    """True for a call that expects an answer."""
    return "method" in message and "id" in message


def encode_content_length(text: str) -> bytes:
    """One message framed for a stdio language server."""
    body = text.encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


async def read_content_length(
    reader: asyncio.StreamReader, max_bytes: int
) -> str | None:
    """The next Content-Length framed message, or None at end of stream.

    Raises ValueError for a malformed header or a body above ``max_bytes``.
    """
    try:
        header = await reader.readuntil(_HEADER_END)
    except asyncio.IncompleteReadError:
        return None
    except asyncio.LimitOverrunError:
        raise ValueError("header too long") from None
    if len(header) > _MAX_HEADER_BYTES:
        raise ValueError("header too long")
    length = -1
    for line in header.decode("ascii", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length" and value.strip().isdigit():
            length = int(value.strip())
    if length < 0:
        raise ValueError("missing Content-Length")
    if length > max_bytes:
        raise ValueError(f"message of {length} bytes is over the limit")
    try:
        body = await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        return None
    return body.decode("utf-8", "replace")
