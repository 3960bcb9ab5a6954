"""Golden cases: nothing useful left means no suggestion at all."""

import pytest

from tests.lsp.ai.golden.cases import Case, check

CASES = [
    Case("empty", "x = █", "", None),
    Case("spaces", "x = █", "   ", None),
    Case("newlines", "x = █", "\n\n\n", None),
    Case("tabs-crlf", "x = █", "\t\r\n\t", None),
    Case("only-prose", "x = █", "Here is the code:\n", None),
    Case("crlf-answer", "x = █", "1\r\ny = 2", "1\ny = 2"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_empty(case: Case) -> None:
    check(case)
