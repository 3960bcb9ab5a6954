"""Language-server benchmark (BENCHMARKS.md section 1); not a test.

Installs jedi-language-server and python-lsp-server into a throwaway venv
under bench/.work/, then measures them, jedi called in-process, and
``devsync lsp`` on argparse.py, requests/sessions.py and fastapi/routing.py.

    .venv/bin/python bench/lsp/run.py [--files argparse,requests,fastapi]
"""

# A sequential measurement script: blocking file reads and the raw-jedi
# subprocess between measurements are intended.
# ruff: noqa: ASYNC221, ASYNC240
from __future__ import annotations

import argparse
import asyncio
import json
import keyword
import os
import shutil
import statistics
import subprocess
import sys
import time
import tokenize
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from client import Client, file_uri

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "bench" / ".work"
PEERS = WORK / "peers-venv"
MAIN_PY = Path(sys.executable)
N_ATTR, N_IDENT, N_DIAG = 50, 30, 7


def ensure_peers() -> None:
    """Throwaway venv with the peer servers (pip from PyPI)."""
    marker = PEERS / ".installed"
    if marker.exists():
        return
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEERS)], check=True)
    pip = [str(PEERS / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run(
        [*pip, "jedi-language-server", "python-lsp-server[pyflakes]", "requests"],
        check=True,
    )
    marker.write_text("ok\n")


def workspaces() -> dict[str, tuple[Path, Path]]:
    """name -> (workspace dir, file), copied from installed packages."""
    import argparse as ap_mod

    import fastapi
    import requests

    out = {}
    ws = WORK / "ws" / "argparse"
    ws.mkdir(parents=True, exist_ok=True)
    shutil.copy(ap_mod.__file__, ws / "argparse.py")
    out["argparse"] = (ws, ws / "argparse.py")
    for name, mod, rel in (
        ("requests", requests, "sessions.py"),
        ("fastapi", fastapi, "routing.py"),
    ):
        ws = WORK / "ws" / name
        if ws.exists():
            shutil.rmtree(ws)
        shutil.copytree(
            Path(mod.__file__).parent,
            ws / name,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        out[name] = (ws, ws / name / rel)
    return out


def positions(path: Path) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """50 attribute accesses (line, col, len) and 30 identifiers, evenly spread."""
    attrs, idents = [], []
    with open(path, "rb") as fh:
        toks = [t for t in tokenize.tokenize(fh.readline) if t.type != tokenize.NL]
    for prev2, prev, tok in zip(toks, toks[1:], toks[2:], strict=False):
        if tok.type != tokenize.NAME or keyword.iskeyword(tok.string):
            continue
        line, col = tok.start[0] - 1, tok.start[1]
        if prev.string == "." and (prev2.type == tokenize.NAME or prev2.string in ")]"):
            attrs.append((line, col, len(tok.string)))
        elif prev.string != "." and prev.type != tokenize.STRING:
            idents.append((line, col))

    def spread(items: list[Any], n: int) -> list[Any]:
        return [items[round(i * (len(items) - 1) / (n - 1))] for i in range(n)]

    return spread(attrs, N_ATTR), spread(idents, N_IDENT)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[
        min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    ]


CAPS = {
    "textDocument": {
        "completion": {"completionItem": {"snippetSupport": True}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {"versionSupport": True},
        "synchronization": {"didSave": True},
    },
    "workspace": {"workspaceFolders": True},
}


async def measure_server(
    cmd: list[str], ws: Path, path: Path, init_opts: dict[str, Any]
) -> dict[str, Any]:
    env = dict(os.environ, VIRTUAL_ENV=str(MAIN_PY.parent.parent))
    client = Client(cmd, env, str(ws))
    uri = file_uri(str(path))
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    attrs, idents = positions(path)
    res: dict[str, Any] = {}
    t0 = time.perf_counter()
    await client.start()
    await client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": file_uri(str(ws)),
            "workspaceFolders": [{"uri": file_uri(str(ws)), "name": ws.name}],
            "capabilities": CAPS,
            "initializationOptions": init_opts,
        },
        timeout=60,
    )
    res["init"] = (time.perf_counter() - t0) * 1000
    client.notify("initialized", {})
    first = client.waiter(lambda m, _p: m == "textDocument/publishDiagnostics")
    t_open = time.perf_counter()
    doc = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": doc})
    try:
        res["first_diag"] = (await asyncio.wait_for(first, 20) - t_open) * 1000
    except TimeoutError:
        res["first_diag"] = None
    version = 1

    def change(rng: tuple[int, int, int, int], new: str) -> None:
        nonlocal version
        version += 1
        client.change(uri, version, rng, new)

    times, counts = [], []
    for line, col, length in attrs:
        name = lines[line][col : col + length]
        change((line, col, line, col + length), "")
        t = time.perf_counter()
        result = await client.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": uri},
                "position": {"line": line, "character": col},
            },
        )
        times.append((time.perf_counter() - t) * 1000)
        items = result.get("items", []) if isinstance(result, dict) else result or []
        counts.append(len(items))
        change((line, col, line, col), name)
    res["completion"] = times
    res["items"] = statistics.mean(counts)
    for method, key in (
        ("textDocument/hover", "hover"),
        ("textDocument/definition", "definition"),
    ):
        ts = []
        for line, col in idents:
            t = time.perf_counter()
            await client.request(
                method,
                {
                    "textDocument": {"uri": uri},
                    "position": {"line": line, "character": col},
                },
            )
            ts.append((time.perf_counter() - t) * 1000)
        res[key] = ts
    end_line = len(lines)
    diag_times: list[float | None] = []
    await asyncio.sleep(0.5)
    for i in range(N_DIAG):
        bad = f"zz_undefined_{i}_{os.getpid()}"

        def names_it(m: str, p: Any, bad: str = bad) -> bool:
            return m == "textDocument/publishDiagnostics" and any(
                bad in d.get("message", "") for d in p.get("diagnostics", [])
            )

        fut = client.waiter(names_it)
        t = time.perf_counter()
        change((end_line, 0, end_line, 0), bad + "\n")
        try:
            diag_times.append((await asyncio.wait_for(fut, 3)) * 1000 - t * 1000)
        except TimeoutError:
            diag_times.append(None)
        change((end_line, 0, end_line + 1, 0), "")
        await asyncio.sleep(0.4)
    res["diag"] = diag_times
    res["rss"] = client.tree_peak_rss_mb()
    await client.stop()
    return res


