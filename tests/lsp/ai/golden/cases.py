"""Helpers for the golden post-processing tables.

A case is ``(id, document, raw answer, expected)``; ``█`` marks the cursor in
the document and ``expected`` is the suggestion (None: show nothing).
"""

from __future__ import annotations

from typing import NamedTuple

from lsp.ai.postprocess import clean
from lsp.ai.templates import LEAK_TOKENS

CURSOR = "█"


class Case(NamedTuple):
    id: str
    document: str
    raw: str
    expected: str | None


def run(case: Case) -> str | None:
    prefix, suffix = case.document.split(CURSOR)
    return clean(case.raw, prefix, suffix)


def check(case: Case) -> None:
    """The golden assertion plus the invariants every case must hold."""
    got = run(case)
    assert got == case.expected
    if got is None:
        return
    suffix = case.document.split(CURSOR)[1]
    assert got.strip(), "never a whitespace-only suggestion"
    assert "```" not in got, "no markdown fence"
    assert not any(tok in got for tok in LEAK_TOKENS), "no leaked FIM token"
    rest = suffix.split("\n", 1)[0].strip()
    if rest and len(rest) > 1:
        assert not got.rstrip().endswith(rest), "rest of line duplicated"
