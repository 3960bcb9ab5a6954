"""Room hooks, hocuspocus-style: each hook takes one payload object.

Hooks run on the event loop and must not block; exceptions are logged and
never reach the room's hot path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.collab.peer import Peer
    from server.collab.store import DocKey

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AuthenticatePayload:
    """A connection has been authenticated and authorised for `key`."""

    key: DocKey
    user_id: int
    role: str
    session_id: int | None


@dataclass(frozen=True, slots=True)
class JoinPayload:
    key: DocKey
    peer: Peer


@dataclass(frozen=True, slots=True)
class BroadcastPayload:
    """A stored batch about to be sent: `messages` are ready-encoded frames."""

    key: DocKey
    messages: list[bytes]


@dataclass(frozen=True, slots=True)
class StorePayload:
    """A batch of updates is durable; `editors` are the users who made them."""

    key: DocKey
    updates: list[bytes]
    editors: set[int]


@dataclass
class Hooks:
    """Registered callbacks per hook name."""

    on_authenticate: list[Callable[[AuthenticatePayload], Any]] = field(
        default_factory=list
    )
    on_join: list[Callable[[JoinPayload], Any]] = field(default_factory=list)
    before_broadcast: list[Callable[[BroadcastPayload], Any]] = field(
        default_factory=list
    )
    after_store: list[Callable[[StorePayload], Any]] = field(default_factory=list)

    def run(self, name: str, payload: object) -> None:
        for callback in getattr(self, name):
            try:
                callback(payload)
            except Exception:
                log.exception("hook %s failed", name)
