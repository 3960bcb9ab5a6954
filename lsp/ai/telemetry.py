"""Local AI telemetry: counts and latency percentiles, never sent anywhere.

Exposed through the ``devsync.ai.stats`` command and the server's metrics.
"""

from __future__ import annotations

from collections import Counter, deque
from typing import Any

COUNTS = (
    "requests",  # inline requests received
    "cache_hits",  # answered by typing through a shown suggestion
    "upstream",  # requests sent to the model
    "cancelled",  # superseded by a newer keystroke
    "stale",  # dropped because the document changed meanwhile
    "empty",  # the answer was nothing worth showing
    "errors",  # provider errors
    "backoff_skips",  # not asked because of a recent provider error
    "shown",  # suggestions returned to the editor
    "accepted",  # suggestions the editor reported as accepted
    "partially_accepted",  # suggestions the user typed part of
    "rate_limited",  # server chat requests refused by the per-user limit
)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile, or None without data."""
    if not values:
        return None
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class Telemetry:
    """Counters plus bounded latency samples (ms)."""

    def __init__(self, samples: int = 1000) -> None:
        self.counts: Counter[str] = Counter()
        self.latency: dict[str, deque[float]] = {
            "total_ms": deque(maxlen=samples),  # request in -> answer out
            "model_ms": deque(maxlen=samples),  # upstream call
            "cache_ms": deque(maxlen=samples),  # typed-through answers
        }
        self.max_in_flight = 0

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    def observe(self, name: str, ms: float) -> None:
        self.latency[name].append(ms)

    def snapshot(self) -> dict[str, Any]:
        """Plain data for ``devsync.ai.stats`` and metrics endpoints."""
        out: dict[str, Any] = {name: self.counts[name] for name in COUNTS}
        for name, values in self.latency.items():
            data = list(values)
            out[name] = {
                "count": len(data),
                "p50": percentile(data, 50),
                "p95": percentile(data, 95),
                "p99": percentile(data, 99),
            }
        out["max_in_flight_per_document"] = self.max_in_flight
        return out
