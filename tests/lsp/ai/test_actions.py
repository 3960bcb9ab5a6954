"""Code-action text work: edits from model answers, validated to parse."""

from __future__ import annotations

from lsp.ai import actions

SOURCE = "def add(a, b):\n    return a +\n\n\nclass Box:\n    size = 1\n"


def test_fix_edit_applies_fenced_answer() -> None:
    edit = actions.fix_edit(SOURCE, 1, 1, "```python\n    return a + b\n```", "python")
    assert edit is not None
    assert edit.apply(SOURCE).startswith("def add(a, b):\n    return a + b\n")


def test_fix_edit_reindents_dedented_answer() -> None:
    edit = actions.fix_edit(SOURCE, 1, 1, "return a + b", "python")
    assert edit is not None
    assert edit.text == "    return a + b\n"


def test_fix_edit_rejects_answer_that_does_not_parse() -> None:
    assert actions.fix_edit(SOURCE, 1, 1, "return a +", "python") is None


def test_fix_edit_rejects_empty_and_unchanged() -> None:
    assert actions.fix_edit(SOURCE, 1, 1, "", "python") is None
    good = SOURCE.replace("a +\n", "a + b\n")
    assert actions.fix_edit(good, 1, 1, "    return a + b", "python") is None


def test_non_python_checks_brackets() -> None:
    assert actions.parses("function f() { return [1, 2]; }", "javascript")
    assert not actions.parses("function f() { return [1, 2; }", "javascript")


def test_definition_and_docstring() -> None:
    source = SOURCE.replace("a +\n", "a + b\n")
    header = actions.definition_at(source, 1)
    assert header == (0, 0)
    edit = actions.docstring_edit(source, header, '"""Add two numbers."""')
    assert edit is not None
    assert edit.apply(source).startswith(
        'def add(a, b):\n    """Add two numbers."""\n    return a + b\n'
    )


def test_multiline_docstring_in_class() -> None:
    source = SOURCE.replace("a +\n", "a + b\n")
    header = actions.definition_at(source, 4)
    assert header == (4, 4)
    edit = actions.docstring_edit(source, header, "A box.\n\nHolds a size.")
    assert edit is not None
    assert '    """A box.\n\n    Holds a size.\n    """\n    size = 1' in edit.apply(
        source
    )


def test_no_definition_near_line() -> None:
    assert actions.definition_at("x = 1\ny = 2\nz = 3\nw = 4\n", 3) is None
