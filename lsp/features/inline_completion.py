"""AI inline completions (``textDocument/inlineCompletion``), the same
suggestion as a completion item for clients without inline completion, and
the ``devsync.ai.stats`` / ``devsync.ai.accept`` commands.

Owns the per-server AI state (config, engine) that ``ai_actions`` shares.
litellm is never imported while answering ``initialize``: ``initialized``
starts a background import when a model is configured.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types as t

from lsp import protocol
from lsp.ai.config import AIConfig, load_config
from lsp.ai.inline import InlineEngine, InlineQuery
from lsp.ai.provider import close_shared_clients, litellm_loaded, warm_up
from lsp.features.base import Feature

if TYPE_CHECKING:
    from lsp.context import ServerContext
    from lsp.documents import Snapshot

log = logging.getLogger(__name__)
MAX_OTHER_DOCS = 20
_WORD_AT_END = re.compile(r"\w*$")
# How long a plain completion waits for the AI item: enough for a cache hit,
# never long enough to hold jedi's items back for a model call.
FALLBACK_WAIT_S = 0.02
Handler = Callable[..., Awaitable[Any]]


def offset_of(snap: Snapshot, position: t.Position) -> int:
    """Character offset in ``snap.source`` of a client position."""
    line, column = snap.to_jedi(position)
    return sum(len(text) for text in snap.lines[: line - 1]) + column


class AIInlineCompletion(Feature):
    """Ghost text from the configured model; see ``lsp.ai.inline``."""

    name = "ai"

    def __init__(self, ctx: ServerContext) -> None:
        super().__init__(ctx)
        self.config = AIConfig()
        self.engine = InlineEngine(self.config, notify=self.notify)
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- lifecycle -----------------------------------------------------------
    def initialized(self) -> None:
        self.config, errors = load_config(self.ctx.options.ai)
        if errors:
            self.notify("DevSync AI: invalid options ignored: " + "; ".join(errors))
        self.engine = InlineEngine(
            self.config,
            notify=self.notify,
            others=self._others,
            current_version=self._version,
        )
        log.info("AI: %s", self.config.describe() if self.config.enabled else "off")
        if self.config.enabled and not litellm_loaded():
            warm_up()  # a background thread, after initialize was answered

    def did_close(self, uri: str) -> None:
        self.engine.forget(uri)

    def shutdown(self) -> None:
        task = asyncio.ensure_future(self._close())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _close(self) -> None:
        await self.engine.aclose()
        await close_shared_clients()

    # -- helpers shared with ai_actions ---------------------------------------
    def notify(self, message: str, kind: t.MessageType = t.MessageType.Warning) -> None:
        self.ctx.server.window_show_message(
            t.ShowMessageParams(type=kind, message=message)
        )

    def _others(self, uri: str) -> list[tuple[str, str]]:
        docs = self.ctx.server.workspace.text_documents
        out = []
        for other, doc in list(docs.items())[:MAX_OTHER_DOCS]:
            if other != uri:
                out.append((self.ctx.mapper.to_path(other) or other, doc.source))
        return out

    def _version(self, uri: str) -> int | None:
        doc = self.ctx.server.workspace.text_documents.get(uri)
        return None if doc is None else doc.version

    def _query(self, uri: str, position: t.Position) -> InlineQuery | None:
        snap = self.ctx.snapshot(uri)
        if snap is None:
            return None
        path = snap.path or uri
        language = snap.language_id or ("python" if snap.is_python else "plaintext")
        offset = offset_of(snap, position)
        return InlineQuery(uri, snap.version, snap.source, offset, path, language)

    def _accept(self, suggestion_id: int) -> t.Command:
        return t.Command(
            "Accept AI suggestion", protocol.CMD_AI_ACCEPT, arguments=[suggestion_id]
        )

    # -- LSP hooks ------------------------------------------------------------
    async def inline_completion(
        self, params: t.InlineCompletionParams
    ) -> list[t.InlineCompletionItem] | None:
        if not self.config.inline:
            return None
        query = self._query(params.text_document.uri, params.position)
        if query is None:
            return None
        found = await self.engine.suggest(query)
        if found is None:
            return None
        here = t.Range(params.position, params.position)
        return [
            t.InlineCompletionItem(
                found.text, range=here, command=self._accept(found.id)
            )
        ]

    def _client_has_inline(self) -> bool:
        td = self.ctx.capabilities.text_document
        return bool(td and td.inline_completion is not None)

    async def completion(self, params: t.CompletionParams) -> t.CompletionList | None:
        """The suggestion as one completion item, for clients without inline
        completion (Helix, older editors)."""
        if not self.config.completion_item or self._client_has_inline():
            return None
        if not self.config.enabled:
            return None  # plain completion is not an AI request: no message
        query = self._query(params.text_document.uri, params.position)
        if query is None:
            return None
        # Never hold jedi's items back for the model: answer with what the
        # cache has at once, and let the request finish in the background so
        # the client's next request (the list is incomplete) finds it cached.
        request = asyncio.ensure_future(self.engine.suggest(query))
        try:
            found = await asyncio.wait_for(asyncio.shield(request), FALLBACK_WAIT_S)
        except TimeoutError:
            return t.CompletionList(is_incomplete=True, items=[])
        if found is None:
            return None
        line_prefix = query.text[: query.offset].rsplit("\n", 1)[-1]
        match = _WORD_AT_END.search(line_prefix)
        word = match[0] if match else ""
        start = t.Position(params.position.line, params.position.character - len(word))
        label = found.text.strip().split("\n", 1)[0][:60]
        item = t.CompletionItem(
            label=word + label if word else label,
            kind=t.CompletionItemKind.Snippet,
            detail="DevSync AI",
            documentation=t.MarkupContent(t.MarkupKind.PlainText, found.text),
            filter_text=word + found.text,
            sort_text="\u0000",
            text_edit=t.TextEdit(t.Range(start, params.position), word + found.text),
            command=self._accept(found.id),
            data={"feature": self.name},
        )
        return t.CompletionList(is_incomplete=True, items=[item])

    # -- commands -------------------------------------------------------------
    def ai_commands(self) -> dict[str, Handler]:
        async def stats(*_args: Any) -> dict[str, Any]:
            out = self.engine.telemetry.snapshot()
            out["model"] = self.config.model
            out["route"] = self.config.route if self.config.enabled else None
            return out

        async def accept(*args: Any) -> None:
            if args and isinstance(args[0], int):
                self.engine.accepted(args[0])

        return {protocol.CMD_AI_STATS: stats, protocol.CMD_AI_ACCEPT: accept}
