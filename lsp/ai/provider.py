"""The one door to models: litellm, imported lazily, behind a small API.

``Provider.stream(request)`` yields text pieces; closing the stream (or
cancelling the task iterating it) cancels the task that reads the answer,
so the upstream HTTP connection is closed at once rather than at garbage
collection. Errors become ``ProviderError`` with a kind and a message that
never contains the API key.

Two transports, chosen once per configuration and request kind:

- the fast path, for OpenAI chat, OpenAI-compatible completions and Ollama's
  ``/api/generate``: litellm still maps the parameters
  (``get_optional_params``), builds the body (the provider config's
  ``transform_request`` / ``transform_text_completion_request`` and
  ``transform_extra_body``), the URL (``get_complete_url``) and the headers
  (``validate_environment``), and parses streamed chunks (the provider
  config's response iterator); the request goes out on one shared
  ``httpx.AsyncClient``. This skips litellm's per-call wrapper (logging
  objects, callbacks, cost tracking, ``CustomStreamWrapper`` per chunk, the
  thread-pool hop of ``atext_completion``), which cost 7-15 ms of CPU a call;
- the full ``litellm.acompletion`` / ``atext_completion`` call for every other
  provider (Gemini, Codestral, ...) and request kind, or when
  ``fast_path`` is off.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
import weakref
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from lsp.ai.config import AIConfig

if TYPE_CHECKING:
    import httpx

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
            # The full-call fallback counts prompt tokens with tiktoken after
            # every stream that reports no usage; nothing here reads it.
            litellm.disable_token_counter = True
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


_providers: weakref.WeakSet[Provider] = weakref.WeakSet()


async def close_shared_clients() -> None:
    """Close pooled HTTP connections process-wide (at shutdown): every
    provider's fast-path client on this event loop, and litellm's cache."""
    for provider in list(_providers):
        await provider.close_http()
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


Shape = Literal["chat", "text", "ollama"]


@dataclass(frozen=True)
class _Route:
    """A fast-path route, resolved once through litellm per configuration
    and request kind: the provider config that knows the wire format, and
    the URL it builds."""

    shape: Shape  # chat completions, OpenAI completions, or Ollama generate
    provider: str  # litellm provider name used for parameter mapping
    model: str  # the model name without litellm's prefix
    api_base: str | None
    url: str
    config: Any  # litellm's provider config (BaseConfig)
    default_key: str | None  # litellm's key lookup for the provider (env)


def _resolve_route(config: AIConfig, kind: str) -> _Route | None:
    """The fast-path route for ``kind`` requests, or None when litellm's full
    call is needed (other providers or request kinds, or the option is off)."""
    if not config.fast_path or not config.model:
        return None
    litellm = _litellm or load_litellm()
    from litellm.litellm_core_utils.url_utils import ensure_api_route
    from litellm.types.utils import LlmProviders
    from litellm.utils import ProviderConfigManager

    try:
        model, provider, _key, base = litellm.get_llm_provider(
            config.model, api_base=config.api_base
        )
    except Exception:  # litellm does not know it: its full call will say why
        return None
    base = config.api_base or base
    if kind == "chat" and provider == "openai":
        pc: Any = ProviderConfigManager.get_provider_chat_config(
            model=model, provider=LlmProviders.OPENAI
        )
        base = base or pc.get_api_base()
        url = pc.get_complete_url(base, None, model, {}, {}, stream=config.stream)
        return _Route("chat", "openai", model, base, url, pc, pc.get_api_key())
    if kind == "text" and provider in ("openai", "text-completion-openai"):
        pc = ProviderConfigManager.get_provider_text_completion_config(
            model=model, provider=LlmProviders.TEXT_COMPLETION_OPENAI
        )
        base = base or pc.get_api_base()
        # The config leaves the path to the OpenAI SDK, which appends it.
        url = ensure_api_route(
            pc.get_complete_url(base, None, model, {}, {}, stream=config.stream),
            "completions",
        )
        return _Route(
            "text", "text-completion-openai", model, base, url, pc, pc.get_api_key()
        )
    if kind == "text" and provider == "ollama":
        pc = ProviderConfigManager.get_provider_chat_config(
            model=model, provider=LlmProviders.OLLAMA
        )
        base = litellm.api_base or base or os.environ.get("OLLAMA_API_BASE")
        url = pc.get_complete_url(base, None, model, {}, {}, stream=config.stream)
        return _Route("ollama", "ollama", model, base, url, pc, None)
    return None


def _error_text(body: bytes, status: int) -> str:
    """The provider's own error message from an error response body."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text or f"HTTP {status}"
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, dict):
        error = error.get("message", error)
    return str(error)


