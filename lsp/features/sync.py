"""Document bookkeeping: snapshot cache lifetime and the size limit notice."""

from __future__ import annotations

import logging

from lsp.documents import Snapshot
from lsp.features.base import Feature
from lsp.protocol import NOTIFY_DOCUMENT_LIMITED

log = logging.getLogger(__name__)


class DocumentSync(Feature):
    """Tells the client when a document is too big for jedi; drops closed ones."""

    name = "documents"

    def did_open(self, snap: Snapshot) -> None:
        limit = self.ctx.options.max_document_bytes
        if snap.is_python and len(snap.source) > limit:
            message = f"document over {limit} characters: diagnostics only"
            log.info("%s: %s", snap.uri, message)
            self.ctx.server.protocol.notify(
                NOTIFY_DOCUMENT_LIMITED, {"uri": snap.uri, "message": message}
            )

    def did_close(self, uri: str) -> None:
        self.ctx.snapshots.drop(uri)
