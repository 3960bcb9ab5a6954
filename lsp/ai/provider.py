"""The one door to models: litellm, imported lazily, behind a small API.

``Provider.stream(request)`` yields text pieces; closing the stream (or
cancelling the task iterating it) cancels the task that reads from litellm,
so the upstream HTTP connection is closed at once rather than at garbage
collection. Errors become ``ProviderError`` with a kind and a message that
never contains the API key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, Literal

from lsp.ai.config import AIConfig

log = logging.getLogger(__name__)

ErrorKind = Literal["auth", "rate_limit", "timeout", "unavailable", "bad_request"]

_litellm: Any = None
_import_lock = threading.Lock()


def load_litellm() -> Any:
    """Import and tune litellm once per process (takes seconds: call it off
    the event loop, e.g. through ``warm_up`` or ``run_in_executor``)."""
    global _litellm
    with _import_lock:
        if _litellm is None:
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            started = time.monotonic()
            import litellm

            litellm.suppress_debug_info = True
            litellm.telemetry = False
            litellm.disable_streaming_logging = True
            litellm.turn_off_message_logging = True
            _litellm = litellm
            log.info("litellm imported in %.1f s", time.monotonic() - started)
    return _litellm


def litellm_loaded() -> bool:
    return _litellm is not None


def warm_up() -> threading.Thread:
    """Import litellm in a background thread so the first request is fast."""
    thread = threading.Thread(target=load_litellm, name="litellm-import", daemon=True)
    thread.start()
    return thread


async def close_shared_clients() -> None:
    """Close the HTTP clients litellm caches process-wide (at shutdown)."""
    if _litellm is None:
        return
    from litellm.llms.custom_httpx.async_client_cleanup import (
        close_litellm_async_clients,
    )

    await close_litellm_async_clients()  # type: ignore[no-untyped-call]


class ProviderError(Exception):
    """A failed model call, classified so callers can back off sensibly."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class ModelRequest:
    """One call: a FIM/text prompt or chat messages, plus litellm kwargs."""

    kind: Literal["text", "chat"]
    kwargs: dict[str, Any] = field(default_factory=dict)


def _classify(exc: BaseException, key: str | None) -> ProviderError:
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    kind: ErrorKind = "unavailable"
    if isinstance(exc, TimeoutError) or "Timeout" in name:
        kind = "timeout"
    elif "RateLimit" in name or status == 429:
        kind = "rate_limit"
    elif "Authentication" in name or "PermissionDenied" in name or status in (401, 403):
        kind = "auth"
    elif "BadRequest" in name or "NotFound" in name or status in (400, 404, 422):
        kind = "bad_request"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    if key:
        text = text.replace(key, "***")
    return ProviderError(kind, text[:300])


def _piece(chunk: Any, kind: str) -> str:
    """The text of one streamed or whole response."""
    choices = getattr(chunk, "choices", None) or []
    if not choices:
        return ""
    choice = choices[0]
    if kind == "text":
        return getattr(choice, "text", None) or ""
    delta = getattr(choice, "delta", None) or getattr(choice, "message", None)
    return (getattr(delta, "content", None) or "") if delta is not None else ""


class Provider:
    """Sends ``ModelRequest``s with the configured model and credentials."""

    def __init__(self, config: AIConfig) -> None:
        self.config = config
        self._client: Any = None  # one OpenAI SDK client per provider, reused

    def _openai_client(self) -> Any:
        """A reused OpenAI SDK client for OpenAI-compatible routes: litellm
        otherwise builds a new one (and an SSL context) for every stream."""
        model = self.config.model or ""
        if not model.startswith(("openai/", "text-completion-openai/")):
            return None
        if self._client is None:
            import openai

            key = self.config.api_key() or os.environ.get("OPENAI_API_KEY") or "none"
            self._client = openai.AsyncOpenAI(
                api_key=key,
                base_url=self.config.api_base,
                timeout=self.config.timeout,
                max_retries=0,
            )
        return self._client

    def _kwargs(self, request: ModelRequest, stream: bool) -> dict[str, Any]:
        cfg = self.config
        kwargs: dict[str, Any] = {
            "model": cfg.model,
            "max_tokens": cfg.max_tokens,
            "temperature": cfg.temperature,
            "timeout": cfg.timeout,
            "stream": stream,
            "num_retries": 0,
        }
        if cfg.api_base:
            kwargs["api_base"] = cfg.api_base
        key = cfg.api_key()
        if key:
            kwargs["api_key"] = key
        client = self._openai_client()
        if client is not None:
            kwargs["client"] = client
        kwargs.update(request.kwargs)
        return kwargs

    async def _call(self, request: ModelRequest, stream: bool) -> Any:
        litellm = _litellm or load_litellm()
        kwargs = self._kwargs(request, stream)
        if request.kind == "text":
            return await litellm.atext_completion(**kwargs)
        return await litellm.acompletion(**kwargs)

    async def _pump(
        self, request: ModelRequest, queue: asyncio.Queue[str | BaseException | None]
    ) -> None:
        """Read the upstream answer into ``queue``; cancelling this task is
        what closes the HTTP connection (the cancellation unwinds through
        litellm's, the SDK's and httpx's streams, each closing its response)."""
        try:
            if _litellm is None:  # the import is not the model's time
                await asyncio.get_running_loop().run_in_executor(None, load_litellm)
            async with asyncio.timeout(self.config.timeout):
                response = await self._call(request, self.config.stream)
                if not self.config.stream:
                    queue.put_nowait(_piece(response, request.kind))
                else:
                    async for chunk in response:
                        text = _piece(chunk, request.kind)
                        if text:
                            queue.put_nowait(text)
            queue.put_nowait(None)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            queue.put_nowait(_classify(exc, self.config.api_key()))

    async def stream(self, request: ModelRequest) -> AsyncGenerator[str, None]:
        """Text pieces of the answer. Use with ``contextlib.aclosing`` (or
        cancel the caller) to stop early; either closes the upstream stream."""
        queue: asyncio.Queue[str | BaseException | None] = asyncio.Queue()
        pump = asyncio.ensure_future(self._pump(request, queue))
        try:
            while True:
                item = await queue.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            if not pump.done():
                pump.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await pump

    async def complete(self, request: ModelRequest) -> str:
        """The whole answer as one string."""
        parts: list[str] = []
        async with contextlib.aclosing(self.stream(request)) as pieces:
            async for piece in pieces:
                parts.append(piece)
        return "".join(parts)

    async def aclose(self) -> None:
        """Close pooled connections this provider opened."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()
