"""Turn a model's raw answer into a suggestion worth showing, or nothing.

Strips leaked FIM tokens, markdown fences and prose; drops a repeat of the
current line; fixes indentation to the cursor's context (tabs vs spaces, a
doubled first-line indent, a block dedented to column 0); keeps one line when
the cursor is mid-line; stops at the end of the current block; trims text
that duplicates the suffix or the rest of the line. Never returns an empty or
whitespace-only suggestion.
"""

from __future__ import annotations

import re

from lsp.ai.templates import LEAK_TOKENS

_FENCE = re.compile(r"^[ \t]*```[\w+.#-]*[ \t]*$", re.MULTILINE)
_PROSE_LEAD = re.compile(
    r"^(here('s| is| are)|sure|certainly|of course|okay|ok,|the (code|completion|"
    r"missing|answer)|this (code|completion)|i('ve| have| will)|below)\b",
    re.IGNORECASE,
)
_PROSE_TAIL = re.compile(
    r"^(this (code|will|function|change|completes)\b|explanation\b|note:|"
    r"the above\b|in this\b|i (added|used|completed)\b)",
    re.IGNORECASE,
)
_OPENERS = (":", "{", "(", "[", "=>", "->", " do", "then")
_CONTINUERS = ("else", "elif", "except", "finally", "case", "catch", "}")
_CLOSERS = set(")]}>\"'`;:,. ")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _width(ws: str, tab: int = 4) -> int:
    return sum(tab if c == "\t" else 1 for c in ws)


def strip_tokens(text: str) -> str:
    """Cut at the first leaked sentinel: whatever follows it is not code."""
    cut = len(text)
    for token in LEAK_TOKENS:
        at = text.find(token)
        if at != -1:
            cut = min(cut, at)
    return text[:cut]


def strip_fences_and_prose(text: str) -> str:
    """The code of a fenced answer, without introductions or explanations."""
    fences = list(_FENCE.finditer(text))
    if fences:
        start = fences[0].end() + 1
        end = fences[1].start() if len(fences) > 1 else len(text)
        before = text[: fences[0].start()]
        if (
            before.strip()
            and not _PROSE_LEAD.match(before.strip())
            and len(fences) == 1
        ):
            return before.rstrip("\n")  # code, then a stray fence and chatter
        return text[start:end].rstrip("\n") if start <= end else ""
    lines = text.split("\n")
    if (
        lines
        and _PROSE_LEAD.match(lines[0].strip())
        and lines[0].rstrip().endswith(":")
    ):
        lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    for i, line in enumerate(lines):
        if i and not lines[i - 1].strip() and _PROSE_TAIL.match(line.strip()):
            lines = lines[:i]
            break
    return "\n".join(lines)


def strip_repeated_line(text: str, line_prefix: str) -> str:
    """Drop a restatement of what is already typed on the cursor's line."""
    typed = line_prefix.lstrip(" \t")
    body = text.lstrip(" \t")
    if len(typed.strip()) < 3:
        return text
    if body.startswith(typed):
        return body[len(typed) :]
    if typed != typed.rstrip() and body.startswith(typed.rstrip()):
        return body[len(typed.rstrip()) :].lstrip(" \t")
    return text


def _unit(prefix: str) -> str:
    """The document's indent unit, from the prefix."""
    for line in reversed(prefix.split("\n")):
        ws = _indent(line)
        if ws.startswith("\t"):
            return "\t"
        if ws:
            return " " * (len(ws) if len(ws) in (2, 4, 8) else 4)
    return "    "


def fix_indentation(text: str, line_prefix: str, prefix: str) -> str:
    """Indent like the document and relative to the cursor."""
    unit = _unit(prefix)
    lines = text.split("\n")
    if unit == "\t":
        lines = [
            re.sub(r"^((?:    )+)", lambda m: "\t" * (len(m[1]) // 4), ln)
            for ln in lines
        ]
    else:
        lines = [_indent(ln).replace("\t", unit) + ln.lstrip(" \t") for ln in lines]
    cursor_ws = line_prefix if not line_prefix.strip() else ""
    if cursor_ws and lines[0].startswith(cursor_ws):
        lines[0] = lines[0][len(cursor_ws) :]  # the model repeated the indent
    base = _width(_indent(line_prefix))
    rest = [ln for ln in lines[1:] if ln.strip()]
    opened = lines[0].rstrip().endswith(_OPENERS)
    if base and rest and opened and _width(_indent(rest[0])) <= base:
        # A block dedented to column 0: move it under the cursor.
        pad = _indent(line_prefix)
        lines = lines[:1] + [pad + ln if ln.strip() else ln for ln in lines[1:]]
    return "\n".join(lines)


def cut_at_block_end(text: str, line_prefix: str) -> str:
    """Keep a multi-line suggestion inside the block the cursor is in."""
    lines = text.split("\n")
    base = _width(_indent(line_prefix))
    opened = lines[0].rstrip().endswith(_OPENERS)
    blank_run = 0
    for i in range(1, len(lines)):
        line = lines[i]
        if not line.strip():
            blank_run += 1
            if blank_run >= 2:
                return "\n".join(lines[:i])
            continue
        blank_run = 0
        width = _width(_indent(line))
        stripped = line.strip()
        if width < base:
            return "\n".join(lines[:i])
        if opened and width <= base and not stripped.startswith(_CONTINUERS):
            return "\n".join(lines[:i])
        if opened and width <= base and stripped.startswith("}"):
            return "\n".join(lines[: i + 1])
    return text


def _overlap(text: str, rest: str) -> int:
    """Length of the longest end of ``text`` that starts ``rest``."""
    for size in range(min(len(text), len(rest)), 0, -1):
        if text.endswith(rest[:size]):
            return size
    return 0


def trim_suffix(text: str, suffix: str) -> str:
    """Remove what the suffix already contains: the rest of the cursor's line
    and any following lines the model repeated."""
    rest_of_line, _, after = suffix.partition("\n")
    lines = text.split("\n")
    following = [ln.strip() for ln in after.split("\n") if ln.strip()][:3]
    if following:
        for i in range(len(lines)):
            tail = [ln.strip() for ln in lines[i:] if ln.strip()]
            repeated = tail and tail == following[: len(tail)]
            if i > 0 and repeated and any(c.isalnum() for c in "".join(tail)):
                lines = lines[:i]
                break
    text = "\n".join(lines).rstrip()
    rest = rest_of_line.strip()
    if rest:
        size = _overlap(text, rest_of_line.lstrip())
        piece = rest_of_line.lstrip()[:size]
        whole = size == len(rest) >= 2
        if size and (whole or size >= 4 or set(piece) <= _CLOSERS):
            text = text[:-size]
    return text


def clean(raw: str, prefix: str, suffix: str, *, multiline: bool = True) -> str | None:
    """The suggestion to show for ``raw``, or None when nothing useful is left."""
    line_prefix = prefix.rsplit("\n", 1)[-1]
    text = strip_tokens(raw.replace("\r\n", "\n"))
    text = strip_fences_and_prose(text)
    text = strip_repeated_line(text, line_prefix)
    if not text.strip():
        return None
    text = fix_indentation(text, line_prefix, prefix)
    mid_line = bool(suffix.split("\n", 1)[0].strip())
    if mid_line or not multiline:
        text = text.lstrip("\n").split("\n", 1)[0]
    else:
        text = cut_at_block_end(text, line_prefix)
    text = trim_suffix(text, suffix)
    if not text.strip():
        return None
    if suffix.startswith(text.strip()):
        return None  # the whole answer is already there
    return text.rstrip()
