"""Where does a completion-after-edit spend its time? (a diagnostic tool, not a test)

Runs section 1's completion protocol (delete the attribute after a ``.``,
complete there, restore it) against ``devsync lsp`` and against jedi called
in-process, one after the other, and reports per request wall time and the
CPU time each side used, which is what matters on a shared machine.

    .venv/bin/python bench/lsp/profile_completion.py [--files fastapi]
        [--rounds 2] [--profile DIR]

``--profile DIR`` also runs both under cProfile (every thread of the server)
and writes ``DIR/<file>-devsync.txt`` / ``DIR/<file>-jedi.txt`` summaries.
"""

# ruff: noqa: ASYNC240
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from client import Client, file_uri
from run import CAPS, MAIN_PY, REPO, positions, workspaces

TICKS = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    """User+system CPU seconds of ``pid`` and its reaped children."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime + cutime + cstime) / TICKS


def _dump(profiles: list[tuple[str, Any]], out: str) -> None:
    import pstats

    buf = io.StringIO()
    for name, prof in profiles:
        try:
            stats = pstats.Stats(prof, stream=buf)
        except TypeError:  # a thread that never ran Python code
            continue
        stats.dump_stats(f"{out[:-4]}-{name}.prof")
        cpu = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
        buf.write(f"\n===== thread {name}: {cpu:.2f} s CPU =====\n")
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    Path(out).write_text(buf.getvalue())


def profiled_server(out: str) -> int:
    """``devsync lsp`` over stdio with cProfile (CPU time) on every thread."""
    import cProfile
    import threading

    sys.path.insert(0, os.environ.get("PYTHONPATH", str(REPO)).split(os.pathsep)[0])
    profiles: dict[int, tuple[str, Any]] = {}

    def start(_frame: Any, _event: str, _arg: Any) -> None:
        prof = cProfile.Profile(time.thread_time)
        profiles[threading.get_ident()] = (threading.current_thread().name, prof)
        prof.enable()

    def stop() -> None:
        # A profile must be stopped by its own thread: stopping it from
        # another one charges that thread's clock to the open frames.
        entry = profiles.pop(threading.get_ident(), None)
        if entry is not None:
            entry[1].disable()
            done.append(entry)

    done: list[tuple[str, Any]] = []
    threading.setprofile(start)
    start(None, "", None)
    from lsp import transport, worker

    loop = asyncio.new_event_loop()
    code = loop.run_until_complete(
        transport.serve_stdio(sys.stdin.buffer, sys.stdout.buffer)
    )
    threading.setprofile(None)  # type: ignore[arg-type]
    worker.jedi_executor().submit(stop).result(10)
    both = threading.Barrier(2)

    def stop_lint() -> None:
        stop()
        both.wait(5)

    lint = [worker.lint_executor().submit(stop_lint) for _ in range(2)]
    for future in lint:
        future.exception(10)
    stop()  # main
    _dump(done, out)
    sys.stdout.flush()
    os._exit(code)


def raw_jedi(ws: str, path: str, rounds: int, out: str | None) -> None:
    """jedi in-process on the same edits; prints JSON timings and CPU."""
    import jedi

    p = Path(path)
    lines = p.read_text().splitlines(keepends=True)
    attrs, _ = positions(p)
    project = jedi.Project(ws)
    prof = None
    if out:
        import cProfile

        prof = cProfile.Profile(time.thread_time)

    def one(line: int, col: int, length: int) -> int:
        edited = lines.copy()
        edited[line] = edited[line][:col] + edited[line][col + length :]
        comps = jedi.Script("".join(edited), path=path, project=project).complete(
            line + 1, col
        )
        return len([c.name for c in comps])

    if prof:  # the server's profile includes its cold request too
        prof.enable()
    one(*attrs[0])  # cold, as the server's first request
    times = []
    cpu0 = time.process_time()
    for _ in range(rounds):
        for attr in attrs[1:]:
            t = time.perf_counter()
            one(*attr)
            times.append((time.perf_counter() - t) * 1000)
    if prof:
        prof.disable()
        _dump([("raw jedi", prof)], out or "")
    cpu = time.process_time() - cpu0
    print(json.dumps({"times": times, "cpu": cpu}))


async def devsync(
    ws: Path, path: Path, rounds: int, profile: str | None, code: str
) -> dict[str, Any]:
    cmd = [str(MAIN_PY), "-m", "lsp"]
    if profile:
        cmd = [str(MAIN_PY), __file__, "--server", profile]
    env = dict(os.environ, VIRTUAL_ENV=str(MAIN_PY.parent.parent))
    env["PYTHONPATH"] = code
    client = Client(cmd, env, str(ws))
    uri = file_uri(str(path))
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    attrs, _ = positions(path)
    await client.start()
    await client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": file_uri(str(ws)),
            "workspaceFolders": [{"uri": file_uri(str(ws)), "name": ws.name}],
            "capabilities": CAPS,
            "initializationOptions": {},
        },
        timeout=60,
    )
    client.notify("initialized", {})
    first = client.waiter(lambda m, _p: m == "textDocument/publishDiagnostics")
    doc = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": doc})
    await asyncio.wait_for(first, 30)
    version = 1

    def change(rng: tuple[int, int, int, int], new: str) -> None:
        nonlocal version
        version += 1
        client.change(uri, version, rng, new)

    async def one(line: int, col: int, length: int) -> float:
        name = lines[line][col : col + length]
        change((line, col, line, col + length), "")
        t = time.perf_counter()
        await client.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": uri},
                "position": {"line": line, "character": col},
            },
        )
        elapsed = (time.perf_counter() - t) * 1000
        change((line, col, line, col), name)
        return elapsed

    await one(*attrs[0])
    await asyncio.sleep(0.5)
    assert client.proc
    pid = client.proc.pid
    cpu0 = proc_cpu(pid)
    times = []
    for _ in range(rounds):
        for attr in attrs[1:]:
            times.append(await one(*attr))
    await asyncio.sleep(0.3)  # let the last lint finish: it is part of the cost
    cpu = proc_cpu(pid) - cpu0
    if profile:  # writing the profiles takes a while: wait for the exit
        await client.request("shutdown", None, timeout=60)
        client.notify("exit", None)
        await asyncio.wait_for(client.proc.wait(), 120)
    await client.stop()
    return {"times": times, "cpu": cpu}


def summary(label: str, res: dict[str, Any]) -> str:
    t = sorted(res["times"])
    n = len(t)
    return (
        f"{label:>8}: p50 {statistics.median(t):6.1f} ms  p95 {t[int(n * 0.95)]:6.1f}"
        f"  max {t[-1]:6.1f}  CPU {res['cpu'] * 1000 / n:6.1f} ms/request"
    )


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--server":
        return profiled_server(sys.argv[2])
    if len(sys.argv) >= 5 and sys.argv[1] == "--raw-jedi":
        out = sys.argv[5] if len(sys.argv) > 5 else None
        raw_jedi(sys.argv[2], sys.argv[3], int(sys.argv[4]), out)
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", default="argparse,fastapi")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", metavar="DIR")
    parser.add_argument(
        "--code",
        default=str(REPO),
        metavar="DIR",
        help="import the server's lsp package from DIR (to compare a change)",
    )
    args = parser.parse_args()
    spaces = workspaces()
    if args.profile:
        os.makedirs(args.profile, exist_ok=True)
    for name in args.files.split(","):
        ws, path = spaces[name]
        prof = os.path.abspath(args.profile) if args.profile else None
        ds = asyncio.run(
            devsync(
                ws, path, args.rounds, prof and f"{prof}/{name}-devsync.txt", args.code
            )
        )
        cmd = [sys.executable, __file__, "--raw-jedi", str(ws), str(path)]
        cmd.append(str(args.rounds))
        if prof:
            cmd.append(f"{prof}/{name}-jedi.txt")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        raw = json.loads(out.stdout.splitlines()[-1])
        print(f"{name}:\n{summary('devsync', ds)}\n{summary('raw jedi', raw)}")
        ratio = statistics.median(ds["times"]) / statistics.median(raw["times"])
        print(f"  p50 ratio {ratio:.2f}, CPU ratio {ds['cpu'] / raw['cpu']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
