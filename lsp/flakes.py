"""pyflakes and the syntax check, returning plain tuples.

Called on the linter threads (``lsp.linters``) once the jedi thread is idle,
so a big file's check does not take the GIL from a completion. A check also
calls ``pause`` every few hundred nodes: that callback may block (a request
the user waits for came in) or raise ``Abandoned`` (a newer version arrived),
so a check already running yields too. Plain tuples keep this importable
without lsprotocol.
"""

from __future__ import annotations

import ast
import re
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

# (row, col, end_row, end_col, severity, source, code, message, unnecessary)
# rows 0-based, columns in code points; severity 1 = error, 2 = warning.
Finding = tuple[int, int, int, int, int, str, str, str, bool]

# CPython 3.11's AST conversion keeps its recursion depth in shared state:
# two threads in ``ast.parse`` at once can fail with "SystemError: AST
# constructor recursion depth mismatch" (seen with two lint threads; fixed
# upstream in 3.12). Every ``ast.parse`` in the language server goes through
# ``parse``, one at a time.
_parse_lock = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, serialised across threads (see ``_parse_lock``)."""
    with _parse_lock:
        return ast.parse(source, filename=filename)


_WORD = re.compile(r"\w+")
ERRORS = frozenset({"UndefinedName", "UndefinedLocal", "UndefinedExport"})
UNNECESSARY = frozenset({"UnusedImport", "UnusedVariable", "UnusedAnnotation"})


def _char_col(line: str, byte_col: int) -> int:
    if line.isascii():
        return byte_col
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _end(lines: list[str], row: int, col: int, word: bool) -> int:
    text = lines[row] if 0 <= row < len(lines) else ""
    match = _WORD.match(text, col) if word else None
    return match.end() if match else min(col + 1, max(len(text), col))


class Abandoned(Exception):
    """Raised by a ``pause`` callback: stop checking, nobody wants the result."""


PAUSE_EVERY = 64  # handleChildren calls (about 3-4 nodes each) between pauses


@cache
def _checker_class() -> Any:
    """pyflakes' Checker, calling ``self.pause()`` every ``PAUSE_EVERY`` scopes."""
    from pyflakes import checker

    children = checker.iter_child_nodes

    class PausingChecker(checker.Checker):  # type: ignore[misc]
        def __init__(
            self, tree: ast.AST, pause: Callable[[], None] | None, **kwargs: Any
        ) -> None:
            self.pause = pause
            self.ticks = 0
            super().__init__(tree, **kwargs)  # runs the whole check

        def handleChildren(self, tree: Any, omit: Any = None) -> None:
            self.ticks += 1
            if self.pause is not None and not self.ticks % PAUSE_EVERY:
                self.pause()
            for node in children(tree, omit=omit):
                self.handleNode(node, tree)

    return PausingChecker


def pyflakes_findings(
    source: str, filename: str, pause: Callable[[], None] | None = None
) -> list[Finding]:
    """Syntax error if any, else pyflakes' messages.

    ``pause`` is called now and then during the check; it may block, or raise
    ``Abandoned``, which propagates.
    """
    if pause is not None:
        pause()
    lines = source.splitlines()
    try:
        tree = parse(source, filename)
    except (SyntaxError, ValueError) as exc:
        row = max(getattr(exc, "lineno", 1) or 1, 1) - 1
        col = max(getattr(exc, "offset", 1) or 1, 1) - 1
        if row < len(lines):
            col = min(col, len(lines[row]))
        msg = f"SyntaxError: {getattr(exc, 'msg', None) or exc}"
        end = _end(lines, row, col, word=False)
        return [(row, col, row, end, 1, "syntax", "SyntaxError", msg, False)]
    if pause is not None:
        pause()
    found = _checker_class()(tree, pause, filename=filename, withDoctest=False)
    out: list[Finding] = []
    for msg in sorted(found.messages, key=lambda m: (m.lineno, m.col)):
        row = msg.lineno - 1
        line = lines[row] if 0 <= row < len(lines) else ""
        col = _char_col(line, msg.col)
        kind = type(msg).__name__
        out.append(
            (
                row,
                col,
                row,
                _end(lines, row, col, word=True),
                1 if kind in ERRORS else 2,
                "pyflakes",
                kind,
                msg.message % msg.message_args,
                kind in UNNECESSARY,
            )
        )
    return out


def warm() -> bool:
    """Import pyflakes ahead of the first check."""
    _checker_class()
    return True