def raw_jedi(ws: str, path: str) -> None:
    """In-process jedi on the same edits; prints JSON timings."""
    import jedi

    p = Path(path)
    text = p.read_text()
    lines = text.splitlines(keepends=True)
    attrs, _ = positions(p)
    project = jedi.Project(ws)
    times, counts = [], []
    for line, col, length in attrs:
        edited = lines.copy()
        edited[line] = edited[line][:col] + edited[line][col + length :]
        t = time.perf_counter()
        comps = jedi.Script("".join(edited), path=path, project=project).complete(
            line + 1, col
        )
        names = [c.name for c in comps]
        times.append((time.perf_counter() - t) * 1000)
        counts.append(len(names))
    print(json.dumps({"completion": times, "items": statistics.mean(counts)}))


def summarise(res: dict[str, Any]) -> dict[str, Any]:
    comp = res["completion"]
    warm = comp[1:]
    out = {
        "cold": comp[0],
        "p50": pct(warm, 50),
        "p95": pct(warm, 95),
        "max": max(warm),
        "items": res["items"],
    }
    for key in ("hover", "definition"):
        if key in res:
            out[key] = (pct(res[key], 50), pct(res[key], 95))
    if "diag" in res:
        got = [d for d in res["diag"] if d is not None]
        out["diag"] = pct(got, 50) if len(got) > len(res["diag"]) // 2 else None
    for key in ("init", "first_diag", "rss"):
        if key in res:
            out[key] = res[key]
    return out


def fmt(v: Any, unit: str = "") -> str:
    if v is None:
        return "never"
    return f"{v:,.0f}{unit}" if v >= 10 else f"{v:.1f}{unit}"


