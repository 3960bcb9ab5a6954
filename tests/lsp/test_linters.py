"""pyflakes findings and the ruff merge, on plain text."""

from __future__ import annotations

from lsp.flakes import pyflakes_findings
from lsp.linters import merge
from lsp.ruff_tool import ruff_binary, ruff_findings


def test_undefined_and_unused() -> None:
    found = pyflakes_findings("import os\nprint(nope)\n", "x.py")
    by_code = {f[6]: f for f in found}
    row, col, _, end, severity, *_ = by_code["UndefinedName"]
    assert (row, col, end, severity) == (1, 6, 10, 1)
    assert by_code["UnusedImport"][8] is True  # tagged unnecessary


def test_syntax_error_position() -> None:
    [finding] = pyflakes_findings("x = (\n", "x.py")
    assert finding[6] == "SyntaxError"
    assert finding[0] in (0, 1)


def test_non_ascii_columns_are_code_points() -> None:
    [finding] = pyflakes_findings("s = 'ééé'; nope\n", "x.py")
    assert finding[1] == 11


def test_ruff_duplicates_are_dropped() -> None:
    source = "import os\n"
    flakes = pyflakes_findings(source, "x.py")
    if ruff_binary() is None:
        assert merge(flakes, []) == flakes
        return
    ruffs = ruff_findings(source, "x.py", None)
    merged = merge(flakes, ruffs)
    assert len([f for f in merged if "imported but unused" in f[7]]) == 1
