"""Fixtures for the AI tests: a fake provider on 127.0.0.1 per test.

litellm is imported once per test process (it takes seconds), by the first
test that sends a request.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.ai_provider import FakeProvider


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the AI tests on one event loop: litellm and the OpenAI SDK keep
    pooled connections per loop, and one loop means one import, one pool."""
    here = str(__file__).rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here) and item.get_closest_marker("asyncio"):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)
        if str(item.path).startswith(here):
            # litellm caches its own HTTP clients (per provider, with a TTL)
            # and drops them without closing their keep-alive sockets; the
            # warning fires at garbage collection in whichever test runs then.
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:unclosed.*127.0.0.1:ResourceWarning",
                ),
            )
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:unclosed transport:ResourceWarning",
                ),
            )
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:Exception ignored in. <(socket|function _Selector)"
                    ":pytest.PytestUnraisableExceptionWarning",
                ),
            )
            # pydantic warns once about a TypedDict inside litellm's Ollama
            # route; as an error it would break that route in tests only.
            item.add_marker(
                pytest.mark.filterwarnings("ignore:.*`ReadOnly` qualifier"),
            )
