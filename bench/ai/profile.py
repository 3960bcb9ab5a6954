"""CPU time per model call, per route and per transport, and cProfile tables.

    .venv/bin/python -m bench.ai.profile [--n 200] [--cprofile ROUTE]

The fake provider runs in a child process, so this process's CPU time
(``time.process_time``, all threads, including litellm's thread pool) is the
provider layer's alone: building the request, HTTP, parsing the answer.
Each route is measured through litellm's full call (``acompletion`` /
``atext_completion``) and through the fast path (litellm's provider
transformation, one shared httpx client), back to back in one process, and
next to a bare httpx stream to the same fake (the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time

import httpx

from lsp.ai.config import load_config
from lsp.ai.provider import ModelRequest, Provider, close_shared_clients, load_litellm

ROUTES: dict[str, tuple[str, str, bool]] = {
    # name: (model, base kind, stream)
    "chat": ("openai/gpt-4o-mini", "v1", True),
    "fim-openai": ("text-completion-openai/qwen2.5-coder", "v1", True),
    "ollama": ("ollama/qwen2.5-coder", "url", True),
    "chat-nostream": ("openai/gpt-4o-mini", "v1", False),
}
PREFIX = "import math\n\ndef total(items):\n    "
SERVE = (
    "import sys, time\n"
    "from tests.fakes.ai_provider import FakeProvider\n"
    "f = FakeProvider(text='value = compute(x)').start()\n"
    "print(f.port, flush=True)\n"
    "sys.stdin.read()\n"
    "f.stop()\n"
)


def request(model: str, i: int) -> ModelRequest:
    if model.startswith("openai/"):
        messages = [
            {"role": "system", "content": "fill the hole"},
            {"role": "user", "content": f"{PREFIX}x = {i}<CURSOR>\n"},
        ]
        return ModelRequest("chat", {"messages": messages})
    return ModelRequest(
        "text", {"prompt": f"{PREFIX}x = {i}", "stop": ["\n\n", "<|endoftext|>"]}
    )


def provider(url: str, route: str, fast: bool) -> Provider:
    model, base, stream = ROUTES[route]
    config, errors = load_config(
        {
            "model": model,
            "apiBase": url if base == "url" else url + "/v1",
            "apiKey": "sk-bench",
            "stream": stream,
            "fastPath": fast,
        },
        environ={},
    )
    assert not errors, errors
    return Provider(config)


async def calls(prov: Provider, model: str, n: int) -> None:
    for i in range(n):
        text = await prov.complete(request(model, i))
        assert text == "value = compute(x)", text


async def measure(url: str, route: str, fast: bool, n: int) -> tuple[float, float]:
    """(CPU ms per call, wall ms per call) after 10 warm-up calls."""
    prov = provider(url, route, fast)
    model = ROUTES[route][0]
    await calls(prov, model, 10)
    cpu, wall = time.process_time(), time.perf_counter()
    await calls(prov, model, n)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await prov.aclose()
    return cpu * 1e3 / n, wall * 1e3 / n


async def floor(url: str, n: int) -> tuple[float, float]:
    async with httpx.AsyncClient() as client:

        async def one(i: int) -> None:
            body = {"model": "m", "prompt": f"x = {i}", "stream": True}
            async with client.stream("POST", url + "/v1/completions", json=body) as r:
                async for _ in r.aiter_lines():
                    pass

        for i in range(10):
            await one(i)
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(n):
            await one(i)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1e3 / n, wall * 1e3 / n


async def profile(url: str, route: str, fast: bool, n: int, top: int) -> str:
    prov = provider(url, route, fast)
    model = ROUTES[route][0]
    await calls(prov, model, 10)
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    await calls(prov, model, n)
    prof.disable()
    await prov.aclose()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


async def run(url: str, args: argparse.Namespace) -> None:
    load_litellm()
    if args.cprofile:
        fast = args.transport == "fast"
        print(await profile(url, args.cprofile, fast, args.n, args.top))
        return
    print(f"CPU and wall time per call, n={args.n}, load {os.getloadavg()}\n")
    print("| route | transport | CPU ms/call | wall ms/call |\n|---|---|---|---|")
    for route in ROUTES:
        for transport in ("litellm", "fast"):
            cpu, wall = await measure(url, route, transport == "fast", args.n)
            print(f"| {route} | {transport} | {cpu:.2f} | {wall:.2f} |")
    cpu, wall = await floor(url, args.n)
    print(f"| floor: bare httpx stream | - | {cpu:.2f} | {wall:.2f} |")
    await close_shared_clients()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--cprofile", choices=sorted(ROUTES), default=None)
    parser.add_argument("--transport", choices=["litellm", "fast"], default="fast")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    child = subprocess.Popen(
        [sys.executable, "-c", SERVE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        url = f"http://127.0.0.1:{child.stdout.readline().strip()}"
        asyncio.run(run(url, args))
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(10)


if __name__ == "__main__":
    main()
