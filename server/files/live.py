"""The seam between REST file/history routes and live collaboration.

`app.state.live_documents` holds a `LiveDocuments`; the default does nothing,
so REST works alone. Collaboration replaces it with one that flushes open
documents before commits, names co-authors, and applies REST writes and
restores to open documents as one transaction each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class LiveDocuments(Protocol):
    """Hooks the files and history routes call; every method must be cheap when
    no document of the project is open. All are awaited on the event loop."""

    async def flush(self, project_id: int, paths: Sequence[str] | None = None) -> None:
        """Write open documents (all, or only `paths`) to the working tree now."""

    async def commit_trailers(self, project_id: int, author_username: str) -> list[str]:
        """Trailer lines for the next commit, e.g. `Co-authored-by: Ada <ada@...>`."""

    async def committed(self, project_id: int, sha: str) -> None:
        """A commit was made; reset whatever "edited since last commit" tracks."""

    async def apply_text(self, project_id: int, path: str, text: str) -> bool:
        """Replace an open document's text; return whether one was open.

        The route has already written `text` to the working tree."""

    async def removed(self, project_id: int, path: str) -> None:
        """`path` was deleted from the working tree: close or reset its document."""

    async def moved(self, project_id: int, path: str, to: str) -> None:
        """`path` was renamed to `to` in the working tree."""


class NoLiveDocuments:
    """The default: no live collaboration, every hook is a no-op."""

    # ruff: noqa: ARG002 - the arguments are the protocol's, unused on purpose

    async def flush(self, project_id: int, paths: Sequence[str] | None = None) -> None:
        return None

    async def commit_trailers(self, project_id: int, author_username: str) -> list[str]:
        return []

    async def committed(self, project_id: int, sha: str) -> None:
        return None

    async def apply_text(self, project_id: int, path: str, text: str) -> bool:
        return False

    async def removed(self, project_id: int, path: str) -> None:
        return None

    async def moved(self, project_id: int, path: str, to: str) -> None:
        return None
