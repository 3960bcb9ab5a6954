"""The inline pipeline: debounce, typed-through cache, stale results,
no-model message, provider errors with back-off."""

from __future__ import annotations

import asyncio

from lsp.ai.config import NOT_CONFIGURED, load_config
from lsp.ai.inline import InlineEngine, InlineQuery
from tests.fakes.ai_provider import FakeProvider

TEXT = "def f(x):\n    "


def make(fake: FakeProvider, **options: object) -> tuple[InlineEngine, list[str]]:
    config, errors = load_config(
        {"model": "openai/gpt-4o-mini", "apiBase": fake.v1, "apiKey": "k", **options},
        environ={},
    )
    assert errors == []
    messages: list[str] = []
    return InlineEngine(config, notify=messages.append), messages


def at_end(text: str, version: int = 1) -> InlineQuery:
    return InlineQuery("file:///a.py", version, text, len(text), "a.py", "python")


async def test_debounce_coalesces_a_burst(fake: FakeProvider) -> None:
    fake.text = "return x"
    eng, _ = make(fake, debounceMs=60)
    try:
        typed = [TEXT + "r"[:i] for i in range(1)] + [
            TEXT + s for s in ("r", "re", "ret")
        ]
        tasks = []
        for version, text in enumerate(typed, 1):
            tasks.append(asyncio.ensure_future(eng.suggest(at_end(text, version))))
            await asyncio.sleep(0.01)
        results = await asyncio.gather(*tasks)
        assert results[:-1] == [None] * (len(typed) - 1)
        assert results[-1] is not None
        assert len(fake.generations()) == 1
    finally:
        await eng.aclose()


async def test_typing_through_answers_from_cache(fake: FakeProvider) -> None:
    fake.text = "return x * 2"
    eng, _ = make(fake, debounceMs=0)
    try:
        first = await eng.suggest(at_end(TEXT))
        assert first is not None
        assert first.text == "return x * 2"
        for i, char in enumerate("return x", 1):
            hit = await eng.suggest(at_end(TEXT + "return x"[:i], i + 1))
            assert hit is not None
            assert hit.cached
            assert hit.text == "return x * 2"[i:]
            del char
        assert len(fake.generations()) == 1
        assert eng.telemetry.counts["cache_hits"] == 8
        assert eng.telemetry.counts["partially_accepted"] == 1
        # Typing something else goes back to the model.
        await eng.suggest(at_end(TEXT + "yield", 20))
        assert len(fake.generations()) == 2
    finally:
        await eng.aclose()


async def test_stale_version_is_dropped(fake: FakeProvider) -> None:
    fake.text, fake.delay = "return x", 0.1
    version = {"now": 1}
    eng, _ = make(fake, debounceMs=0)
    eng.current_version = lambda _uri: version["now"]
    try:
        task = asyncio.ensure_future(eng.suggest(at_end(TEXT, 1)))
        await fake.arrived(1)
        version["now"] = 2  # a didChange without a new inline request
        assert await task is None
        assert eng.telemetry.counts["stale"] == 1
    finally:
        await eng.aclose()


async def test_no_model_says_so_once() -> None:
    config, _ = load_config({}, environ={})
    messages: list[str] = []
    eng = InlineEngine(config, notify=messages.append)
    for i in range(5):
        assert await eng.suggest(at_end(TEXT + "x" * i)) is None
    assert messages == [NOT_CONFIGURED]


async def test_provider_error_one_message_and_backoff(fake: FakeProvider) -> None:
    fake.status = 500
    eng, messages = make(fake, debounceMs=0)
    try:
        for i in range(6):
            assert await eng.suggest(at_end(TEXT + "x" * i, i + 1)) is None
        assert len(fake.generations()) == 1  # back-off: no storm
        assert len(messages) == 1
        assert "AI request failed" in messages[0]
        assert "k" not in messages[0].split("(")[0]
        assert eng.telemetry.counts["backoff_skips"] == 5
    finally:
        await eng.aclose()


async def test_rate_limit_and_auth_are_classified(fake: FakeProvider) -> None:
    for status, kind in ((429, "rate_limit"), (401, "auth")):
        fake.status = status
        eng, messages = make(fake, debounceMs=0)
        try:
            assert await eng.suggest(at_end(TEXT)) is None
            assert f"({kind})" in messages[0]
        finally:
            await eng.aclose()


async def test_timeout_is_a_provider_error(fake: FakeProvider) -> None:
    fake.delay = 2.0
    eng, messages = make(fake, debounceMs=0, timeout=0.2)
    try:
        assert await eng.suggest(at_end(TEXT)) is None
        assert "(timeout)" in messages[0]
    finally:
        await eng.aclose()


async def test_whitespace_answer_is_not_shown(fake: FakeProvider) -> None:
    fake.text = "\n   \n"
    eng, _ = make(fake, debounceMs=0)
    try:
        assert await eng.suggest(at_end(TEXT)) is None
        assert eng.telemetry.counts["empty"] == 1
    finally:
        await eng.aclose()


async def test_stats_snapshot(fake: FakeProvider) -> None:
    fake.text = "return x"
    eng, _ = make(fake, debounceMs=0)
    try:
        await eng.suggest(at_end(TEXT))
        stats = eng.telemetry.snapshot()
        assert stats["shown"] == 1
        assert stats["upstream"] == 1
        assert stats["total_ms"]["count"] == 1
        assert stats["total_ms"]["p50"] > 0
    finally:
        await eng.aclose()
