"""The two transports of the provider layer: the fast path (litellm's
provider config builds the request, one pooled httpx client sends it) sends
exactly what litellm's full call sends, on every route it covers, streamed
or not; everything else goes through litellm's full call."""

from __future__ import annotations

from typing import Any

import pytest

from lsp.ai.config import load_config
from lsp.ai.provider import ModelRequest, Provider, ProviderError
from tests.fakes.ai_provider import FakeProvider, Recorded

MESSAGES = [
    {"role": "system", "content": "Fill the hole."},
    {"role": "user", "content": "def add(a, b):\n    <CURSOR>\n"},
]
# (model, base, request): every request shape DevSync sends on a fast route.
FAST = {
    "chat": ("openai/gpt-4o-mini", "v1", ModelRequest("chat", {"messages": MESSAGES})),
    "chat, max_tokens override": (
        "openai/gpt-4o-mini",
        "v1",
        ModelRequest("chat", {"messages": MESSAGES, "max_tokens": 1024}),
    ),
    "openai FIM template": (
        "text-completion-openai/qwen2.5-coder:1.5b",
        "v1",
        ModelRequest(
            "text",
            {
                "prompt": "<|fim_prefix|>def add(a, b):\n    "
                "<|fim_suffix|>\n<|fim_middle|>",
                "stop": ["<|endoftext|>", "<|fim_prefix|>"],
            },
        ),
    ),
    "openai FIM prompt + suffix": (
        "text-completion-openai/my-model",
        "v1",
        ModelRequest("text", {"prompt": "def add(a, b):\n    ", "suffix": "\n"}),
    ),
    "FIM mode on an openai/ model": (
        "openai/my-model",
        "v1",
        ModelRequest("text", {"prompt": "def add(a, b):\n    ", "suffix": "\n"}),
    ),
    "ollama suffix": (
        "ollama/qwen2.5-coder:1.5b",
        "url",
        ModelRequest(
            "text",
            {
                "prompt": "def add(a, b):\n    ",
                "extra_body": {"suffix": "\n\nprint(add(1, 2))\n", "raw": False},
                "stop": ["<|endoftext|>"],
            },
        ),
    ),
    "ollama raw template": (
        "ollama/codellama:7b-code",
        "url",
        ModelRequest(
            "text",
            {"prompt": "<PRE> def f(): <SUF>\n <MID>", "extra_body": {"raw": True}},
        ),
    ),
}


def provider(fake: FakeProvider, model: str, base: str, **options: Any) -> Provider:
    config, errors = load_config(
        {
            "model": model,
            "apiBase": fake.url if base == "url" else fake.v1,
            "apiKey": "sk-transport",
            **options,
        },
        environ={},
    )
    assert errors == []
    return Provider(config)


async def send(
    fake: FakeProvider, case: str, *, fast: bool, stream: bool
) -> tuple[str, Recorded]:
    model, base, request = FAST[case]
    prov = provider(fake, model, base, fastPath=fast, stream=stream)
    assert prov.transport(request.kind) == ("fast" if fast else "litellm")
    fake.reset()
    try:
        text = await prov.complete(request)
    finally:
        await prov.aclose()
    [rec] = fake.generations()
    return text, rec


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
@pytest.mark.parametrize("case", list(FAST))
async def test_fast_path_sends_what_litellm_sends(
    fake: FakeProvider, case: str, stream: bool
) -> None:
    fake.text = "return a + b"
    slow_text, slow = await send(fake, case, fast=False, stream=stream)
    fast_text, quick = await send(fake, case, fast=True, stream=stream)
    assert fast_text == slow_text == "return a + b"
    assert quick.path == slow.path
    assert quick.body == slow.body
    assert quick.headers["authorization"] == "Bearer sk-transport"
    assert slow.headers["authorization"] == "Bearer sk-transport"


