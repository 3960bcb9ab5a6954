"""Work jedi redoes on every request that is not inference, done cheaper.

jedi builds a new ``Script`` for each request; parso diff-parses the edited
text against the previous tree, then jedi lists every name in the module.
On a 7,000-line module two parts of that cost more than many completions:

- parso finds the changed lines with ``difflib.SequenceMatcher`` over all the
  lines of the file (about 10 ms on fastapi's ``routing.py``). An edit from an
  editor touches one region, so the common first and last lines are matched
  directly and difflib runs only on what lies between them. The opcodes
  describe the same change; parso's diff parser accepts any correct ones.
- ``Module.get_used_names`` walks the whole tree, raising and catching an
  ``AttributeError`` at every leaf (about 20 ms there). The same walk without
  the exceptions takes a third of the time and builds the same mapping.

``install()`` is idempotent and is called where jedi is first imported.
``tests/lsp/test_jedi_speedups.py`` checks both against parso's own results.

The third cost is the garbage collector. Each request allocates a large,
cyclic working set (jedi's inference state), and with CPython's default
thresholds the collector walked it over and over: 1,300 collections and about
2.9 s over 100 completions on argparse.py, and a full collection of the whole
heap (17 ms on argparse, 45 ms on fastapi) landed inside a completion every
few requests. ``tune_gc`` collects the youngest generation every 20,000
allocations instead of 700 (about 1.8 s over the same 100 completions, peak
memory about 10 MB higher), and ``HeapPolicy`` moves what survives into
CPython's permanent generation (``gc.freeze``) after the first request and
every 100th, with a full collection first and after the reply, so full
collections walk only recent objects and frozen garbage is still freed.
"""

from __future__ import annotations

import difflib
import gc
import threading
from collections.abc import Sequence
from typing import Any

_installed = False
_lock = threading.Lock()

Opcode = tuple[str, int, int, int, int]


def trimmed_opcodes(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """difflib-style opcodes, with the common head and tail matched directly."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    ops: list[Opcode] = []

    def add(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if ops and ops[-1][0] == tag == "equal":
            ops[-1] = ("equal", ops[-1][1], i2, ops[-1][3], j2)
        else:
            ops.append((tag, i1, i2, j1, j2))

    if head:
        add("equal", 0, head, 0, head)
    old_mid = old[head : len(old) - tail]
    new_mid = new[head : len(new) - tail]
    if old_mid or new_mid:
        matcher = difflib.SequenceMatcher(None, old_mid, new_mid)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            add(tag, i1 + head, i2 + head, j1 + head, j2 + head)
    if tail:
        add("equal", len(old) - tail, len(old), len(new) - tail, len(new))
    return ops


class _TrimmedMatcher:
    """The part of ``difflib.SequenceMatcher`` parso's diff parser uses."""

    def __init__(self, isjunk: Any, a: Sequence[str], b: Sequence[str]) -> None:
        assert isjunk is None  # parso passes None; junk would change matches
        self._a, self._b = a, b

    def get_opcodes(self) -> list[Opcode]:
        return trimmed_opcodes(self._a, self._b)


class _Difflib:
    """Stands for the ``difflib`` module inside ``parso.python.diff``."""

    SequenceMatcher = _TrimmedMatcher

    def __getattr__(self, name: str) -> Any:
        return getattr(difflib, name)


def used_names(module: Any) -> dict[str, list[Any]]:
    """name -> every ``Name`` leaf spelled so, in tree order (as parso's)."""
    from parso.python.tree import Name

    found: dict[str, list[Any]] = {}
    slot = found.setdefault

    def walk(children: list[Any]) -> None:
        for child in children:
            if child.__class__ is Name:
                slot(child.value, []).append(child)
            elif hasattr(child, "children"):
                walk(child.children)

    walk(module.children)
    return found


def _get_used_names(self: Any) -> Any:
    from parso.python.tree import UsedNamesMapping

    if self._used_names is None:
        self._used_names = UsedNamesMapping(used_names(self))  # type: ignore[no-untyped-call]
    return self._used_names


def install() -> None:
    """Put both replacements in place (once per process)."""
    global _installed
    if _installed:  # the common case: jedi_support calls this per request
        return
    with _lock:
        if _installed:
            return
        _installed = True
        from parso.python import diff, tree

        diff.difflib = _Difflib()  # type: ignore[attr-defined,assignment]
        # The walk recognises names by class; a subclass of Name (none in
        # parso 0.8) would need the slower general test, so keep parso's.
        if not tree.Name.__subclasses__():
            tree.Module.get_used_names = _get_used_names  # type: ignore[method-assign]


# Youngest generation every 20,000 allocations instead of 700; the older two
# at every 5th (not 10th) collection below them, which keeps peak memory
# within about 10 MB of the defaults.
GC_THRESHOLDS = (20_000, 5, 5)


class HeapPolicy:
    """When to freeze and re-collect the heap around jedi calls (see above).

    Call ``note_call`` once per jedi call; when it answers True, run
    ``collect`` where jedi runs, after the reply has been sent (a collection
    holds the GIL, so it must not sit between a result and its reply).
    """

    def __init__(self, every: int = 100) -> None:
        self.every = every
        self.calls = 0
        self.frozen = False

    def note_call(self) -> bool:
        self.calls += 1
        return not self.frozen or self.calls % self.every == 0

    def collect(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.frozen = True


def tune_gc() -> None:
    """Process-wide collector thresholds for a process that mostly runs jedi."""
    gc.set_threshold(*GC_THRESHOLDS)
