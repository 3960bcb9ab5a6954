"""Per-server state shared by the features: options, snapshots, jedi project.

One ``ServerContext`` per ``LanguageServer`` instance; nothing here is
process-global, so the bridge can run many servers in one process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified

from lsp.documents import Snapshot, SnapshotCache
from lsp.options import Options
from lsp.uris import UriMapper

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)


@dataclass
class ServerContext:
    """What every feature of one server instance may read."""

    server: LanguageServer
    mapper: UriMapper = field(default_factory=UriMapper)
    options: Options = field(default_factory=Options)
    snapshots: SnapshotCache = field(default_factory=SnapshotCache)
    root_path: str | None = None
    # Built lazily on the jedi thread by lsp.jedi_support; typed loosely so
    # that importing this module does not import jedi.
    project: Any = None
    project_key: tuple[Any, ...] | None = None

    def snapshot(self, uri: str) -> Snapshot | None:
        """The current snapshot of an open document, or None if it is not open."""
        doc = self.server.workspace.text_documents.get(uri)
        if doc is None:
            return None
        return self.snapshots.get(doc, self.mapper.to_path(uri))

    def analysable(self, uri: str) -> Snapshot | None:
        """The snapshot if jedi should look at it (open, Python, not too big)."""
        snap = self.snapshot(uri)
        if snap is None or not snap.is_python:
            return None
        if len(snap.source) > self.options.max_document_bytes:
            return None
        return snap

    def ensure_current(self, snap: Snapshot) -> None:
        """Raise ContentModified if ``snap`` is older than the open document."""
        doc = self.server.workspace.text_documents.get(snap.uri)
        if doc is None or doc.version != snap.version:
            raise JsonRpcContentModified(message="document changed, result dropped")

    @property
    def capabilities(self) -> types.ClientCapabilities:
        """The client's capabilities (empty before initialize)."""
        caps = getattr(self.server.protocol, "client_capabilities", None)
        return caps if caps is not None else types.ClientCapabilities()

    def markup_kind(self) -> types.MarkupKind:
        """Markdown when the client's hover says it renders it, else plain text."""
        hover = (
            self.capabilities.text_document and self.capabilities.text_document.hover
        )
        formats = (hover and hover.content_format) or []
        if not formats or types.MarkupKind.Markdown in formats:
            return types.MarkupKind.Markdown
        return types.MarkupKind.PlainText