async def test_fast_path_bodies_are_what_each_api_reads(fake: FakeProvider) -> None:
    """Spelled out once, so a change in litellm shows here by name."""
    _, chat = await send(fake, "chat", fast=True, stream=True)
    assert chat.path == "/v1/chat/completions"
    assert chat.body == {
        "model": "gpt-4o-mini",
        "messages": MESSAGES,
        "max_tokens": 128,
        "temperature": 0.2,
        "stream": True,
    }
    _, whole = await send(fake, "chat", fast=True, stream=False)
    assert "stream" not in whole.body
    _, fim = await send(fake, "openai FIM prompt + suffix", fast=True, stream=True)
    assert fim.path == "/v1/completions"
    assert fim.body == {
        "model": "my-model",
        "prompt": "def add(a, b):\n    ",
        "suffix": "\n",
        "max_tokens": 128,
        "temperature": 0.2,
        "stream": True,
    }
    _, ollama = await send(fake, "ollama suffix", fast=True, stream=True)
    assert ollama.path == "/api/generate"
    assert ollama.body == {
        "model": "qwen2.5-coder:1.5b",
        "prompt": "def add(a, b):\n    ",
        "suffix": "\n\nprint(add(1, 2))\n",
        "raw": False,
        "stream": True,
        "options": {"num_predict": 128, "temperature": 0.2, "stop": ["<|endoftext|>"]},
    }


@pytest.mark.parametrize(
    ("model", "kind", "options", "transport"),
    [
        ("openai/gpt-4o-mini", "chat", {}, "fast"),
        ("gpt-4o-mini", "chat", {}, "fast"),
        ("text-completion-openai/qwen2.5-coder", "text", {}, "fast"),
        ("ollama/qwen2.5-coder", "text", {}, "fast"),
        ("openai/gpt-4o-mini", "chat", {"fastPath": False}, "litellm"),
        ("ollama/qwen2.5-coder", "chat", {}, "litellm"),  # code actions on Ollama
        ("text-completion-openai/qwen2.5-coder", "chat", {}, "litellm"),
        ("text-completion-codestral/codestral-latest", "text", {}, "litellm"),
        ("gemini/gemini-2.0-flash", "chat", {}, "litellm"),
    ],
)
def test_transport_is_chosen_once_per_configuration(
    model: str, kind: str, options: dict[str, Any], transport: str
) -> None:
    config, errors = load_config(
        {"model": model, "apiBase": "http://127.0.0.1:9/v1", **options}, environ={}
    )
    assert errors == []
    prov = Provider(config)
    assert prov.transport(kind) == transport
    assert prov.route(kind) is prov.route(kind)  # resolved once


async def test_fallback_route_still_answers(fake: FakeProvider) -> None:
    """Code actions on an Ollama model are chat requests: litellm's full call."""
    fake.text = "It adds."
    prov = provider(fake, "ollama/qwen2.5-coder", "url")
    try:
        assert prov.transport("chat") == "litellm"
        text = await prov.complete(
            ModelRequest("chat", {"messages": [{"role": "user", "content": "?"}]})
        )
    finally:
        await prov.aclose()
    assert text == "It adds."
    [rec] = fake.generations()
    assert rec.path == "/api/generate"


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, "auth"), (429, "rate_limit"), (400, "bad_request"), (503, "unavailable")],
)
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
@pytest.mark.parametrize("case", ["chat", "ollama suffix"])
async def test_fast_path_errors_are_classified_without_the_key(
    fake: FakeProvider, case: str, stream: bool, status: int, kind: str
) -> None:
    fake.status = status
    fake.error_body = '{"error": {"message": "bad key sk-transport", "type": "x"}}'
    model, base, request = FAST[case]
    prov = provider(fake, model, base, stream=stream)
    try:
        with pytest.raises(ProviderError) as caught:
            await prov.complete(request)
    finally:
        await prov.aclose()
    assert caught.value.kind == kind
    assert "bad key ***" in caught.value.message
    assert "sk-transport" not in caught.value.message


async def test_fast_path_reuses_one_connection(fake: FakeProvider) -> None:
    """After a whole streamed answer the connection goes back to the pool:
    the next request is sent on it without a new TCP handshake."""
    for case in ("chat", "openai FIM template", "ollama suffix"):
        model, base, request = FAST[case]
        prov = provider(fake, model, base)
        fake.reset()
        try:
            for _ in range(3):
                assert await prov.complete(request) == fake.text
        finally:
            await prov.aclose()
        assert len(fake.generations()) == 3
        assert fake.connections == 1, case
