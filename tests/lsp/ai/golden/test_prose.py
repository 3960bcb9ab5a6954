"""Golden cases: chat models that add prose or restate the typed line."""

import pytest

from tests.lsp.ai.golden.cases import Case, check

CASES = [
    Case("intro-line", "x = █", "Here is the completion:\n42", "42"),
    Case("sure-intro", "x = █", "Sure! Here's the code:\n\n42", "42"),
    Case(
        "outro-paragraph",
        "def f():\n    █",
        "return 1\n\nThis function returns one.",
        "return 1",
    ),
    Case(
        "restated-line",
        "    result = compute(█",
        "    result = compute(a, b)",
        "a, b)",
    ),
    Case("restated-statement", "for x in █", "for x in range(10):", "range(10):"),
    Case(
        "explanation-note",
        "y = █",
        "x * 2\n\nNote: doubles x.",
        "x * 2",
    ),
    Case("code-starting-with-here", "█", "here = 1", "here = 1"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_prose(case: Case) -> None:
    check(case)
