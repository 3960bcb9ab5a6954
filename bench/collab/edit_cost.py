"""Per-edit cost of the language server's session peer on a 100,000-character file.

    .venv/bin/python -m bench.collab.edit_cost [--chars 100000] [--history 20000]

Builds a document with a realistic edit history (bursts of typing and
deletions at many places, by three peers), then times, through ``TextSync``:

- remote -> editor: a peer's update applied to the Y.Text and turned into the
  ``workspace/applyEdit`` text edits (everything but the JSON-RPC write);
- local -> Y.Text: one ``didChange`` content change mapped from UTF-16
  positions and made in the Y.Text, producing the update for the room;
- echo confirmed: the editor's ``didChange`` that replays our edit, matched
  and settled (no Y.Text work).

Both must stay well under 1 ms. pycrdt's cost grows with fragmentation, so
the history matters; ``--history 0`` shows the fresh-document cost.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from typing import Any

from lsprotocol import types
from pycrdt import Doc, Text

from lsp.collab.positions import TextIndex, apply_all
from lsp.collab.textsync import TextSync

WORDS = ["def ", "return ", "self", ".value", " = ", "(x)", ":\n    ", "# note\n"]
WIDE = ["é", "😀", "ß", "中文"]


class Editor:
    """Applies nothing: the benchmark confirms each edit with its echo."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[types.TextEdit], int | None]] = []

    async def apply(self, edits: list[types.TextEdit], version: int | None) -> bool:
        self.calls.append((edits, version))
        return True


def make_source(chars: int, wide: bool, rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    while size < chars:
        piece = rng.choice(WORDS)
        if wide and rng.random() < 0.02:
            piece += rng.choice(WIDE)
        parts.append(piece)
        size += len(piece)
    return "".join(parts)[:chars]


def build_history(doc: Doc[Any], edits: int, rng: random.Random) -> None:
    """``edits`` keystrokes by three peers: bursts at random places, one
    transaction per keystroke, some deletions; every burst reaches ``doc``."""
    current = str(doc.get("content", type=Text))
    peers: list[Doc[Any]] = [Doc() for _ in range(3)]
    for peer in peers:
        peer.apply_update(doc.get_update())
    done = 0
    while done < edits:
        peer = rng.choice(peers)
        ptext = peer.get("content", type=Text)
        before = peer.get_state()
        at = rng.randrange(len(current))
        if rng.random() < 0.2:  # delete a few characters
            end = min(len(current), at + rng.randrange(1, 6))
            start_b = len(current[:at].encode())
            del ptext[start_b : start_b + len(current[at:end].encode())]
            current = current[:at] + current[end:]
            done += 1
        else:  # type a burst, one keystroke at a time
            burst = rng.randrange(1, 20)
            at_b = len(current[:at].encode())
            for i in range(burst):
                ptext.insert(at_b + i, "x")
            current = current[:at] + "x" * burst + current[at:]
            done += burst
        update = peer.get_update(before)
        for other in [doc, *peers]:
            if other is not peer:
                other.apply_update(update)


def percentiles(samples: list[tuple[float, float]]) -> str:
    """CPU time of the thread (robust on a busy machine) and wall-clock median."""
    cpu = sorted(c for _, c in samples)
    wall = statistics.median(w for w, _ in samples) * 1e6

    def at(q: float) -> float:
        return cpu[min(len(cpu) - 1, int(q * len(cpu)))] * 1e6

    return (
        f"cpu median {statistics.median(cpu) * 1e6:6.1f} us  p95 {at(0.95):6.1f} us  "
        f"p99 {at(0.99):6.1f} us  (wall median {wall:6.1f} us)"
    )


async def run(
    chars: int, history: int, wide: bool, samples: int, jump: float
) -> dict[str, str]:
    """Time ``samples`` remote and local edits; each caret moves to a random
    place with probability ``jump`` (else it types on where it was)."""
    rng = random.Random(7)
    doc: Doc[Any] = Doc()
    text = doc.get("content", type=Text)
    text += make_source(chars, wide, rng)
    build_history(doc, history, rng)
    remote: Doc[Any] = Doc()
    remote.apply_update(doc.get_update())
    rtext = remote.get("content", type=Text)
    editor, sent = Editor(), []
    source = str(text)
    sync = TextSync(doc, text, source, 1, editor, sent.append)
    sync.start(source)
    version = 1
    remote_cost: list[tuple[float, float]] = []
    local_cost: list[tuple[float, float]] = []
    echo_cost: list[tuple[float, float]] = []
    remote_at = local_at = len(source) // 2
    for _ in range(samples):
        # remote -> editor
        before = remote.get_state()
        if rng.random() < jump:
            remote_at = rng.randrange(len(sync.mirror))
        remote_at = min(remote_at + 1, len(sync.mirror))
        rtext.insert(len(sync.mirror[:remote_at].encode()), "y")
        update = remote.get_update(before)
        start, cpu = time.perf_counter(), time.thread_time()
        sync.remote_update(update)
        remote_cost.append((time.perf_counter() - start, time.thread_time() - cpu))
        await asyncio.sleep(0)
        edits, _ = editor.calls[-1]
        assert sync.inflight is not None
        expect = apply_all(sync.mirror, sync.inflight.changes)  # the editor's text
        version += 1
        change = types.TextDocumentContentChangePartial(
            edits[0].range, edits[0].new_text
        )
        start, cpu = time.perf_counter(), time.thread_time()
        sync.local_change([change], expect, version)  # the editor's echo
        echo_cost.append((time.perf_counter() - start, time.thread_time() - cpu))
        # local -> Y.Text
        if rng.random() < jump:
            local_at = rng.randrange(len(sync.mirror))
        offset = local_at = min(local_at + 1, len(sync.mirror))
        position = TextIndex(sync.mirror).position(offset)  # the editor's job
        change = types.TextDocumentContentChangePartial(
            types.Range(position, position), "z"
        )
        new_text = sync.mirror[:offset] + "z" + sync.mirror[offset:]
        version += 1
        start, cpu = time.perf_counter(), time.thread_time()
        sync.local_change([change], new_text, version)
        local_cost.append((time.perf_counter() - start, time.thread_time() - cpu))
        remote.apply_update(sent[-1])
    assert str(rtext) == str(text) == sync.mirror, "diverged"
    return {
        "remote -> editor": percentiles(remote_cost),
        "local -> Y.Text": percentiles(local_cost),
        "echo confirmed": percentiles(echo_cost),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument(
        "--jump", type=float, default=0.05, help="chance a caret moves elsewhere"
    )
    args = parser.parse_args()
    for wide in (False, True):
        label = "with non-ASCII" if wide else "ASCII"
        result = asyncio.run(
            run(args.chars, args.history, wide, args.samples, args.jump)
        )
        print(
            f"{args.chars} chars, {args.history} keystrokes of history, {label}, "
            f"caret jump chance {args.jump}:"
        )
        for name, line in result.items():
            print(f"  {name:18s} {line}")


if __name__ == "__main__":
    main()
