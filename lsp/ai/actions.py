"""Text work behind the AI code actions: which lines to send, how to turn the
model's answer into an edit, and the check that the result still parses.
Pure functions over (document text, 0-based line numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsp import flakes
from lsp.ai.postprocess import strip_fences_and_prose, strip_tokens

_DEF = re.compile(r"^(\s*)(async\s+def|def|class)\s+\w+")


@dataclass(frozen=True)
class LineEdit:
    """Replace lines ``start``..``end`` (end exclusive) with ``text``."""

    start: int
    end: int
    text: str

    def apply(self, source: str) -> str:
        lines = source.splitlines(keepends=True)
        return "".join(lines[: self.start]) + self.text + "".join(lines[self.end :])


def code_answer(raw: str) -> str:
    """The code in a chat answer: no fences, no prose, no sentinels."""
    return strip_fences_and_prose(strip_tokens(raw.replace("\r\n", "\n"))).strip("\n")


def parses(source: str, language: str) -> bool:
    """Whether ``source`` is syntactically valid. Python is parsed for real;
    for other languages brackets must balance."""
    if language.lower() in ("python", "py", "python3"):
        try:
            flakes.parse(source)
        except (SyntaxError, ValueError):
            return False
        return True
    depth: list[str] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for char in source:
        if char in "([{":
            depth.append(char)
        elif char in pairs and (not depth or depth.pop() != pairs[char]):
            return False
    return not depth


def fix_edit(
    source: str, start: int, end: int, answer: str, language: str
) -> LineEdit | None:
    """An edit replacing lines ``start``..``end`` (inclusive) with the model's
    corrected code, or None if the answer is empty, unchanged or would not
    parse."""
    lines = source.splitlines(keepends=True)
    code = code_answer(answer)
    if not code.strip():
        return None
    old = "".join(lines[start : end + 1])
    indent = old[: len(old) - len(old.lstrip(" \t"))]
    if not code.startswith((" ", "\t")) and indent:
        code = "\n".join(indent + ln if ln.strip() else ln for ln in code.split("\n"))
    text = code + ("\n" if old.endswith("\n") or end + 1 < len(lines) else "")
    if text == old:
        return None
    edit = LineEdit(start, end + 1, text)
    return edit if parses(edit.apply(source), language) else None


def definition_at(source: str, line: int) -> tuple[int, int] | None:
    """(first, last) line of the Python def/class header at or above ``line``
    whose header starts at most a few lines up."""
    lines = source.splitlines()
    for first in range(min(line, len(lines) - 1), max(line - 3, -1), -1):
        if _DEF.match(lines[first]):
            for last in range(first, min(first + 20, len(lines))):
                if lines[last].rstrip().endswith(":"):
                    return first, last
            return None
    return None


def definition_source(source: str, first: int, limit: int = 60) -> str:
    """The definition starting at ``first``, up to ``limit`` lines."""
    lines = source.splitlines()
    base = len(lines[first]) - len(lines[first].lstrip())
    out = [lines[first]]
    for line in lines[first + 1 : first + limit]:
        if line.strip() and len(line) - len(line.lstrip()) <= base:
            break
        out.append(line)
    return "\n".join(out)


def docstring_edit(
    source: str, header: tuple[int, int], answer: str
) -> LineEdit | None:
    """An edit inserting the model's docstring under a def/class header."""
    text = code_answer(answer).strip().strip('"').strip("'").strip()
    if not text:
        return None
    lines = source.splitlines(keepends=True)
    first, last = header
    base = lines[first][: len(lines[first]) - len(lines[first].lstrip(" \t"))]
    unit = "\t" if base.startswith("\t") else "    "
    body = base + unit
    for line in lines[last + 1 :]:
        if line.strip():
            body = line[: len(line) - len(line.lstrip(" \t"))] or body
            break
    doc_lines = text.replace('"""', "'''").split("\n")
    if len(doc_lines) == 1:
        block = f'{body}"""{doc_lines[0]}"""\n'
    else:
        inner = "".join(f"{body}{ln}\n" if ln.strip() else "\n" for ln in doc_lines[1:])
        block = f'{body}"""{doc_lines[0]}\n{inner}{body}"""\n'
    edit = LineEdit(last + 1, last + 1, block)
    if parses(edit.apply(source), "python"):
        return edit
    # A document that is already broken elsewhere: the docstring itself must
    # still be a well-formed string literal at that indentation.
    return (
        edit
        if not parses(source, "python") and parses(block.strip(), "python")
        else None
    )
