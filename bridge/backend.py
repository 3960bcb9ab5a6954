"""The language-server side of a connection: a `Protocol` with two
implementations, DevSync's own server in-process or any stdio server (proxy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from server.core.config import Settings
from server.core.paths import project_root

if TYPE_CHECKING:
    from lsp.analysis import AnalysisPool

Emit = Callable[[str], None]
End = Callable[[int, str], None]


class Backend(Protocol):
    """One language server serving one connection."""

    async def start(self, emit: Emit, end: End) -> None:
        """Start; ``emit`` takes each outgoing message, ``end`` stops the bridge."""
        ...

    async def deliver(self, text: str) -> None:
        """Hand one checked JSON-RPC message to the server."""
        ...

    async def close(self) -> None:
        """Free everything the backend holds (tasks, threads, the process)."""
        ...


def backend_for(
    settings: Settings, project_id: int, pool: AnalysisPool | None = None
) -> Backend:
    """Proxy mode when `bridge_command` is set, else DevSync's own server
    (its jedi work in ``pool`` when given, else on the jedi thread)."""
    if settings.bridge_command:
        from bridge.process import ProcessBackend

        root = project_root(settings, project_id)
        limit = settings.bridge_max_message_bytes
        return ProcessBackend(settings.bridge_command, root, limit)
    from bridge.inprocess import InProcessBackend

    return InProcessBackend(pool)
