"""Bridge limits: connection slots per user and in total, and a request-rate bucket."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from server.core.config import Settings

# Close codes sent when a limit is hit (4xxx mirror the HTTP statuses).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_IDLE = 4408
CLOSE_TOO_MANY = 4429
CLOSE_TOO_BIG = 1009
CLOSE_POLICY = 1008
CLOSE_SERVER_ENDED = 1011
# Reasons sent with the access close codes (at the upgrade and on a recheck).
CLOSE_REASONS = {
    CLOSE_UNAUTHENTICATED: "unauthenticated: the token is invalid, expired or revoked",
    CLOSE_FORBIDDEN: "not a member of this project",
    CLOSE_NOT_FOUND: "no such project",
}


@dataclass(frozen=True)
class BridgeLimits:
    """The limits of one bridge, read from `Settings`."""

    max_message_bytes: int
    max_connections: int
    max_connections_per_user: int
    idle_timeout: float
    rate_per_second: float
    rate_burst: int
    max_pending: int = 2000  # outgoing messages queued for a client not reading
    # How often an open connection's token and role are checked again (a
    # revoked token or a removed member is closed; a demoted one loses edits).
    recheck_seconds: float = 5.0

    @classmethod
    def from_settings(cls, settings: Settings) -> BridgeLimits:
        return cls(
            max_message_bytes=settings.bridge_max_message_bytes,
            max_connections=settings.bridge_max_connections,
            max_connections_per_user=settings.bridge_max_connections_per_user,
            idle_timeout=settings.bridge_idle_timeout_seconds,
            rate_per_second=settings.bridge_rate_per_second,
            rate_burst=settings.bridge_rate_burst,
            recheck_seconds=settings.bridge_recheck_seconds,
        )


class ConnectionSlots:
    """Counts open connections; one instance per app (one event loop)."""

    def __init__(self, limits: BridgeLimits) -> None:
        self.limits = limits
        self.per_user: Counter[int] = Counter()

    @property
    def total(self) -> int:
        return sum(self.per_user.values())

    def acquire(self, user_id: int) -> str | None:
        """Take a slot for ``user_id``; the reason when none is free."""
        if self.total >= self.limits.max_connections:
            return "too many language-server connections on this server"
        if self.per_user[user_id] >= self.limits.max_connections_per_user:
            return "too many language-server connections for this user"
        self.per_user[user_id] += 1
        return None

    def release(self, user_id: int) -> None:
        self.per_user[user_id] -= 1
        if self.per_user[user_id] <= 0:
            del self.per_user[user_id]
