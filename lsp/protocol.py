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

# Live sessions (lsp/collab). Arguments are positional; each command also
# reports through window/showMessage for clients that show nothing else
# (unless initializationOptions.session.showMessages is false).
# signIn [serverUrl, token]; shareSession [role, projectId?] -> {inviteLink};
# joinSession [inviteLinkOrToken]; leaveSession []; followParticipant
# [clientIdOrName]; commit [message]; history [uri | null] -> {projectId,
# path, commits}.
CMD_SIGN_IN: Final = "devsync.signIn"
CMD_SHARE_SESSION: Final = "devsync.shareSession"
CMD_JOIN_SESSION: Final = "devsync.joinSession"
CMD_LEAVE_SESSION: Final = "devsync.leaveSession"
CMD_FOLLOW_PARTICIPANT: Final = "devsync.followParticipant"
CMD_COMMIT: Final = "devsync.commit"
CMD_HISTORY: Final = "devsync.history"
SESSION_COMMANDS: Final = (
    CMD_SIGN_IN,
    CMD_SHARE_SESSION,
    CMD_JOIN_SESSION,
    CMD_LEAVE_SESSION,
    CMD_FOLLOW_PARTICIPANT,
    CMD_COMMIT,
    CMD_HISTORY,
)

# Server -> client: one participant's place in one document, params
# ``{"user": {"id", "name", "colour"}, "uri": str | None, "cursor": Position,
# "ranges": [Range]}``; ``uri: null`` means they left the document.
NOTIFY_PRESENCE: Final = "devsync/presence"
# Server -> client: the whole session state (``{"state": "signedOut" | "idle"
# | "connecting" | "connected" | "reconnecting", "sessionId", "projectId",
# "role", "inviteLink", "participants", "pendingEdits"}``) on every change.
NOTIFY_SESSION: Final = "devsync/session"

# AI (lsp/features/inline_completion.py, ai_actions.py). ai.stats [] ->
# counts and latency percentiles; ai.accept [suggestionId] is attached to
# each suggestion so accepting it is counted; ai.explain [uri, startLine,
# endLine] -> text; ai.fix [uri, startLine, endLine, message] and
# ai.docstring [uri, line] -> applied (edits go through workspace/applyEdit).
CMD_AI_STATS: Final = "devsync.ai.stats"
CMD_AI_ACCEPT: Final = "devsync.ai.accept"
CMD_AI_EXPLAIN: Final = "devsync.ai.explain"
CMD_AI_FIX: Final = "devsync.ai.fix"
CMD_AI_DOCSTRING: Final = "devsync.ai.docstring"
AI_COMMANDS: Final = (
    CMD_AI_STATS,
    CMD_AI_ACCEPT,
    CMD_AI_EXPLAIN,
    CMD_AI_FIX,
    CMD_AI_DOCSTRING,
)

COMMANDS: Final = (CMD_ORGANIZE_IMPORTS, *SESSION_COMMANDS, *AI_COMMANDS)
NOTIFICATIONS: Final = (NOTIFY_DOCUMENT_LIMITED, NOTIFY_PRESENCE, NOTIFY_SESSION)
