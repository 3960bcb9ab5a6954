"""Collaboration benchmark: DevSync vs the Node `@y/websocket-server@0.1.1`.

    .venv/bin/python bench/collab/run.py [--quick]

Installs the Node peer into bench/.work/collab/node-peer (npm), starts both
servers on 127.0.0.1, drives both with the same pycrdt clients from this
process, and prints a Markdown table with DevSync/Node ratios. DevSync runs
with persistence (SQLite, group commit) and token authentication on.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gc
import statistics
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.collab import scenarios
from bench.collab.servers import Running, start_devsync, start_node

# The throughput and memory runs send as fast as one client can; DevSync's
# per-client flood limit (500/s by default) would rightly cut them off.
DEVSYNC_ENV = {
    "DEVSYNC_COLLAB_MAX_UPDATES_PER_SECOND": "1000000",
    "DEVSYNC_COLLAB_UPDATE_BURST": "1000000",
}
ROOMS = [
    "latency-10.txt",
    "latency-50.txt",
    "latency-100.txt",
    "late-joiner.txt",
    "throughput.txt",
    "throughput-1.txt",
    "throughput-2.txt",
    "memory.txt",
]


def paused_gc(work: Coroutine[Any, Any, Any]) -> Any:
    gc.collect()
    gc.disable()
    try:
        return asyncio.run(work)
    finally:
        gc.enable()


def per_server(
    servers: list[Running], make: Callable[[Running], Coroutine[Any, Any, Any]]
) -> list[Any]:
    """Run one measurement against each server in turn, with this process's
    garbage collector paused so that client-side pauses hit neither."""
    results = []
    for server in servers:
        gc.collect()
        gc.disable()
        try:
            results.append(asyncio.run(make(server)))
        finally:
            gc.enable()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer edits (smoke run)")
    args = parser.parse_args()
    edits, inserts, updates = (
        (200, 2000, 20000) if args.quick else (1000, 10000, 100000)
    )

    servers = [start_devsync(ROOMS, DEVSYNC_ENV), start_node()]
    rows: list[tuple[str, str, str, str]] = []
    try:
        for n in (10, 50, 100):
            d, nd = paused_gc(scenarios.latency(servers, n, edits, 0.01))
            rows.append(
                (
                    f"latency p50 / p99, {n} clients (ms)",
                    f"{d.p50_ms:.1f} / {d.p99_ms:.1f}"
                    + (f" ({d.missing} lost)" if d.missing else ""),
                    f"{nd.p50_ms:.1f} / {nd.p99_ms:.1f}"
                    + (f" ({nd.missing} lost)" if nd.missing else ""),
                    f"{d.p99_ms / nd.p99_ms:.2f}x p99",
                )
            )
            print(rows[-1], flush=True)
        late = per_server(servers, lambda s: scenarios.late_joiner(s, 20, 10))
        rows.append(
            (
                "late joiner sees 20 cursors, median / worst (ms)",
                f"{late[0][0]:.1f} / {late[0][1]:.1f}",
                f"{late[1][0]:.1f} / {late[1][1]:.1f}",
                f"{late[0][0] / late[1][0]:.2f}x",
            )
        )
        print(rows[-1], flush=True)
        # Three alternating trials each, median: one burst is a few seconds.
        trials = [
            per_server(servers, lambda s, t=t: scenarios.throughput(s, inserts, t))
            for t in range(3)
        ]
        tp = [statistics.median(t[i] for t in trials) for i in range(len(servers))]
        rows.append(
            (
                f"{inserts:,} inserts fully visible at another client, median of 3 (s)",
                f"{tp[0]:.2f}",
                f"{tp[1]:.2f}",
                f"{tp[0] / tp[1]:.2f}x time",
            )
        )
        print(rows[-1], flush=True)
        mem = per_server(servers, lambda s: scenarios.memory_growth(s, updates))
        rows.append(
            (
                f"server RSS growth over {updates:,} updates (MB)",
                f"{mem[0]:.1f}",
                f"{mem[1]:.1f}",
                "",
            )
        )
    finally:
        for s in servers:
            s.stop()

    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n{stamp}, `{' '.join(['python', *sys.argv])}`\n")
    print(f"| measure | {servers[0].name} | {servers[1].name} | DevSync / Node |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
