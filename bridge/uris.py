"""One connection's URI map: browser `devsync:///` URIs <-> the working tree's `file://`.

Project files are `devsync:///{path}`; library sources are
`devsync-lib:///{path}` (see `server.lib.service`). Anything else on the
server's disk has no browser URI and is hidden.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pygls import uris

from server.core.errors import BadRequest
from server.core.paths import safe_join
from server.lib.service import LibraryRoots

CACHE_SIZE = 4096
PROJECT_SCHEME = "devsync"
LIBRARY_SCHEME = "devsync-lib"


class OutsideProject(Exception):
    """A client URI that names nothing inside the project (or its libraries)."""


class UriMap:
    """Maps URIs of one project's working tree in both directions."""

    def __init__(self, root: Path, library: LibraryRoots) -> None:
        self.root = root.resolve()
        self.library = library
        self.root_uri = uris.from_fs_path(str(self.root)) or f"file://{self.root}"
        # Absolute prefixes that must never reach the browser in free text.
        self.secrets = (str(self.root) + "/", *(f"{r}/" for r in library.roots))
        self._inbound: dict[str, str] = {}

    def inbound(self, uri: str) -> str:
        """The `file://` URI of a browser URI; raises OutsideProject.

        Answers are cached: every message names its document, and resolving
        symlinks costs a system call per path component. A cached answer is
        a checked path inside the project, so it stays safe if links change.
        """
        cached = self._inbound.get(uri)
        if cached is None:
            cached = self._resolve(uri)
            if len(self._inbound) >= CACHE_SIZE:
                self._inbound.clear()
            self._inbound[uri] = cached
        return cached

    def _resolve(self, uri: str) -> str:
        scheme = uri.partition(":")[0]
        scheme = scheme.lower()
        if scheme not in (PROJECT_SCHEME, LIBRARY_SCHEME):
            raise OutsideProject(f"unsupported URI {uri[:80]!r}: use devsync:///path")
        parts = urlsplit(uri)
        if parts.netloc or parts.query or parts.fragment:
            raise OutsideProject(f"malformed URI {uri[:80]!r}")
        rel = unquote(parts.path).lstrip("/")
        if scheme == PROJECT_SCHEME and not rel:
            return self.root_uri  # the project itself, e.g. as workspace folder
        if scheme == LIBRARY_SCHEME:
            target = self.library.resolve(rel)
            if target is None:
                raise OutsideProject(f"no such library file {rel[:80]!r}")
        else:
            try:
                target = safe_join(self.root, rel)
            except BadRequest as exc:
                raise OutsideProject(f"not in the project: {exc.detail}") from None
        return uris.from_fs_path(str(target)) or f"file://{target}"

    def outbound(self, uri: str) -> str | None:
        """The browser URI of a server `file://` URI, or None to hide it."""
        if uri == self.root_uri or uri == self.root_uri + "/":
            return f"{PROJECT_SCHEME}:///"
        path_text = uris.to_fs_path(uri)
        if path_text is None:
            return None
        path = Path(path_text)
        if self.root in path.parents:
            rel = path.relative_to(self.root).as_posix()
            return f"{PROJECT_SCHEME}:///{quote(rel)}"
        lib_rel = self.library.relative(path.resolve())
        if lib_rel is not None:
            return f"{LIBRARY_SCHEME}:///{quote(lib_rel)}"
        return None

    def scrub(self, text: str) -> str:
        """Free text with the server's absolute roots made relative."""
        for prefix in self.secrets:
            if prefix in text:
                text = text.replace(prefix, "")
        return text