class _HTTPStatusError(Exception):
    """A non-2xx answer on the fast path (classified by ``status_code``)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status_code = status


class Provider:
    """Sends ``ModelRequest``s with the configured model and credentials."""

    def __init__(self, config: AIConfig) -> None:
        self.config = config
        self._client: Any = None  # one OpenAI SDK client per provider, reused
        self._routes: dict[str, _Route | None] = {}  # per request kind, once
        self._http: httpx.AsyncClient | None = None  # the fast path's pool
        self._http_loop: asyncio.AbstractEventLoop | None = None
        _providers.add(self)

    # -- choosing the transport ---------------------------------------------

    def route(self, kind: str) -> _Route | None:
        """The fast-path route for ``kind`` requests, or None for litellm's
        full call; worked out once (needs litellm imported)."""
        if kind not in self._routes:
            self._routes[kind] = _resolve_route(self.config, kind)
            log.info(
                "AI %s requests: %s",
                kind,
                "fast path" if self._routes[kind] else "litellm full call",
            )
        return self._routes[kind]

    def transport(self, kind: str) -> Literal["fast", "litellm"]:
        return "fast" if self.route(kind) is not None else "litellm"

    # -- the full litellm call (fallback) -------------------------------------

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

    async def _litellm_pieces(
        self, request: ModelRequest, queue: asyncio.Queue[str | BaseException | None]
    ) -> None:
        response = await self._call(request, self.config.stream)
        if not self.config.stream:
            queue.put_nowait(_piece(response, request.kind))
            return
        async for chunk in response:
            text = _piece(chunk, request.kind)
            if text:
                queue.put_nowait(text)

    # -- the fast path ----------------------------------------------------------

    def _http_client(self) -> httpx.AsyncClient:
        """The provider's one pooled HTTP client (keep-alive connections),
        made for the running event loop."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._http_loop is not loop:
            import httpx  # with litellm, never while the server starts

            self._http = httpx.AsyncClient(
                limits=httpx.Limits(max_keepalive_connections=8)
            )
            self._http_loop = loop
        return self._http

    async def close_http(self) -> None:
        """Close the fast path's connections (if made on this event loop)."""
        http, self._http = self._http, None
        if http is not None and self._http_loop is asyncio.get_running_loop():
            await http.aclose()

    def build(
        self, route: _Route, request: ModelRequest, stream: bool
    ) -> tuple[str, dict[str, str], dict[str, Any]]:
        """URL, headers and body of ``request``, all made by litellm's
        provider config (what its full call would send)."""
        from litellm.utils import get_optional_params

        cfg = self.config
        params = dict(request.kwargs)
        messages = params.pop("messages", None)
        prompt = params.pop("prompt", None)
        params.setdefault("max_tokens", cfg.max_tokens)
        params.setdefault("temperature", cfg.temperature)
        params["stream"] = stream
        optional: dict[str, Any] = get_optional_params(
            model=route.model, custom_llm_provider=route.provider, **params
        )
        extra = optional.pop("extra_body", None)
        pc = route.config
        if route.shape == "chat":
            if not stream:  # as litellm's OpenAI chat route: no "stream": false
                optional.pop("stream", None)
            body = pc.transform_request(route.model, messages, optional, {}, {})
        elif route.shape == "text":
            messages = [{"role": "user", "content": prompt}]
            body = pc.transform_text_completion_request(
                route.model, messages, optional, {}
            )
        else:
            messages = [{"role": "user", "content": prompt}]
            body = pc.transform_request(
                route.model, messages, optional, {"text_completion": True}, {}
            )
        if extra:
            body.update(
                pc.transform_extra_body(
                    extra_body=extra, request=body, model=route.model, litellm_params={}
                )
            )
        key = cfg.api_key() or route.default_key
        headers: dict[str, str] = pc.validate_environment(
            {},
            route.model,
            messages or [],
            optional,
            {},
            api_key=key,
            api_base=route.api_base,
        )
        if key and "Authorization" not in headers:  # as litellm's Ollama route
            headers["Authorization"] = f"Bearer {key}"
        headers.setdefault("Content-Type", "application/json")
        if route.shape != "ollama":  # as the OpenAI SDK
            headers.setdefault("Accept", "application/json")
        return route.url, headers, body

    async def _fast_pieces(
        self,
        route: _Route,
        request: ModelRequest,
        queue: asyncio.Queue[str | BaseException | None],
    ) -> None:
        stream = self.config.stream
        url, headers, body = self.build(route, request, stream)
        content = json.dumps(body).encode()
        client, timeout = self._http_client(), self.config.timeout
        if not stream:
            response = await client.post(
                url, content=content, headers=headers, timeout=timeout
            )
            if response.status_code >= 400:
                raise _HTTPStatusError(
                    response.status_code,
                    _error_text(response.content, response.status_code),
                )
            queue.put_nowait(_whole_text(route.shape, response.json()))
            return
        parse = _chunk_reader(route)
        async with client.stream(
            "POST", url, content=content, headers=headers, timeout=timeout
        ) as r:
            if r.status_code >= 400:
                raise _HTTPStatusError(
                    r.status_code, _error_text(await r.aread(), r.status_code)
                )
            done = False
            async for line in r.aiter_lines():
                text = None if done else parse(line)
                if text is None:
                    # Read on to the end of the body (after "[DONE]" there is
                    # only the chunked terminator): a response closed early
                    # cannot give its connection back to the pool.
                    done = True
                elif text:
                    queue.put_nowait(text)

    # -- either transport ---------------------------------------------------

    async def _pump(
        self, request: ModelRequest, queue: asyncio.Queue[str | BaseException | None]
    ) -> None:
        """Read the upstream answer into ``queue``; cancelling this task is
        what closes the HTTP connection (the cancellation unwinds through
        httpx's stream, or litellm's, the SDK's and httpx's, each closing
        its response)."""
        try:
            if _litellm is None:  # the import is not the model's time
                await asyncio.get_running_loop().run_in_executor(None, load_litellm)
            async with asyncio.timeout(self.config.timeout):
                route = self.route(request.kind)
                if route is not None:
                    await self._fast_pieces(route, request, queue)
                else:
                    await self._litellm_pieces(request, queue)
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
        await self.close_http()


