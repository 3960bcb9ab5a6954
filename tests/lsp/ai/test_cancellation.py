"""A newer keystroke cancels the older request and closes its upstream
connection (observed at the fake server) within 50 ms."""

from __future__ import annotations

import asyncio
import time

import pytest

from lsp.ai.config import load_config
from lsp.ai.inline import InlineEngine, InlineQuery
from tests.fakes.ai_provider import FakeProvider

TEXT = "def f(x):\n    "


def make(
    fake: FakeProvider, model: str, base: str, transport: str = "fast"
) -> InlineEngine:
    config, _ = load_config(
        {
            "model": model,
            "apiBase": base,
            "apiKey": "k",
            "debounceMs": 0,
            "fastPath": transport == "fast",
        },
        environ={},
    )
    eng = InlineEngine(config)
    assert eng.provider is not None
    kind = "chat" if model.startswith("openai/") else "text"
    assert eng.provider.transport(kind) == transport
    return eng


ROUTES = [
    ("text-completion-openai/qwen2.5-coder", "v1"),
    ("ollama/qwen2.5-coder", "url"),
    ("openai/gpt-4o-mini", "v1"),
]


@pytest.mark.parametrize("transport", ["fast", "litellm"])
@pytest.mark.parametrize(("model", "base"), ROUTES)
@pytest.mark.parametrize("phase", ["waiting", "streaming"])
async def test_second_keystroke_closes_first_upstream(
    fake: FakeProvider, model: str, base: str, phase: str, transport: str
) -> None:
    if phase == "waiting":
        fake.delay = 2.0  # before the first byte
    else:
        fake.text, fake.chunk_size, fake.chunk_delay = "x" * 400, 1, 0.02
    eng = make(fake, model, getattr(fake, base), transport)
    try:
        first = asyncio.ensure_future(eng.suggest(InlineQuery("u", 1, TEXT, len(TEXT))))
        await fake.arrived(1)
        await asyncio.sleep(0.1)
        fake.delay, fake.chunk_delay, fake.text = 0.0, 0.0, "return x"
        typed = TEXT + "r"
        pressed = time.monotonic()
        second = await eng.suggest(InlineQuery("u", 2, typed, len(typed)))
        assert await first is None
        assert second is not None
        assert second.text == "eturn x" or second.text == "return x"
        old = fake.generations()[0]
        assert old.closed_at is not None, "upstream stream was not closed"
        assert old.finished_at is None
        assert (old.closed_at - pressed) * 1000 <= 50
        assert fake.max_in_flight == 1
        assert eng.telemetry.max_in_flight == 1
        assert eng.telemetry.counts["cancelled"] == 1
    finally:
        await eng.aclose()


@pytest.mark.parametrize("transport", ["fast", "litellm"])
async def test_caller_cancellation_closes_upstream(
    fake: FakeProvider, transport: str
) -> None:
    """$/cancelRequest cancels the handler task; the upstream closes too."""
    fake.delay = 2.0
    eng = make(fake, "openai/gpt-4o-mini", fake.v1, transport)
    try:
        task = asyncio.ensure_future(eng.suggest(InlineQuery("u", 1, TEXT, len(TEXT))))
        await fake.arrived(1)
        cancelled = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.05)
        closed = fake.requests[0].closed_at
        assert closed is not None
        assert (closed - cancelled) * 1000 <= 50
    finally:
        await eng.aclose()
