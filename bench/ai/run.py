"""AI pipeline benchmark against a local fake provider with a fixed delay.

    .venv/bin/python -m bench.ai.run [--n 100] [--delay-ms 50] [--full-call]

Measures, on the real pipeline (context, prompt, litellm, HTTP, streaming,
post-processing): overhead = end-to-end minus the fake's fixed delay, per
route, on the provider's fast path (litellm's provider config builds the
request, one pooled httpx client sends it) and through litellm's full call
(``--full-call``, the fallback transport, for comparison in the same run),
next to a bare httpx request to the same fake (the floor, same run);
typed-through latency and model calls; how fast an older upstream stream is
closed after a newer keystroke; upstream requests per 100 keystrokes of a
typing script and the most requests ever in flight for one document. No
peers to install: the floor is measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import time
from datetime import UTC, datetime

import httpx

from lsp.ai.config import load_config
from lsp.ai.inline import InlineEngine, InlineQuery
from lsp.ai.provider import close_shared_clients, load_litellm
from lsp.ai.telemetry import percentile
from tests.fakes.ai_provider import FakeProvider

SCRIPT = (
    "def total_price(items, tax_rate):\n"
    "    subtotal = sum(item.price * item.quantity for item in items)\n"
    "    return round(subtotal * (1 + tax_rate), 2)\n"
)
HEAD = "import math\n\n"
# DevSync's own share per request: end-to-end minus the provider call
# (context, prompt, scheduling, post-processing), keyed by (model, stream).
OWN: dict[tuple[str, bool, bool], list[float]] = {}
# CPU time per request of this process (the pipeline and the in-process fake,
# which does the same work for every route), keyed by (model, stream, fast):
# unlike wall time, it hardly moves when the machine is busy.
CPU: dict[tuple[str, bool, bool], float] = {}


def engine(fake: FakeProvider, model: str, **options: object) -> InlineEngine:
    base = fake.url if model.startswith("ollama/") else fake.v1
    config, errors = load_config(
        {"model": model, "apiBase": base, "apiKey": "sk-bench", **options}, environ={}
    )
    assert not errors, errors
    return InlineEngine(config)


def query(text: str, version: int) -> InlineQuery:
    return InlineQuery(
        "file:///bench.py", version, text, len(text), "bench.py", "python"
    )


async def overhead(
    fake: FakeProvider,
    model: str,
    n: int,
    delay: float,
    stream: bool = True,
    fast: bool = True,
) -> list[float]:
    fake.delay, fake.text = delay, "value = compute(x)"
    eng = engine(fake, model, debounceMs=0, stream=stream, fastPath=fast)
    out = []
    cpu = 0.0
    for i in range(n + 5):
        text = f"{HEAD}x = {i}\n"  # a new prefix each time: no cache hits
        cpu_start, start = time.process_time(), time.perf_counter()
        found = await eng.suggest(query(text, i))
        assert found is not None
        if i >= 5:  # warm-up
            out.append((time.perf_counter() - start) * 1e3 - delay * 1e3)
            cpu += time.process_time() - cpu_start
    CPU[model, stream, fast] = cpu * 1e3 / n
    lat = eng.telemetry.latency
    OWN[model, stream, fast] = [
        t - m for t, m in zip(lat["total_ms"], lat["model_ms"], strict=True)
    ][5:]
    await eng.aclose()
    return out


async def floor(fake: FakeProvider, n: int, delay: float) -> list[float]:
    """A bare streaming httpx request to the same fake: the HTTP floor."""
    fake.delay = delay
    out = []
    cpu = 0.0
    async with httpx.AsyncClient() as client:
        for i in range(n + 5):
            body = {"model": "m", "prompt": f"x = {i}", "stream": True}
            cpu_start, start = time.process_time(), time.perf_counter()
            async with client.stream("POST", fake.v1 + "/completions", json=body) as r:
                async for _ in r.aiter_lines():
                    pass
            if i >= 5:
                out.append((time.perf_counter() - start) * 1e3 - delay * 1e3)
                cpu += time.process_time() - cpu_start
    CPU["floor: bare httpx stream", True, True] = cpu * 1e3 / n
    return out


async def typed_through(fake: FakeProvider) -> tuple[list[float], int]:
    fake.delay, fake.text = 0.05, "subtotal = sum(item.price for item in items)"
    eng = engine(fake, "openai/gpt-4o-mini", debounceMs=0)
    text = HEAD + "def f(items):\n    "
    assert await eng.suggest(query(text, 0)) is not None
    before = len(fake.generations())
    out = []
    for i, char in enumerate(fake.text[:-1], 1):
        text += char
        start = time.perf_counter()
        found = await eng.suggest(query(text, i))
        out.append((time.perf_counter() - start) * 1e3)
        assert found is not None
        assert found.cached
    calls = len(fake.generations()) - before
    await eng.aclose()
    return out, calls


async def cancellation(fake: FakeProvider, model: str, n: int) -> list[float]:
    out = []
    eng = engine(fake, model, debounceMs=0)
    for i in range(n):
        fake.delay, fake.text = 5.0, "x"
        seen = len(fake.requests)
        first = asyncio.ensure_future(eng.suggest(query(f"{HEAD}a{i}", 2 * i)))
        await fake.arrived(seen + 1)
        await asyncio.sleep(0.02)
        fake.delay = 0.0
        pressed = time.monotonic()
        await eng.suggest(query(f"{HEAD}a{i}b", 2 * i + 1))
        await first
        closed = fake.generations()[-2].closed_at
        assert closed is not None, "older stream not closed"
        out.append((closed - pressed) * 1e3)
    await eng.aclose()
    return out


async def typing(fake: FakeProvider, delay: float) -> tuple[int, int, int, int]:
    """Type SCRIPT with 40 ms between keys and a 500 ms pause after each
    line; the fake answers with the rest of the current line, as a good
    model would. Returns (keystrokes, upstream requests, cache hits, max in
    flight per document)."""
    fake.reset()
    fake.delay = delay

    def rest_of_line(rec: object) -> str:
        body = getattr(rec, "body", {})
        typed = body["messages"][1]["content"].split("<CURSOR>")[0]
        done = typed.split("# Path: bench.py\n", 1)[-1][len(HEAD) :]
        return SCRIPT[len(done) :].split("\n", 1)[0] or "pass"

    fake.responder = rest_of_line
    eng = engine(fake, "openai/gpt-4o-mini", debounceMs=150)
    tasks = []
    text = HEAD
    for i, char in enumerate(SCRIPT):
        text += char
        tasks.append(asyncio.ensure_future(eng.suggest(query(text, i))))
        await asyncio.sleep(0.5 if char == "\n" else 0.04)
    await asyncio.gather(*tasks)
    await eng.aclose()
    fake.responder = None
    hits = eng.telemetry.counts["cache_hits"]
    return len(SCRIPT), len(fake.generations()), hits, fake.max_in_flight


def row(name: str, values: list[float]) -> str:
    p50, p95 = percentile(values, 50), percentile(values, 95)
    return f"| {name} | {p50:.2f} | {p95:.2f} | {max(values):.2f} | {len(values)} |"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument(
        "--full-call",
        action="store_true",
        help="also measure every route through litellm's full call",
    )
    args = parser.parse_args()
    delay = args.delay_ms / 1000
    load_litellm()
    fake = FakeProvider().start()
    try:
        routes = {
            "chat (openai/)": "openai/gpt-4o-mini",
            "FIM (text-completion-openai/)": "text-completion-openai/qwen2.5-coder",
            "FIM (ollama/ native)": "ollama/qwen2.5-coder",
        }
        results = {
            name: await overhead(fake, m, args.n, delay) for name, m in routes.items()
        }
        results["chat, stream off"] = await overhead(
            fake, "openai/gpt-4o-mini", args.n, delay, stream=False
        )
        if args.full_call:
            for name, m in routes.items():
                results[f"{name}, litellm full call"] = await overhead(
                    fake, m, args.n, delay, fast=False
                )
        bare = await floor(fake, args.n, delay)
        cached, cached_calls = await typed_through(fake)
        cancel = {name: await cancellation(fake, m, 20) for name, m in routes.items()}
        keys, upstream, hits, in_flight = await typing(fake, 0.2)
        await close_shared_clients()
    finally:
        fake.stop()
    print(
        f"# AI pipeline, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, model delay {args.delay_ms:.0f} ms\n"
    )
    print("| measure (ms) | p50 | p95 | max | n |\n|---|---|---|---|---|")
    for name, values in results.items():
        print(row(f"overhead, {name}", values))
    print(row("floor: bare httpx stream to the same fake", bare))
    for (model, stream, fast), values in OWN.items():
        mode = "stream" if stream else "no stream"
        how = "fast path" if fast else "litellm full call"
        print(
            row(
                f"DevSync's own steps (minus the provider call), {model}, {mode}, "
                f"{how}",
                values,
            )
        )
    print(row(f"typed-through answer ({cached_calls} model calls)", cached))
    for name, values in cancel.items():
        print(row(f"older stream closed after new keystroke, {name}", values))
    print("\n| CPU per request, this process incl. the fake (ms) | mean |\n|---|---|")
    for (model, stream, fast), ms in CPU.items():
        mode = "stream" if stream else "no stream"
        how = "fast path" if fast else "litellm full call"
        name = model if model.startswith("floor") else f"{model}, {mode}, {how}"
        print(f"| {name} | {ms:.2f} |")
    print(
        f"\nTyping script: {keys} keystrokes -> {upstream} upstream requests "
        f"({upstream * 100 / keys:.1f} per 100 keystrokes), {hits} answered from "
        f"cache, max {in_flight} in flight per document."
    )
    chat = results["chat (openai/)"]
    bars = {
        "overhead p50 <= 5 ms (chat)": (percentile(chat, 50) or 0) <= 5,
        "overhead p95 <= 15 ms (chat)": (percentile(chat, 95) or 0) <= 15,
        "typed-through <= 10 ms, 0 model calls": max(cached) <= 10
        and cached_calls == 0,
        "cancellation <= 50 ms": all(max(v) <= 50 for v in cancel.values()),
        "never > 1 in flight per document": in_flight <= 1,
    }
    print(
        "\n"
        + json.dumps({k: "PASS" if v else "FAIL" for k, v in bars.items()}, indent=1)
    )


if __name__ == "__main__":
    asyncio.run(main())
