"""The ``Feature`` base class: no-op hooks that ``lsp.server`` fans out to.

pygls allows one handler per LSP method, while several features may care
about one method (jedi and AI both complete; diagnostics and the session
peer both watch edits). Each concern subclasses ``Feature`` and overrides
only the hooks it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from lsprotocol import types

if TYPE_CHECKING:
    from lsp.context import ServerContext
    from lsp.documents import Snapshot


class Feature:
    """One concern of the language server. Hooks default to doing nothing."""

    name: ClassVar[str] = "feature"

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx

    # Lifecycle and document sync: called on the event loop, keep them quick
    # and start tasks for anything slow.
    def initialized(self) -> None:
        """The client finished initializing; options are in ``ctx.options``."""

    def did_open(self, snap: Snapshot) -> None:
        """A document was opened."""

    def did_change(self, snap: Snapshot) -> None:
        """A document changed; ``snap`` is its new version."""

    def did_save(self, snap: Snapshot) -> None:
        """A document was saved."""

    def did_close(self, uri: str) -> None:
        """A document was closed."""

    def shutdown(self) -> None:
        """The client asked the server to shut down."""

    # Requests several features may contribute to; results are merged.
    async def completion(
        self,
        params: types.CompletionParams,  # noqa: ARG002
    ) -> types.CompletionList | None:
        """Completion items; ``item.data`` should carry ``{"feature": name}``."""
        return None

    async def resolve_completion(
        self, item: types.CompletionItem
    ) -> types.CompletionItem:
        """Fill in an item this feature produced (routed by ``data.feature``)."""
        return item

    async def code_actions(
        self,
        params: types.CodeActionParams,  # noqa: ARG002
    ) -> list[types.CodeAction]:
        """Code actions for the range."""
        return []

    async def inline_completion(
        self,
        params: types.InlineCompletionParams,  # noqa: ARG002
    ) -> list[types.InlineCompletionItem] | None:
        """Ghost-text suggestions. The server advertises inline completion only
        when some feature overrides this hook."""
        return None
