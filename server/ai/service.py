"""AI chat: per-user rate limit, prompt with editor context, and the answer
as Server-Sent Events where provider errors become an ``error`` event.

Events: ``delta`` ``{"text"}`` for each piece, then ``done`` ``{}``; or
``error`` ``{"kind", "message"}`` (never a dropped connection).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from typing import Any

from lsp.ai.config import NOT_CONFIGURED, AIConfig
from lsp.ai.provider import ModelRequest, Provider, ProviderError
from lsp.ai.telemetry import Telemetry
from server.ai.schemas import ChatRequest
from server.core.errors import TooManyRequests

SYSTEM = (
    "You are DevSync's coding assistant inside a collaborative editor. Answer "
    "concisely; use fenced code blocks for code. The user's current file, "
    "selection and diagnostics follow when available."
)
MAX_FILE_CHARS = 24_000


def event(name: str, data: dict[str, Any]) -> str:
    """One SSE event."""
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


class RateLimiter:
    """Sliding one-minute window per user."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def check(self, user: str) -> None:
        now = self.clock()
        hits = self._hits[user]
        while hits and now - hits[0] >= 60:
            hits.popleft()
        if len(hits) >= self.per_minute:
            retry = int(60 - (now - hits[0])) + 1
            raise TooManyRequests("AI chat rate limit reached", retry_after=retry)
        hits.append(now)


class ChatService:
    """One per app: holds the provider (and its connections) and the limiter."""

    def __init__(self, config: AIConfig) -> None:
        self.config = config
        self.limiter = RateLimiter(config.chat_per_minute)
        self.provider = Provider(config) if config.enabled else None
        self.telemetry = Telemetry()  # requests, errors, latency (local only)

    def messages(self, req: ChatRequest) -> list[dict[str, str]]:
        context = []
        if req.path:
            context.append(f"Current file: {req.path}")
        if req.file:
            context.append(f"File contents:\n```\n{req.file[:MAX_FILE_CHARS]}\n```")
        if req.selection:
            context.append(f"Selected code:\n```\n{req.selection}\n```")
        if req.diagnostics:
            context.append(
                "Diagnostics:\n" + "\n".join(f"- {d}" for d in req.diagnostics)
            )
        system = SYSTEM + ("\n\n" + "\n\n".join(context) if context else "")
        turns = [{"role": m.role, "content": m.content} for m in req.messages]
        return [{"role": "system", "content": system}, *turns]

    def start(self, user: str) -> None:
        """Count the request against the user's limit (raises TooManyRequests)."""
        self.telemetry.count("requests")
        try:
            self.limiter.check(user)
        except TooManyRequests:
            self.telemetry.count("rate_limited")
            raise

    async def stream(self, req: ChatRequest) -> AsyncIterator[str]:
        if self.provider is None:
            yield event("error", {"kind": "not_configured", "message": NOT_CONFIGURED})
            return
        request = ModelRequest(
            "chat", {"messages": self.messages(req), "max_tokens": 1024}
        )
        started = time.perf_counter()
        self.telemetry.count("upstream")
        try:
            async with contextlib.aclosing(self.provider.stream(request)) as pieces:
                async for piece in pieces:
                    yield event("delta", {"text": piece})
        except ProviderError as exc:
            self.telemetry.count("errors")
            yield event("error", {"kind": exc.kind, "message": exc.message})
            return
        self.telemetry.observe("model_ms", (time.perf_counter() - started) * 1e3)
        yield event("done", {})

    def stats(self) -> dict[str, Any]:
        """Counts and latency percentiles for the metrics endpoint."""
        snap = self.telemetry.snapshot()
        keys = ("requests", "upstream", "errors", "rate_limited", "model_ms")
        return {"model": self.config.model, **{k: snap.get(k, 0) for k in keys}}
