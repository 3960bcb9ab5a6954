"""pyflakes and the syntax check, returning plain tuples.

Called on the linter threads (``lsp.linters``) once the jedi thread is idle,
so a big file's check does not take the GIL from a completion. Plain tuples
keep this importable without lsprotocol.
"""

from __future__ import annotations

import ast
import re

# (row, col, end_row, end_col, severity, source, code, message, unnecessary)
# rows 0-based, columns in code points; severity 1 = error, 2 = warning.
Finding = tuple[int, int, int, int, int, str, str, str, bool]

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


def pyflakes_findings(source: str, filename: str) -> list[Finding]:
    """Syntax error if any, else pyflakes' messages."""
    from pyflakes import checker

    lines = source.splitlines()
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError) as exc:
        row = max(getattr(exc, "lineno", 1) or 1, 1) - 1
        col = max(getattr(exc, "offset", 1) or 1, 1) - 1
        if row < len(lines):
            col = min(col, len(lines[row]))
        msg = f"SyntaxError: {getattr(exc, 'msg', None) or exc}"
        end = _end(lines, row, col, word=False)
        return [(row, col, row, end, 1, "syntax", "SyntaxError", msg, False)]
    found = checker.Checker(tree, filename=filename, withDoctest=False)
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
    from pyflakes import checker  # noqa: F401

    return True
