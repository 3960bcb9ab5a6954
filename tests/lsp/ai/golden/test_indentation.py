"""Golden cases: indentation fitted to the cursor's context."""

import pytest

from tests.lsp.ai.golden.cases import Case, check

CASES = [
    Case(
        "fim-absolute",
        "def f(x):\n    █",
        "y = x + 1\n    return y",
        "y = x + 1\n    return y",
    ),
    Case(
        "repeated-first-indent",
        "def f(x):\n    █",
        "    return x",
        "return x",
    ),
    Case(
        "nested-repeated-indent",
        "class A:\n    def f(self):\n        █",
        "        return self.x",
        "return self.x",
    ),
    Case(
        "dedented-block",
        "def f(xs):\n    █",
        "for x in xs:\n    print(x)",
        "for x in xs:\n        print(x)",
    ),
    Case(
        "nested-dedented-block",
        "class A:\n    def f(self, xs):\n        █",
        "if xs:\n    return xs[0]",
        "if xs:\n            return xs[0]",
    ),
    Case(
        "tabs-document-spaces-answer",
        "def f(x):\n\t█",
        "if x:\n\t\treturn 1",
        "if x:\n\t\treturn 1",
    ),
    Case(
        "tabs-document-converted",
        "def f(x):\n\tif x:\n\t\t█",
        "y = 1\n        return y",
        "y = 1\n\t\treturn y",
    ),
    Case(
        "spaces-document-tabs-answer",
        "def f(x):\n    █",
        "if x:\n\t\treturn 1",
        "if x:\n        return 1",
    ),
    Case(
        "two-space-document",
        "function f() {\n  █\n}\n",
        "if (x) {\n\t\treturn 1;\n\t}",
        "if (x) {\n    return 1;\n  }",
    ),
    Case(
        "top-level",
        "import os\n█",
        "print(os.getcwd())",
        "print(os.getcwd())",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_indentation(case: Case) -> None:
    check(case)
