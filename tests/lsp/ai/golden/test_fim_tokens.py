"""Golden cases: leaked fill-in-the-middle sentinels and end tokens."""

import pytest

from tests.lsp.ai.golden.cases import Case, check

CASES = [
    Case("endoftext", "x = █", "42<|endoftext|>", "42"),
    Case("qwen-file-sep", "x = █", "42\n<|file_sep|>other.py\nimport os", "42"),
    Case("starcoder-middle", "x = █", "42<fim_middle>junk", "42"),
    Case("codellama-eot", "x = █", "42 <EOT>", "42"),
    Case(
        "deepseek-end",
        "x = █",
        "42<\uff5cfim\u2581end\uff5c>",
        "42",
    ),
    Case("codestral-prefix", "x = █", "42[PREFIX]x = ", "42"),
    Case("only-token", "x = █", "<|endoftext|>", None),
    Case("im-end", "x = █", "42<|im_end|>", "42"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fim_tokens(case: Case) -> None:
    check(case)
