"""pyflakes runs once per (file name, text): connections that open the same
file, or an edit undone, reuse the findings."""

from __future__ import annotations

from pygls.workspace import PositionCodec

from lsp import linters
from lsp.documents import Snapshot

TEXT = "import os\nprint(undefined_name)\n"


def snap(text: str, path: str = "/tmp/memo_a.py") -> Snapshot:
    return Snapshot(
        uri="file://" + path,
        version=1,
        source=text,
        lines=text.splitlines(keepends=True),
        path=path,
        codec=PositionCodec(),
        language_id="python",
    )


async def test_same_text_is_checked_once() -> None:
    text = TEXT + "# memo test 1\n"
    before = dict(linters.memo_stats)
    first = await linters.pyflakes(snap(text))
    again = await linters.pyflakes(snap("".join(text)))  # equal, not identical
    assert first == again
    assert any("undefined_name" in f[7] for f in first)
    assert linters.memo_stats["misses"] == before["misses"] + 1
    assert linters.memo_stats["hits"] == before["hits"] + 1
    again.clear()  # callers get their own list
    assert await linters.pyflakes(snap(text)) == first


async def test_other_text_or_name_is_checked() -> None:
    text = TEXT + "# memo test 2\n"
    base = await linters.pyflakes(snap(text))
    misses = linters.memo_stats["misses"]
    fixed = await linters.pyflakes(snap(text.replace("undefined_name", "os")))
    assert fixed != base
    await linters.pyflakes(snap(text, "/tmp/memo_b.py"))
    assert linters.memo_stats["misses"] == misses + 2


async def test_memo_is_bounded() -> None:
    for i in range(linters.MEMO_SIZE + 5):
        await linters.pyflakes(snap(f"x{i} = {i}\n"))
    assert len(linters._memo) <= linters.MEMO_SIZE
