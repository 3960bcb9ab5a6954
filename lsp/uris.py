"""URI <-> filesystem path mapping, kept in one place.

The bridge maps its own ``devsync:///path`` URIs by passing a different
``UriMapper`` to ``create_server``; everything else only calls these methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from pygls import uris


@dataclass
class UriMapper:
    """Translate document URIs to paths jedi can use, and back.

    ``roots`` maps extra URI schemes (for example ``devsync``) to a directory
    on disk that their paths are relative to.
    """

    roots: dict[str, str] = field(default_factory=dict)

    def to_path(self, uri: str) -> str | None:
        """Return the filesystem path for ``uri``, or None if it has none."""
        scheme = uri.split(":", 1)[0].lower() if ":" in uri else ""
        if scheme in self.roots:
            rest = unquote(urlparse(uri).path).lstrip("/")
            return f"{self.roots[scheme].rstrip('/')}/{rest}"
        if scheme == "file":
            return uris.to_fs_path(uri)
        return None

    def to_uri(self, path: str) -> str:
        """Return the URI a client knows ``path`` by."""
        for scheme, root in self.roots.items():
            prefix = root.rstrip("/") + "/"
            if path.startswith(prefix):
                return f"{scheme}:///{path[len(prefix) :]}"
        return uris.from_fs_path(path) or f"file://{path}"
