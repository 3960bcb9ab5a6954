"""The README's configuration table is generated from `Settings`; this fails
when someone adds or changes a setting without regenerating it
(`python -m server.core.config --update-readme`)."""

from __future__ import annotations

from pathlib import Path

from server.core.config import markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_holds_the_current_config_table() -> None:
    assert README.is_file(), "README.md is missing"
    table = markdown_table()
    assert table in README.read_text(encoding="utf-8"), (
        "README.md's configuration table is stale: run "
        "`.venv/bin/python -m server.core.config --update-readme`"
    )
