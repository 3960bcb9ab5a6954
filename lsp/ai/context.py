"""Prompt context: prefix and suffix windows of the current document within a
token budget, plus the snippets of other documents most similar to the code
around the cursor (sliding windows ranked by Jaccard similarity of
identifiers, as Copilot and Continue do).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CHARS_PER_TOKEN = 4  # a rough, tokenizer-free estimate
WINDOW_LINES = 20
WINDOW_STEP = 10
MAX_SNIPPETS = 2
MIN_SCORE = 0.15

_COMMENT: dict[str, str] = {
    "python": "#",
    "ruby": "#",
    "shellscript": "#",
    "yaml": "#",
    "toml": "#",
    "r": "#",
    "sql": "--",
    "lua": "--",
    "haskell": "--",
}


@dataclass(frozen=True)
class Snippet:
    """A window of another document, and how similar it is."""

    path: str
    text: str
    score: float


@dataclass(frozen=True)
class PromptContext:
    """Everything a prompt is built from."""

    prefix: str
    suffix: str
    path: str = "untitled"
    language: str = "plaintext"
    snippets: tuple[Snippet, ...] = field(default=())

    @property
    def comment(self) -> str:
        return comment_prefix(self.language)

    def header(self) -> str:
        """Path and similar snippets as comments, to put before the prefix."""
        c = self.comment
        parts = []
        for snip in self.snippets:
            body = "".join(f"{c} {line}\n" for line in snip.text.splitlines())
            parts.append(f"{c} Path: {snip.path}\n{body}")
        parts.append(f"{c} Path: {self.path}\n")
        return "".join(parts)


def comment_prefix(language: str) -> str:
    return _COMMENT.get(language.lower(), "//")


def identifiers(text: str) -> set[str]:
    return set(_IDENT.findall(text))


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def windows(text: str) -> Iterable[str]:
    """Overlapping windows of ``WINDOW_LINES`` lines."""
    lines = text.splitlines(keepends=True)
    for start in range(0, max(len(lines) - WINDOW_LINES, 0) + 1, WINDOW_STEP):
        yield "".join(lines[start : start + WINDOW_LINES])


def similar_snippets(
    query: str, others: Iterable[tuple[str, str]], budget_chars: int
) -> tuple[Snippet, ...]:
    """The best window of each other document, best first, within budget."""
    wanted = identifiers(query)
    best: list[Snippet] = []
    for path, text in others:
        scored = ((jaccard(wanted, identifiers(w)), w) for w in windows(text))
        score, window = max(scored, default=(0.0, ""), key=lambda pair: pair[0])
        if score >= MIN_SCORE and window.strip():
            best.append(Snippet(path, window.rstrip("\n"), score))
    best.sort(key=lambda s: s.score, reverse=True)
    chosen: list[Snippet] = []
    for snip in best[:MAX_SNIPPETS]:
        if len(snip.text) <= budget_chars:
            chosen.append(snip)
            budget_chars -= len(snip.text)
    return tuple(chosen)


def _cut_prefix(prefix: str, limit: int) -> str:
    """The last ``limit`` characters of ``prefix``, from a line start."""
    if len(prefix) <= limit:
        return prefix
    cut = prefix[-limit:]
    newline = cut.find("\n")
    return cut[newline + 1 :] if 0 <= newline < len(cut) - 1 else cut


def _cut_suffix(suffix: str, limit: int) -> str:
    """The first ``limit`` characters of ``suffix``, to a line end."""
    if len(suffix) <= limit:
        return suffix
    cut = suffix[:limit]
    newline = cut.rfind("\n")
    return cut[: newline + 1] if newline > 0 else cut


def build_context(
    text: str,
    offset: int,
    *,
    path: str = "untitled",
    language: str = "plaintext",
    others: Iterable[tuple[str, str]] = (),
    budget_tokens: int = 1024,
) -> PromptContext:
    """Context for a cursor at character ``offset`` of ``text``.

    The budget goes 60% to the prefix, 20% to the suffix, 20% to snippets;
    unused snippet budget goes back to the prefix.
    """
    budget = budget_tokens * CHARS_PER_TOKEN
    suffix = _cut_suffix(text[offset:], budget // 5)
    query = _cut_prefix(text[:offset], 1200)
    snippets = similar_snippets(query, others, budget // 5)
    used = sum(len(s.text) for s in snippets) + len(suffix)
    prefix = _cut_prefix(text[:offset], max(budget - used, budget * 3 // 5))
    return PromptContext(prefix, suffix, path, language, snippets)
