"""Provider health: one clear message per outage and exponential back-off,
so a failing provider never causes a storm of requests or notifications.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from lsp.ai.provider import ProviderError

_ADVICE = {
    "auth": "check the API key (DEVSYNC_AI_API_KEY or aiApiKeyFile)",
    "rate_limit": "the provider is rate limiting; retrying later",
    "timeout": "the model did not answer in time; retrying later",
    "unavailable": "the provider is unreachable; retrying later",
    "bad_request": "the provider rejected the request; check DEVSYNC_AI_MODEL",
}


class Backoff:
    """Tracks failures; ``blocked()`` while waiting before the next try."""

    def __init__(
        self,
        base: float = 2.0,
        cap: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base, self.cap, self.clock = base, cap, clock
        self.failures = 0
        self.until = 0.0

    def blocked(self) -> bool:
        return self.clock() < self.until

    def failure(self, error: ProviderError) -> str | None:
        """Record a failure; the message to show if this starts an outage."""
        self.failures += 1
        delay = min(self.cap, self.base * 2 ** (self.failures - 1))
        self.until = self.clock() + delay
        if self.failures > 1:
            return None
        advice = _ADVICE.get(error.kind, "retrying later")
        return f"AI request failed ({error.kind}): {error.message}. {advice}."

    def success(self) -> None:
        self.failures = 0
        self.until = 0.0
