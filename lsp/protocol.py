"""Catalogue of DevSync's own LSP commands and notifications.

Commands are ``devsync.<verb>``, notifications ``devsync/<noun>``; the
TypeScript clients mirror these names.
"""

from __future__ import annotations

from typing import Final

SERVER_NAME: Final = "devsync-lsp"
SERVER_VERSION: Final = "0.1.0"

# Diagnostics carry this source so editors can tell them apart.
DIAGNOSTIC_SOURCE: Final = "devsync"

# workspace/executeCommand: sort and tidy imports of the document given as
# the only argument (its URI), applied through workspace/applyEdit.
CMD_ORGANIZE_IMPORTS: Final = "devsync.organizeImports"

# Server -> client notification, params ``{"uri": str, "message": str}``: the
# document is too large for jedi and only gets diagnostics.
NOTIFY_DOCUMENT_LIMITED: Final = "devsync/documentLimited"

COMMANDS: Final = (CMD_ORGANIZE_IMPORTS,)
NOTIFICATIONS: Final = (NOTIFY_DOCUMENT_LIMITED,)
