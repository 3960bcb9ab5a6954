"""Rewrite URIs anywhere in a JSON-RPC message, generically, whatever its method.

A string is a URI when the whole of it is one (`devsync:`, `devsync-lib:`,
`file:`), as a value or as a key (`WorkspaceEdit.changes`). Free-text fields
(document text, markdown, messages) are never treated as URIs: inbound they
pass untouched, outbound the server's absolute paths are scrubbed from them.
"""

from __future__ import annotations

import re
from typing import Any, Final

from bridge.uris import UriMap

_INBOUND_URI = re.compile(r"(?:devsync|devsync-lib|file):\S*", re.IGNORECASE)
_FILE_URI_IN_TEXT = re.compile(r"file://[^\s\"'<>()\[\]`]+")
TEXT_KEYS: Final = frozenset(
    {
        "text",
        "newText",
        "insertText",
        "value",
        "message",
        "label",
        "detail",
        "documentation",
        "filterText",
        "sortText",
        "title",
        "tooltip",
    }
)


class _Hidden:
    """Marks a value that names something outside the project: it is dropped."""


HIDDEN: Final = _Hidden()


def inbound(value: Any, umap: UriMap) -> Any:
    """``value`` with every browser URI made a `file://` URI of the working tree.

    Raises OutsideProject for a URI that leaves the project.
    """
    if isinstance(value, str):
        return umap.inbound(value) if _INBOUND_URI.fullmatch(value) else value
    if isinstance(value, list):
        return [inbound(item, umap) for item in value]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if _INBOUND_URI.fullmatch(key):
                key = umap.inbound(key)
            out[key] = item if key in TEXT_KEYS else inbound(item, umap)
        return out
    return value


def outbound(value: Any, umap: UriMap) -> Any:
    """``value`` with server URIs made browser URIs; HIDDEN if it must not be sent.

    A dict naming a hidden URI is hidden itself; lists drop hidden items.
    """
    if isinstance(value, str):
        if value.startswith("file:"):
            uri = umap.outbound(value)
            return HIDDEN if uri is None else uri
        return _text(value, umap)
    if isinstance(value, list):
        items = [outbound(item, umap) for item in value]
        return [item for item in items if item is not HIDDEN]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key.startswith("file:"):
                mapped = umap.outbound(key)
                if mapped is None:
                    continue  # an edit of a file outside the project: dropped
                key = mapped
            if key in TEXT_KEYS and isinstance(item, str):
                new: Any = _text(item, umap)
            else:
                new = outbound(item, umap)
            if new is HIDDEN:
                return HIDDEN
            out[key] = new
        return out
    return value


def _text(text: str, umap: UriMap) -> str:
    if "file:" in text:
        text = _FILE_URI_IN_TEXT.sub(
            lambda m: umap.outbound(m.group(0)) or "(outside the project)", text
        )
    return umap.scrub(text)


def outbound_message(message: dict[str, Any], umap: UriMap) -> dict[str, Any] | None:
    """The message the browser may see, or None to drop it (a notification
    about a file outside the project)."""
    if "error" in message:
        error = message["error"] if isinstance(message["error"], dict) else {}
        # error.data carries server tracebacks: never sent to the browser.
        safe = {"code": error.get("code", -32603)}
        safe["message"] = _text(str(error.get("message", "")), umap)
        return {**message, "error": safe}
    if "result" in message:
        result = outbound(message["result"], umap)
        return {**message, "result": None if result is HIDDEN else result}
    params = outbound(message.get("params"), umap)
    if params is HIDDEN:
        return None
    return {**message, "params": params} if "params" in message else message
