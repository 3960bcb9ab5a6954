"""In-process backend: one fresh DevSync `LanguageServer` per connection.

Built by the same `lsp.server.create_server()` that `devsync lsp` uses. Its
jedi work goes to the app's `lsp.analysis.AnalysisPool` when there is one
(`bridge_analysis_processes`), else to the process's one jedi thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from bridge.backend import Emit, End
from lsp.rpc import dispatch
from lsp.server import DevSyncServer, create_server
from lsp.worker import attach, detach

if TYPE_CHECKING:
    from lsp.analysis import AnalysisPool

log = logging.getLogger(__name__)


class _FrameWriter:
    """pygls writer: each outgoing message (no headers) becomes one text frame."""

    def __init__(self, emit: Emit) -> None:
        self.emit = emit

    def write(self, data: bytes) -> None:
        self.emit(data.decode("utf-8"))

    def close(self) -> None:
        """Nothing to close: the connection owns the socket."""


class InProcessBackend:
    """Runs DevSync's language server inside the bridge's event loop."""

    def __init__(self, pool: AnalysisPool | None = None) -> None:
        self.server: DevSyncServer | None = None
        self.pool = pool

    async def start(self, emit: Emit, end: End) -> None:
        server = self.server = create_server()
        if self.pool is not None:
            attach(server.ctx, self.pool)
        server.protocol.set_writer(_FrameWriter(emit), include_headers=False)
        server.exit_callbacks.append(lambda: end(1000, "language server exited"))

    async def deliver(self, text: str) -> None:
        if self.server is not None:
            dispatch(self.server.rpc, text)

    async def close(self) -> None:
        server, self.server = self.server, None
        if server is None:
            return
        server.protocol.set_writer(
            _FrameWriter(lambda _text: None), include_headers=False
        )
        # Closing every document cancels the features' per-document tasks
        # (debounced diagnostics); then in-flight requests are cancelled.
        workspace = server.protocol._workspace  # None before initialize
        for uri in list(workspace.text_documents if workspace else ()):
            for feature in server.features:
                with contextlib.suppress(Exception):
                    feature.did_close(uri)
        for feature in server.features:
            with contextlib.suppress(Exception):
                feature.shutdown()
        pending = list(server.protocol._request_futures.values())
        server.protocol._request_futures.clear()
        for future in pending:
            future.cancel()
        tasks: list[Any] = [f for f in pending if isinstance(f, asyncio.Future)]
        await asyncio.gather(*tasks, return_exceptions=True)
        detach(server.ctx)  # its worker drops the connection's documents
        server.shutdown()  # type: ignore[no-untyped-call]
        # pygls caches these per protocol instance with lru_cache, which would
        # keep the last ~100 closed servers (and their documents) alive.
        type(server.protocol).get_message_type.cache_clear()
        type(server.protocol).get_result_type.cache_clear()
