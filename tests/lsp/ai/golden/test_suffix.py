"""Golden cases: text that duplicates the suffix or the rest of the line."""

import pytest

from tests.lsp.ai.golden.cases import Case, check

CASES = [
    Case("closing-paren", "print(█)\n", "'hello')", "'hello'"),
    Case("closing-paren-colon", "def add(a, b█):\n", ", c):", ", c"),
    Case("closing-bracket-list", "xs = [1, 2█]\n", ", 3]", ", 3"),
    Case("closing-brace-dict", "d = {'a': █}\n", "1}", "1"),
    Case("closing-quote", 'name = "█"\n', 'world"', "world"),
    Case(
        "rest-of-line-word",
        "total = █ + tax\n",
        "price + tax",
        "price",
    ),
    Case(
        "following-lines",
        "def f(x):\n    █\n    return y\n",
        "y = x * 2\n    return y",
        "y = x * 2",
    ),
    Case(
        "following-block",
        "if ok:\n    █\nelse:\n    fail()\n",
        "run()\nelse:\n    fail()",
        "run()",
    ),
    Case("whole-answer-in-suffix", "x = █1\n", "1", None),
    Case(
        "no-false-overlap",
        "foo = █o\n",
        "fo",
        "fo",
    ),
    Case("semicolon", "let x = █;\n", "compute();", "compute()"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_suffix(case: Case) -> None:
    check(case)
