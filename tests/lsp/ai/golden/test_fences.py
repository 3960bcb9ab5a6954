"""Golden cases: markdown fences around code."""

import pytest

from tests.lsp.ai.golden.cases import Case, check

CASES = [
    Case("python-fence", "x = █", "```python\n42\n```", "42"),
    Case("bare-fence", "x = █", "```\n42\n```", "42"),
    Case(
        "fence-with-intro",
        "def f():\n    █",
        "Here is the code:\n```python\nreturn 1\n```",
        "return 1",
    ),
    Case(
        "fence-with-outro",
        "def f():\n    █",
        "```py\nreturn 1\n```\nThis returns one.",
        "return 1",
    ),
    Case("unclosed-fence", "x = █", "```python\n42", "42"),
    Case(
        "trailing-stray-fence",
        "def f():\n    █",
        "return 1\n```",
        "return 1",
    ),
    Case("empty-fence", "x = █", "```\n```", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fences(case: Case) -> None:
    check(case)
