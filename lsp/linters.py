"""pyflakes and (optional) ruff on in-memory text, returning LSP diagnostics.

Pure functions, called on the linter threads. Columns from ``ast`` are UTF-8
byte offsets and are turned into code points here; the caller converts code
points to the client's units.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import shutil
import subprocess
from functools import cache

from lsprotocol import types

from lsp.protocol import DIAGNOSTIC_SOURCE

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")
ERRORS = frozenset({"UndefinedName", "UndefinedLocal", "UndefinedExport"})
UNNECESSARY = frozenset({"UnusedImport", "UnusedVariable", "UnusedAnnotation"})


def _char_col(line: str, byte_col: int) -> int:
    if line.isascii():
        return byte_col
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _range(lines: list[str], row: int, col: int, word: bool) -> types.Range:
    """0-based row, code-point col -> range over the word there (or one char)."""
    text = lines[row] if 0 <= row < len(lines) else ""
    match = _WORD.match(text, col) if word else None
    end = match.end() if match else min(col + 1, max(len(text.rstrip("\r\n")), col))
    return types.Range(types.Position(row, col), types.Position(row, end))


def pyflakes_check(source: str, filename: str) -> list[types.Diagnostic]:
    """Syntax errors, then pyflakes messages, as code-point diagnostics."""
    from pyflakes import checker

    lines = source.splitlines()
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError) as exc:
        row = max(getattr(exc, "lineno", 1) or 1, 1) - 1
        col = max(getattr(exc, "offset", 1) or 1, 1) - 1
        if isinstance(exc, SyntaxError) and row < len(lines):
            col = min(col, len(lines[row]))
        return [
            types.Diagnostic(
                range=_range(lines, row, col, word=False),
                message=f"SyntaxError: {getattr(exc, 'msg', None) or exc}",
                severity=types.DiagnosticSeverity.Error,
                source=DIAGNOSTIC_SOURCE,
            )
        ]
    found = checker.Checker(tree, filename=filename, withDoctest=False)
    out = []
    for msg in sorted(found.messages, key=lambda m: (m.lineno, m.col)):
        row = msg.lineno - 1
        line = lines[row] if 0 <= row < len(lines) else ""
        kind = type(msg).__name__
        diag = types.Diagnostic(
            range=_range(lines, row, _char_col(line, msg.col), word=True),
            message=msg.message % msg.message_args,
            severity=types.DiagnosticSeverity.Error
            if kind in ERRORS
            else types.DiagnosticSeverity.Warning,
            source="pyflakes",
            code=kind,
        )
        if kind in UNNECESSARY:
            diag.tags = [types.DiagnosticTag.Unnecessary]
        out.append(diag)
    return out


@cache
def ruff_binary() -> str | None:
    """Path of the ruff executable if the optional extra is installed."""
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return os.fsdecode(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("ruff")


def run_ruff(args: list[str], source: str, cwd: str | None) -> str | None:
    """Run ruff on ``source`` via stdin; stdout, or None if ruff is missing/failed."""
    binary = ruff_binary()
    if binary is None:
        return None
    try:
        proc = subprocess.run(
            [binary, *args],
            input=source.encode("utf-8"),
            capture_output=True,
            cwd=cwd,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("ruff failed: %s", exc)
        return None
    if proc.returncode not in (0, 1):
        log.debug("ruff exited %s: %s", proc.returncode, proc.stderr[:500])
        return None
    return proc.stdout.decode("utf-8")


def ruff_check(source: str, filename: str, cwd: str | None) -> list[types.Diagnostic]:
    """ruff's findings that pyflakes does not already report."""
    out = run_ruff(
        [
            "check",
            "--output-format=json",
            "--exit-zero",
            "--no-cache",
            "--stdin-filename",
            filename,
            "-",
        ],
        source,
        cwd,
    )
    if not out:
        return []
    diags = []
    for item in json.loads(out):
        code = item.get("code") or ""
        if code.startswith(("F", "E9")) or not code:
            continue  # pyflakes and the syntax check cover these
        start, end = item["location"], item["end_location"]
        diags.append(
            types.Diagnostic(
                range=types.Range(
                    types.Position(start["row"] - 1, start["column"] - 1),
                    types.Position(end["row"] - 1, end["column"] - 1),
                ),
                message=item.get("message", ""),
                severity=types.DiagnosticSeverity.Warning,
                source="ruff",
                code=code,
            )
        )
    return diags
