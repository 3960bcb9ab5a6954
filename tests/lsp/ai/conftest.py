"""Fixtures for the AI tests: a fake provider on 127.0.0.1 per test.

litellm is imported once per test process (it takes seconds), before the
first test that uses the fake provider, so no test's timing includes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from lsp.ai.provider import close_shared_clients, load_litellm
from tests.fakes.ai_provider import FakeProvider


@pytest.fixture(scope="session")
def litellm_imported() -> None:
    load_litellm()


@pytest.fixture
async def fake(litellm_imported: None) -> AsyncIterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider
        await close_shared_clients()  # litellm caches clients per process


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the AI tests on one event loop: litellm and the OpenAI SDK keep
    pooled connections per loop, and one loop means one import, one pool."""
    here = str(__file__).rsplit("/", 1)[0]
    for item in items:
        if not str(item.path).startswith(here):
            continue
        if item.get_closest_marker("asyncio"):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)
        # litellm caches HTTP clients (per provider, with a TTL) and drops
        # some without closing their keep-alive sockets; the warning fires at
        # garbage collection in whichever test happens to run then.
        for rule in (
            "ignore:unclosed.*127.0.0.1:ResourceWarning",
            "ignore:unclosed transport:ResourceWarning",
            "ignore:Exception ignored in. <(socket|function _Selector)"
            ":pytest.PytestUnraisableExceptionWarning",
            # pydantic warns once about a TypedDict inside litellm's Ollama
            # route; as an error it would break that route in tests only.
            "ignore:.*`ReadOnly` qualifier",
        ):
            item.add_marker(pytest.mark.filterwarnings(rule))
