"""POST /api/projects/{id}/ai/chat: SSE streaming through the fake provider,
editor context in the prompt, errors as events, per-user rate limit."""

from __future__ import annotations

import gc
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from lsp.ai.provider import close_shared_clients, load_litellm
from tests.fakes.ai_provider import FakeProvider
from tests.server.conftest import Account

pytestmark = [
    # litellm drops some cached HTTP clients without closing their sockets,
    # and on an upstream error leaves one coroutine un-awaited (litellm's).
    pytest.mark.filterwarnings(
        "ignore:coroutine '.*async_streaming' was never awaited"
    ),
    pytest.mark.filterwarnings("ignore:unclosed.*127.0.0.1:ResourceWarning"),
    pytest.mark.filterwarnings("ignore:unclosed transport:ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <(socket|function _Selector)"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]


@pytest.fixture
async def fake(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeProvider]:
    load_litellm()
    with FakeProvider(text="Use a dict comprehension.") as provider:
        monkeypatch.setenv("DEVSYNC_AI_MODEL", "openai/gpt-4o-mini")
        monkeypatch.setenv("DEVSYNC_AI_API_BASE", provider.v1)
        monkeypatch.setenv("DEVSYNC_AI_API_KEY", "sk-chat")
        monkeypatch.setenv("DEVSYNC_AI_CHAT_PER_MINUTE", "3")
        yield provider
        service = getattr(app.state, "ai_chat", None)
        if service is not None and service.provider is not None:
            await service.provider.aclose()
        await close_shared_clients()
        gc.collect()  # report leftovers here, where the filters below apply


def events(text: str) -> list[tuple[str, dict[str, object]]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        out.append((lines["event"], json.loads(lines["data"])))
    return out


BODY = {
    "messages": [{"role": "user", "content": "How do I invert a mapping?"}],
    "path": "app/util.py",
    "file": "def invert(d):\n    pass\n",
    "selection": "pass",
    "diagnostics": ["F841 local variable 'x' is assigned to but never used"],
}


async def test_chat_streams_events(
    client: httpx.AsyncClient, owner: Account, project_id: int, fake: FakeProvider
) -> None:
    url = f"/api/projects/{project_id}/ai/chat"
    async with client.stream("POST", url, json=BODY, headers=owner.headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join([chunk async for chunk in r.aiter_text()])
    got = events(text)
    assert got[-1] == ("done", {})
    assert "".join(str(d["text"]) for name, d in got if name == "delta") == fake.text
    [req] = fake.requests
    system = req.messages[0]["content"]
    assert "app/util.py" in system
    assert "def invert(d):" in system
    assert "Selected code" in system
    assert "F841" in system
    assert req.messages[-1] == BODY["messages"][0]  # type: ignore[index]
    assert req.body["stream"] is True


async def test_provider_error_is_an_event(
    client: httpx.AsyncClient, owner: Account, project_id: int, fake: FakeProvider
) -> None:
    fake.status = 429
    response = await client.post(
        f"/api/projects/{project_id}/ai/chat", json=BODY, headers=owner.headers
    )
    assert response.status_code == 200
    [(name, data)] = events(response.text)
    assert name == "error"
    assert data["kind"] == "rate_limit"
    assert "sk-chat" not in str(data["message"])


async def test_rate_limit_per_user(
    client: httpx.AsyncClient, owner: Account, project_id: int, fake: FakeProvider
) -> None:
    url = f"/api/projects/{project_id}/ai/chat"
    codes = [
        (await client.post(url, json=BODY, headers=owner.headers)).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    stats = await client.get(
        f"/api/projects/{project_id}/ai/stats", headers=owner.headers
    )
    assert stats.status_code == 200
    body = stats.json()
    assert body["requests"] == 4
    assert body["rate_limited"] == 1
    assert body["upstream"] == 3
    assert body["model_ms"]["count"] == 3


async def test_not_configured_is_an_event(
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEVSYNC_AI_MODEL", raising=False)
    response = await client.post(
        f"/api/projects/{project_id}/ai/chat", json=BODY, headers=owner.headers
    )
    assert events(response.text) == [
        (
            "error",
            {
                "kind": "not_configured",
                "message": "AI is not configured: set DEVSYNC_AI_MODEL",
            },
        )
    ]


async def test_requires_project_access(
    client: httpx.AsyncClient, make_user: object, project_id: int, fake: FakeProvider
) -> None:
    stranger = await make_user("mallory")  # type: ignore[operator]
    response = await client.post(
        f"/api/projects/{project_id}/ai/chat", json=BODY, headers=stranger.headers
    )
    assert response.status_code in (403, 404)
    assert fake.requests == []