def _whole_text(shape: Shape, data: Any) -> str:
    """The text of a whole (non-streamed) answer."""
    if shape == "ollama":
        return str(data.get("response") or "")
    choices = data.get("choices") or []
    if not choices:
        return ""
    if shape == "text":
        return str(choices[0].get("text") or "")
    message = choices[0].get("message") or {}
    return str(message.get("content") or "")


def _chunk_reader(route: _Route) -> Any:
    """A function from one line of the stream to its text: "" for nothing,
    None at the end. Chat and Ollama chunks go through litellm's response
    iterator for the provider (errors in the stream, reasoning kept out);
    OpenAI completions are read directly (litellm hands those to the SDK)."""
    iterator = None
    if route.shape != "text":
        iterator = route.config.get_model_response_iterator(
            streaming_response=None, sync_stream=False, json_mode=False
        )

    def read(line: str) -> str | None:
        if route.shape == "ollama":
            if not line.strip():
                return ""
            data = json.loads(line)
        else:
            if not line.startswith("data:"):
                return ""  # blank separators, comments, event names
            payload = line[5:].strip()
            if payload == "[DONE]":
                return None
            data = json.loads(payload)
        if iterator is None:
            if "error" in data:
                raise _HTTPStatusError(500, _error_text(json.dumps(data).encode(), 500))
            choices = data.get("choices") or []
            return str(choices[0].get("text") or "") if choices else ""
        chunk = iterator.chunk_parser(data)
        if isinstance(chunk, dict):  # litellm's GenericStreamingChunk
            text = str(chunk.get("text") or "")
            return None if chunk.get("is_finished") and not text else text
        choices = getattr(chunk, "choices", None) or []
        delta = getattr(choices[0], "delta", None) if choices else None
        return (getattr(delta, "content", None) or "") if delta is not None else ""

    return read