async def bench_file(name: str, ws: Path, path: Path) -> dict[str, dict[str, Any]]:
    venv_bin = PEERS / "bin"
    servers = {
        "jedi-language-server": ([str(venv_bin / "jedi-language-server")], {}),
        "pylsp": ([str(venv_bin / "pylsp")], {}),
        "devsync lsp": ([str(MAIN_PY.parent / "devsync"), "lsp"], {}),
    }
    results: dict[str, dict[str, Any]] = {}
    for label, (cmd, opts) in servers.items():
        print(f"  {name}: {label} ...", file=sys.stderr, flush=True)
        results[label] = summarise(await measure_server(cmd, ws, path, opts))
    print(f"  {name}: raw jedi ...", file=sys.stderr, flush=True)
    out = subprocess.run(
        [sys.executable, __file__, "--raw-jedi", str(ws), str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, VIRTUAL_ENV=str(MAIN_PY.parent.parent)),
    )
    results["jedi in-process"] = summarise(json.loads(out.stdout.splitlines()[-1]))
    return results


def table(all_results: dict[str, dict[str, dict[str, Any]]]) -> str:
    rows = [
        "| file | server | completion p50 / p95 / max (cold) | items | hover p50 / p95 "
        "| definition p50 / p95 | change -> undefined-name diag p50 | init "
        "| first diag | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for fname, results in all_results.items():
        for label, r in results.items():
            h, d = r.get("hover"), r.get("definition")
            rows.append(
                f"| {fname} | {label} | {fmt(r['p50'])} / {fmt(r['p95'])} / "
                f"{fmt(r['max'])} ({fmt(r['cold'])}) | {r['items']:.0f} | "
                + (f"{fmt(h[0])} / {fmt(h[1])}" if h else "-")
                + " | "
                + (f"{fmt(d[0])} / {fmt(d[1])}" if d else "-")
                + f" | {fmt(r['diag']) if 'diag' in r else '-'} | "
                f"{fmt(r['init']) if 'init' in r else '-'} | "
                f"{fmt(r.get('first_diag')) if 'first_diag' in r else '-'} | "
                + (f"{r['rss']:.0f} MB" if "rss" in r else "-")
                + " |"
            )
    rows += ["", "Ratios for devsync lsp (bar in brackets):", ""]
    rows += [
        "| file | p50 / jls (<=0.5) | p50 / raw jedi (<=1.25) | p95 / jls (<=0.7) "
        "| diag p50 ms (<=150) | diag / pylsp (<=0.25) | init ms (<=200) "
        "| RSS / jls (<=1) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for fname, r in all_results.items():
        ds, jls, raw, pyl = (
            r["devsync lsp"],
            r["jedi-language-server"],
            r["jedi in-process"],
            r["pylsp"],
        )

        def ratio(a: float | None, b: float | None, bar: float) -> str:
            if a is None or not b:
                return "n/a"
            v = a / b
            return f"{v:.2f} {'ok' if v <= bar else 'MISS'}"

        diag = ds.get("diag")
        rows.append(
            f"| {fname} | {ratio(ds['p50'], jls['p50'], 0.5)} | "
            f"{ratio(ds['p50'], raw['p50'], 1.25)} | "
            f"{ratio(ds['p95'], jls['p95'], 0.7)} | "
            f"{fmt(diag)} {'ok' if diag is not None and diag <= 150 else 'MISS'} | "
            f"{ratio(diag, pyl.get('diag'), 0.25)} | "
            f"{fmt(ds['init'])} {'ok' if ds['init'] <= 200 else 'MISS'} | "
            f"{ratio(ds['rss'], jls['rss'], 1.0)} |"
        )
    return "\n".join(rows)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--raw-jedi":
        raw_jedi(sys.argv[2], sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", default="argparse,requests,fastapi")
    args = parser.parse_args()
    ensure_peers()
    spaces = workspaces()
    all_results = {}
    for name in args.files.split(","):
        ws, path = spaces[name]
        label = f"{path.relative_to(ws)} ({len(path.read_text().splitlines())} lines)"
        all_results[label] = asyncio.run(bench_file(name, ws, path))
    print(table(all_results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
