"""Golden cases: multi-line suggestions stop at the end of the block."""

import pytest

from tests.lsp.ai.golden.cases import Case, check

CASES = [
    Case(
        "dedent-ends-block",
        "def f(x):\n    █",
        "return x\n\ndef g():\n    pass",
        "return x",
    ),
    Case(
        "opened-block-then-sibling",
        "def f(xs):\n    █",
        "for x in xs:\n        print(x)\n    return None",
        "for x in xs:\n        print(x)",
    ),
    Case(
        "else-continues",
        "def f(x):\n    █",
        "if x:\n        return 1\n    else:\n        return 2",
        "if x:\n        return 1\n    else:\n        return 2",
    ),
    Case(
        "two-blank-lines",
        "█",
        "import os\n\n\nimport sys",
        "import os",
    ),
    Case(
        "brace-block-closed",
        "function f() {\n  █",
        "if (x) {\n    go();\n  }\n  more();",
        "if (x) {\n    go();\n  }",
    ),
    Case(
        "mid-line-single",
        "print(█)\n",
        "x)\nprint(y)",
        "x",
    ),
    Case(
        "top-level-function",
        "█",
        "def f():\n    return 1\n\nprint(f())",
        "def f():\n    return 1",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_block_end(case: Case) -> None:
    check(case)
