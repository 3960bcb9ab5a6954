"""Awareness relay: current cursor/selection states per room, replayed to joiners.

The server keeps the latest state of every connected client, rewrites each
state's `user.name`/`user.color` from the authenticated user (a client cannot
claim to be someone else) and removes a connection's states when it leaves.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass

from server.collab.protocol import (
    AwarenessEntry,
    ProtocolError,
    awareness_message,
    encode_awareness,
    parse_awareness,
)

MAX_STATE_BYTES = 64 * 1024

_PALETTE = (
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#46a0a8",
    "#f032e6",
    "#9a6324",
    "#800000",
    "#000075",
)


def colour_for(user_id: int) -> str:
    """A stable colour per user, the same in every room."""
    return _PALETTE[user_id % len(_PALETTE)]


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is behind a connection, as the server knows it."""

    user_id: int
    name: str
    color: str


class AwarenessRelay:
    """The awareness states of one room, keyed by Yjs client id."""

    def __init__(self) -> None:
        self._entries: dict[int, AwarenessEntry] = {}
        self._owner: dict[int, Hashable] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def apply(
        self, owner: Hashable, identity: Identity, payload: bytes
    ) -> bytes | None:
        """Take an awareness update from `owner`; return the message to relay, if any.

        Entries for client ids owned by another connection, stale clocks and
        non-object states are ignored.
        """
        accepted: list[AwarenessEntry] = []
        for entry in parse_awareness(payload):
            holder = self._owner.get(entry.client_id)
            if holder is not None and holder != owner:
                continue
            current = self._entries.get(entry.client_id)
            if current is not None and entry.clock < current.clock:
                continue
            if entry.state == "null":
                self._entries.pop(entry.client_id, None)
                self._owner.pop(entry.client_id, None)
                accepted.append(entry)
                continue
            state = _stamp(entry.state, identity)
            stamped = AwarenessEntry(entry.client_id, entry.clock, state)
            self._entries[entry.client_id] = stamped
            self._owner[entry.client_id] = owner
            accepted.append(stamped)
        if not accepted:
            return None
        return awareness_message(encode_awareness(accepted))

    def apply_remote(self, payload: bytes) -> None:
        """Record states relayed (already stamped) by another instance."""
        for entry in parse_awareness(payload):
            current = self._entries.get(entry.client_id)
            if current is not None and entry.clock < current.clock:
                continue
            if entry.state == "null":
                self._entries.pop(entry.client_id, None)
                self._owner.pop(entry.client_id, None)
            else:
                self._entries[entry.client_id] = entry
                self._owner[entry.client_id] = "remote"

    def snapshot(self) -> bytes | None:
        """Every current state in one message, for a new joiner."""
        if not self._entries:
            return None
        return awareness_message(encode_awareness(list(self._entries.values())))

    def remove(self, owner: Hashable) -> bytes | None:
        """Forget `owner`'s states; return the removal message for the others."""
        gone = [cid for cid, held in self._owner.items() if held == owner]
        removed = []
        for client_id in gone:
            entry = self._entries.pop(client_id, None)
            del self._owner[client_id]
            clock = entry.clock + 1 if entry is not None else 0
            removed.append(AwarenessEntry(client_id, clock, "null"))
        if not removed:
            return None
        return awareness_message(encode_awareness(removed))


def _stamp(raw: str, identity: Identity) -> str:
    if len(raw) > MAX_STATE_BYTES:
        raise ProtocolError("awareness state too large")
    try:
        state = json.loads(raw)
    except ValueError as exc:
        raise ProtocolError("awareness state is not JSON") from exc
    if not isinstance(state, dict):
        raise ProtocolError("awareness state is not an object")
    user = state.get("user")
    user = dict(user) if isinstance(user, dict) else {}
    user.update(name=identity.name, color=identity.color, id=identity.user_id)
    state["user"] = user
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False)
