"""lsp.options: defaults, camelCase keys, invalid values fall back."""

from __future__ import annotations

from lsp.options import CompletionOptions, Options, parse_options


def test_defaults() -> None:
    options, errors = parse_options(None)
    assert options == Options()
    assert errors == []


def test_camel_case_and_nesting() -> None:
    options, errors = parse_options(
        {"maxDocumentBytes": 10, "completion": {"maxItems": 5}, "extraPaths": ["/x"]}
    )
    assert errors == []
    assert options.max_document_bytes == 10
    assert options.completion == CompletionOptions(max_items=5)
    assert options.extra_paths == ("/x",)


def test_invalid_values_keep_defaults_and_report() -> None:
    options, errors = parse_options(
        {"maxDocumentBytes": "big", "diagnostics": [], "bogus": 1, "python": 3}
    )
    assert options == Options()
    assert len(errors) == 4
    assert any(e.startswith("bogus") for e in errors)


def test_not_an_object() -> None:
    options, errors = parse_options("nope")
    assert options == Options()
    assert errors
