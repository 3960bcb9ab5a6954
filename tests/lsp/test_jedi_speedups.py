"""lsp.jedi_speedups gives parso and jedi the same answers, cheaper.

Each replacement is checked against what parso itself computes: the diff
parser's tree after many edits against a fresh parse of the same text, the
name index against a walk written like parso's, and jedi's completions on a
real module before and after ``install()`` in one process.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import random
import subprocess
import sys
from pathlib import Path

import parso
import pytest

from lsp import jedi_speedups
from lsp.jedi_speedups import HeapPolicy, trimmed_opcodes, used_names

REPO = Path(__file__).resolve().parents[2]
ARGPARSE = Path(argparse.__file__).read_text()


def apply(
    old: list[str], new: list[str], ops: list[tuple[str, int, int, int, int]]
) -> list[str]:
    """Rebuild ``new`` from ``old`` and the opcodes, checking they tile both."""
    out: list[str] = []
    i_end = j_end = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i_end, j_end)
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
            out += old[i1:i2]
        else:
            assert tag in ("replace", "delete", "insert")
            out += new[j1:j2]
        i_end, j_end = i2, j2
    assert (i_end, j_end) == (len(old), len(new))
    return out


def edited(lines: list[str], rng: random.Random) -> list[str]:
    """A few random line edits: change, insert, delete, duplicate."""
    new = lines.copy()
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(new) + 1)
        kind = rng.choice(("change", "insert", "delete", "dup"))
        if kind == "change" and at < len(new):
            new[at] = new[at].replace(".", ". ", 1).replace("e", "é", 1)
        elif kind == "insert":
            new.insert(at, rng.choice(("x = (\n", "    y.\n", "def f(:\n", "\n")))
        elif kind == "delete" and at < len(new):
            del new[at]
        elif at < len(new):
            new.insert(at, new[at])
    return new


def test_opcodes_tile_and_rebuild_the_new_text() -> None:
    rng = random.Random(7)
    lines = ARGPARSE.splitlines(keepends=True)[:400]
    for _ in range(200):
        new = edited(lines, rng)
        ops = trimmed_opcodes(lines, new)
        assert apply(lines, new, ops) == new
    assert (
        trimmed_opcodes([], []) == difflib.SequenceMatcher(None, [], []).get_opcodes()
    )
    assert apply([], ["a\n"], trimmed_opcodes([], ["a\n"])) == ["a\n"]
    assert apply(["a\n"], [], trimmed_opcodes(["a\n"], [])) == []


def test_one_region_edit_gives_difflibs_opcodes() -> None:
    lines = ARGPARSE.splitlines(keepends=True)
    new = lines.copy()
    new[1000] = new[1000].replace(".", ".x", 1)
    new.insert(1500, "    pass\n")
    expected = difflib.SequenceMatcher(None, lines, new).get_opcodes()
    assert trimmed_opcodes(lines, new) == [tuple(op) for op in expected]


def test_diff_parser_with_trimmed_opcodes_matches_a_fresh_parse() -> None:
    jedi_speedups.install()
    grammar = parso.load_grammar()
    rng = random.Random(11)
    lines = ARGPARSE.splitlines(keepends=True)[:1200]
    path = "/tmp/devsync-speedups-diff-test.py"
    text = "".join(lines)
    grammar.parse(text, path=path, diff_cache=True, cache=False)
    for _ in range(60):
        lines = edited(lines, rng)
        text = "".join(lines)
        module = grammar.parse(text, path=path, diff_cache=True, cache=False)
        assert module.get_code() == text
        assert module.dump() == grammar.parse(text).dump()


def reference_used_names(module: parso.tree.NodeOrLeaf) -> dict[str, list[object]]:
    """parso 0.8's own walk, restated."""
    found: dict[str, list[object]] = {}

    def recurse(node: parso.tree.NodeOrLeaf) -> None:
        children = getattr(node, "children", None)
        if children is None:
            if node.type == "name":
                found.setdefault(node.value, []).append(node)  # type: ignore[attr-defined]
        else:
            for child in children:
                recurse(child)

    recurse(module)
    return found


@pytest.mark.parametrize(
    "source", [ARGPARSE, "", "x.\nclass A(:\n  def f(self): self.é = 1\n"]
)
def test_used_names_match_parsos_walk(source: str) -> None:
    module = parso.parse(source)
    assert used_names(module) == reference_used_names(module)


def test_installed_index_is_the_same_mapping() -> None:
    jedi_speedups.install()
    module = parso.parse(ARGPARSE)
    index = module.get_used_names()
    assert dict(index) == reference_used_names(module)
    assert module.get_used_names() is index  # cached, like parso's


COMPARE = r"""
import json, sys, jedi
from lsp import jedi_speedups
path, spots = sys.argv[1], json.loads(sys.argv[2])
lines = open(path).read().splitlines(keepends=True)
project = jedi.Project(sys.argv[3])
def run():
    out = []
    for line, col, length in spots:
        text = lines.copy()
        text[line] = text[line][:col] + text[line][col + length:]
        script = jedi.Script("".join(text), path=path, project=project)
        out.append([c.name for c in script.complete(line + 1, col)])
        out.append([d.name for d in script.infer(line + 1, max(col - 2, 0))])
    return out
before = run()
jedi_speedups.install()
print(json.dumps([before, run()]))
"""


def test_jedi_answers_the_same_with_speedups(tmp_path: Path) -> None:
    """Completions after edits on a real module, before and after install."""
    target = tmp_path / "argparse_copy.py"
    target.write_text(ARGPARSE)
    lines = ARGPARSE.splitlines(keepends=True)
    found = []
    for number, line in enumerate(lines):
        col = line.find("self.")
        if col >= 0:
            rest = line[col + 5 :]
            length = len(rest) - len(rest.lstrip("_abcdefghijklmnopqrstuvwxyz"))
            found.append((number, col + 5, length))
    spots = found[:: len(found) // 10]
    assert len(spots) >= 10
    out = subprocess.run(
        [sys.executable, "-c", COMPARE, str(target), json.dumps(spots), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=True,
    )
    before, after = json.loads(out.stdout)
    assert before == after
    assert sum(len(names) for names in before) > 100


def test_heap_policy_freezes_after_the_first_call_then_every_n() -> None:
    policy = HeapPolicy(every=3)
    try:
        assert policy.note_call()
        policy.collect()
        assert gc.get_freeze_count() > 0
        assert [policy.note_call() for _ in range(5)] == [
            False,
            True,
            False,
            False,
            True,
        ]
    finally:
        gc.unfreeze()
