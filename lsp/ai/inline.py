"""Inline-completion pipeline: cache, debounce, one upstream request per
document, cancellation, stale-result dropping, post-processing, back-off.

Editor-agnostic: the language server feeds it ``InlineQuery``s; the
benchmark drives it directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lsp.ai.cache import SuggestionCache
from lsp.ai.config import NOT_CONFIGURED, AIConfig
from lsp.ai.context import PromptContext, build_context
from lsp.ai.health import Backoff
from lsp.ai.postprocess import clean, cut_at_block_end
from lsp.ai.prompts import inline_request
from lsp.ai.provider import Provider, ProviderError
from lsp.ai.telemetry import Telemetry

log = logging.getLogger(__name__)

Notify = Callable[[str], None]


@dataclass(frozen=True)
class InlineQuery:
    """A cursor in one version of a document."""

    uri: str
    version: int | None
    text: str
    offset: int
    path: str = "untitled"
    language: str = "plaintext"


@dataclass(frozen=True)
class Suggestion:
    id: int
    text: str
    cached: bool = False


@dataclass
class _DocState:
    task: asyncio.Task[Suggestion | None] | None = None
    in_flight: int = 0


@dataclass
class InlineEngine:
    """One per language-server instance (or benchmark run)."""

    config: AIConfig
    notify: Notify = lambda _message: None
    others: Callable[[str], Iterable[tuple[str, str]]] = lambda _uri: ()
    current_version: Callable[[str], int | None] | None = None
    provider: Provider | None = None
    telemetry: Telemetry = field(default_factory=Telemetry)
    cache: SuggestionCache = field(default_factory=SuggestionCache)
    backoff: Backoff = field(default_factory=Backoff)
    _docs: dict[str, _DocState] = field(default_factory=dict)
    _told_unconfigured: bool = False

    def __post_init__(self) -> None:
        if self.provider is None and self.config.enabled:
            self.provider = Provider(self.config)

    async def suggest(self, query: InlineQuery) -> Suggestion | None:
        """The suggestion at the query's cursor, or None."""
        started = time.perf_counter()
        self.telemetry.count("requests")
        if not self.config.enabled:
            if not self._told_unconfigured:
                self._told_unconfigured = True
                self.notify(NOT_CONFIGURED)
            return None
        prefix, suffix = query.text[: query.offset], query.text[query.offset :]
        hit = self.cache.lookup(query.uri, prefix, suffix)
        if hit is not None:
            if not hit.entry.typed_through:
                hit.entry.typed_through = True
                self.telemetry.count("partially_accepted")
            self.telemetry.count("cache_hits")
            self.telemetry.observe("cache_ms", (time.perf_counter() - started) * 1e3)
            return Suggestion(hit.entry.id, hit.text, cached=True)
        state = self._docs.setdefault(query.uri, _DocState())
        previous = state.task
        if previous is not None and not previous.done():
            previous.cancel()
            self.telemetry.count("cancelled")
        if self.backoff.blocked():
            self.telemetry.count("backoff_skips")
            return None
        task = asyncio.ensure_future(self._run(query, state, previous, started))
        state.task = task
        try:
            return await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                task.cancel()
                raise  # our caller was cancelled ($/cancelRequest)
            return None  # superseded by a newer keystroke

    def _stale(self, query: InlineQuery) -> bool:
        if self.current_version is None:
            return False
        return self.current_version(query.uri) != query.version

    async def _run(
        self,
        query: InlineQuery,
        state: _DocState,
        previous: asyncio.Task[Suggestion | None] | None,
        started: float,
    ) -> Suggestion | None:
        if self.config.debounce_ms:
            await asyncio.sleep(self.config.debounce_ms / 1000)
        if previous is not None and not previous.done():
            # At most one upstream request per document: wait until the old
            # one has closed its connection.
            await asyncio.wait({previous})
        if self._stale(query):
            self.telemetry.count("stale")
            return None
        ctx = build_context(
            query.text,
            query.offset,
            path=query.path,
            language=query.language,
            others=self.others(query.uri),
            budget_tokens=self.config.context_tokens,
        )
        raw = await self._ask(ctx, state)
        if raw is None:
            return None
        if self._stale(query):
            self.telemetry.count("stale")
            return None
        text = clean(raw, ctx.prefix, ctx.suffix)
        if text is None:
            self.telemetry.count("empty")
            return None
        prefix, suffix = query.text[: query.offset], query.text[query.offset :]
        entry = self.cache.put(query.uri, prefix, suffix, text)
        self.telemetry.count("shown")
        self.telemetry.observe("total_ms", (time.perf_counter() - started) * 1e3)
        return Suggestion(entry.id, text)

    async def _ask(self, ctx: PromptContext, state: _DocState) -> str | None:
        """Stream the model's answer, stopping early once it is long enough."""
        assert self.provider is not None
        request = inline_request(self.config, ctx)
        line_prefix = ctx.prefix.rsplit("\n", 1)[-1]
        mid_line = bool(ctx.suffix.split("\n", 1)[0].strip())
        parts: list[str] = []
        state.in_flight += 1
        self.telemetry.max_in_flight = max(
            self.telemetry.max_in_flight, state.in_flight
        )
        self.telemetry.count("upstream")
        asked = time.perf_counter()
        try:
            async with contextlib.aclosing(self.provider.stream(request)) as pieces:
                async for piece in pieces:
                    parts.append(piece)
                    if "\n" in piece and _enough("".join(parts), line_prefix, mid_line):
                        break
        except ProviderError as exc:
            self.telemetry.count("errors")
            message = self.backoff.failure(exc)
            log.warning("AI provider error (%s): %s", exc.kind, exc.message)
            if message:
                self.notify(message)
            return None
        finally:
            state.in_flight -= 1
        self.telemetry.observe("model_ms", (time.perf_counter() - asked) * 1e3)
        self.backoff.success()
        return "".join(parts)

    def accepted(self, suggestion_id: int) -> None:
        """The editor accepted a suggestion (its item's command ran)."""
        entry = self.cache.get(suggestion_id)
        if entry is not None:
            self.cache.forget_entry(suggestion_id)  # typed-through is moot now
        self.telemetry.count("accepted")

    def forget(self, uri: str) -> None:
        """A document closed: cancel its work and drop its cache entries."""
        state = self._docs.pop(uri, None)
        if state is not None and state.task is not None:
            state.task.cancel()
        self.cache.forget(uri)

    async def aclose(self) -> None:
        """Cancel all work and close the provider's connections."""
        for uri in list(self._docs):
            self.forget(uri)
        if self.provider is not None:
            await self.provider.aclose()


def _enough(text: str, line_prefix: str, mid_line: bool) -> bool:
    """Whether more tokens could only be cut off by post-processing."""
    body = text.lstrip("\n")
    if mid_line:
        return "\n" in body
    complete = text[: text.rfind("\n")]
    return len(cut_at_block_end(complete, line_prefix)) < len(complete)
