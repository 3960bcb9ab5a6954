"""Files of the sample project every new user gets (read as data, never imported)."""

from __future__ import annotations

from importlib import resources


def sample_files() -> dict[str, str]:
    base = resources.files(__name__)
    names = [
        "README.md",
        "main.py",
        "geometry/__init__.py",
        "geometry/shapes.py",
        "geometry/report.py",
    ]
    return {
        name: base.joinpath(*name.split("/")).read_text(encoding="utf-8")
        for name in names
    }
