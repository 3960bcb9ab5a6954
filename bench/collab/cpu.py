"""Server CPU time per 1,000 broadcast updates, DevSync next to the Node reference.

    .venv/bin/python -m bench.collab.cpu [--clients 100] [--edits 1000]
        [--interval 0.01] [--rounds 3] [--only devsync|node]

The latency phase of `bench/collab/run.py` (one writer, `clients - 1` readers,
one-character edits at `interval`), but what is reported is the CPU time the
*server process* spent (user + system, all threads, from /proc/<pid>/stat)
while the edits were made and delivered, per 1,000 edits. Unlike wall-clock
latency this barely moves when other work shares the machine, so it is the
number to compare changes of the broadcast path by. Latency p50 / p99 are
printed too, for reference only.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.collab.run import DEVSYNC_ENV, ROOMS
from bench.collab.scenarios import LatencyRoom
from bench.collab.servers import Running, start_devsync, start_node

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` (every thread), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def measure(
    servers: list[Running], clients: int, edits: int, interval: float, rounds: int
) -> dict[str, list[float]]:
    """CPU ms per 1,000 edits for each server, one sample per round; rounds
    alternate between the servers."""
    rooms = [LatencyRoom(server, clients) for server in servers]
    for room in rooms:
        await room.open(interval)
    cpu: dict[str, list[float]] = {s.name: [] for s in servers}
    for _ in range(rounds):
        for server, room in zip(servers, rooms, strict=True):
            before = cpu_seconds(server.proc.pid)
            await room.edits(edits, interval)
            used = cpu_seconds(server.proc.pid) - before
            cpu[server.name].append(used * 1000 * 1000 / edits)
    for server, room in zip(servers, rooms, strict=True):
        lat = room.result()
        print(
            f"{server.name}: latency p50 {lat.p50_ms:.1f} ms, p99 {lat.p99_ms:.1f} ms"
            + (f", {lat.missing} lost" if lat.missing else ""),
            flush=True,
        )
    for room in rooms:
        await room.close()
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=0.01)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["devsync", "node"])
    args = parser.parse_args()
    servers = []
    if args.only != "node":
        servers.append(start_devsync(ROOMS, DEVSYNC_ENV))
    if args.only != "devsync":
        servers.append(start_node())
    try:
        gc.collect()
        gc.disable()
        result = asyncio.run(
            measure(servers, args.clients, args.edits, args.interval, args.rounds)
        )
    finally:
        gc.enable()
        for server in servers:
            server.stop()
    print(f"\nserver CPU per 1,000 updates to {args.clients - 1} receivers (ms):")
    for name, samples in result.items():
        shown = ", ".join(f"{s:.0f}" for s in samples)
        print(f"  {name}: median {statistics.median(samples):.0f} ({shown})")


if __name__ == "__main__":
    main()
