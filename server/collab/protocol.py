"""The y-websocket wire format: strict parsing of client frames, encoding of replies.

Every message catalogued here is the standard one (`y-protocols` sync, awareness
and auth), so any Yjs client speaks it. Parsing never trusts lengths: a
truncated or malformed frame raises `ProtocolError` instead of reading garbage.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from pycrdt import create_awareness_message, create_update_message, write_var_uint

MSG_SYNC = 0
MSG_AWARENESS = 1
MSG_AUTH = 2
MSG_QUERY_AWARENESS = 3

SYNC_STEP1 = 0
SYNC_STEP2 = 1
SYNC_UPDATE = 2

AUTH_PERMISSION_DENIED = 0

# An update that changes nothing (no structs, empty delete set).
EMPTY_UPDATE = b"\x00\x00"


class CloseCode(IntEnum):
    """WebSocket close codes the collaboration endpoint uses."""

    NORMAL = 1000
    GOING_AWAY = 1001
    INVALID_PAYLOAD = 1007
    MESSAGE_TOO_BIG = 1009
    UNAUTHENTICATED = 4401
    FORBIDDEN = 4403
    NOT_FOUND = 4404
    SLOW_CONSUMER = 4408
    SESSION_ENDED = 4410
    RATE_LIMITED = 4429
    ROOM_FULL = 4503


class ProtocolError(ValueError):
    """A frame that does not follow the y-websocket protocol."""


@dataclass(frozen=True, slots=True)
class Message:
    """One parsed client frame. `sync_type` is set only for sync messages."""

    type: int
    payload: bytes
    sync_type: int = -1


def _read_var_uint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    shift = 0
    while True:
        if pos >= len(data):
            raise ProtocolError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ProtocolError("varint too long")


def _read_bytes(data: bytes, pos: int) -> tuple[bytes, int]:
    length, pos = _read_var_uint(data, pos)
    end = pos + length
    if end > len(data):
        raise ProtocolError("truncated payload")
    return data[pos:end], end


def parse(frame: bytes) -> Message:
    """Parse one binary frame from a client."""
    msg_type, pos = _read_var_uint(frame, 0)
    if msg_type == MSG_SYNC:
        sync_type, pos = _read_var_uint(frame, pos)
        if sync_type not in (SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE):
            raise ProtocolError(f"unknown sync message type {sync_type}")
        payload, _ = _read_bytes(frame, pos)
        return Message(MSG_SYNC, payload, sync_type)
    if msg_type == MSG_AWARENESS:
        payload, _ = _read_bytes(frame, pos)
        return Message(MSG_AWARENESS, payload)
    return Message(msg_type, frame[pos:])


def sync_step1(state_vector: bytes) -> bytes:
    return (
        bytes([MSG_SYNC, SYNC_STEP1]) + write_var_uint(len(state_vector)) + state_vector
    )


def sync_step2(update: bytes) -> bytes:
    return bytes([MSG_SYNC, SYNC_STEP2]) + write_var_uint(len(update)) + update


def update_message(update: bytes) -> bytes:
    return create_update_message(update)


def awareness_message(awareness_update: bytes) -> bytes:
    return create_awareness_message(awareness_update)


def permission_denied(reason: str) -> bytes:
    """y-websocket's auth message: clients report `reason` as permission denied."""
    text = reason.encode()
    return bytes([MSG_AUTH, AUTH_PERMISSION_DENIED]) + write_var_uint(len(text)) + text


@dataclass(frozen=True, slots=True)
class AwarenessEntry:
    """One client's state in an awareness update; `state` is JSON text or "null"."""

    client_id: int
    clock: int
    state: str


def parse_awareness(update: bytes) -> list[AwarenessEntry]:
    """Decode the payload of an awareness message."""
    count, pos = _read_var_uint(update, 0)
    if count > 10_000:
        raise ProtocolError("too many awareness entries")
    entries = []
    for _ in range(count):
        client_id, pos = _read_var_uint(update, pos)
        clock, pos = _read_var_uint(update, pos)
        raw, pos = _read_bytes(update, pos)
        try:
            state = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError("awareness state is not UTF-8") from exc
        entries.append(AwarenessEntry(client_id, clock, state))
    return entries


def encode_awareness(entries: list[AwarenessEntry]) -> bytes:
    """Encode the payload of an awareness message."""
    parts = [write_var_uint(len(entries))]
    for entry in entries:
        state = entry.state.encode()
        parts += [
            write_var_uint(entry.client_id),
            write_var_uint(entry.clock),
            write_var_uint(len(state)),
            state,
        ]
    return b"".join(parts)
