"""Project paths: where a project's tree lives and how user paths are confined to it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from server.core.config import Settings
from server.core.errors import BadRequest


def project_root(settings: Settings, project_id: int) -> Path:
    return (settings.projects_dir / str(project_id)).resolve()


def normalise(rel_path: str) -> str:
    """Check a user-supplied project path and return its canonical form.

    Rejects empty paths, NUL bytes, absolute paths, `..` segments, backslashes
    and anything under `.git`.
    """
    if not rel_path or "\x00" in rel_path:
        raise BadRequest("invalid path: empty or contains a NUL byte")
    if "\\" in rel_path:
        raise BadRequest("invalid path: backslashes are not allowed")
    pure = PurePosixPath(rel_path)
    if pure.is_absolute():
        raise BadRequest("invalid path: must be relative to the project")
    parts = [p for p in pure.parts if p not in ("", ".")]
    if not parts:
        raise BadRequest("invalid path: empty")
    if ".." in parts:
        raise BadRequest("invalid path: '..' is not allowed")
    if parts[0] == ".git":
        raise BadRequest("invalid path: .git is not accessible")
    return "/".join(parts)


def safe_join(root: Path, rel_path: str) -> Path:
    """The absolute path of `rel_path` inside `root`, following no link out of it."""
    canonical = normalise(rel_path)
    root = root.resolve()
    target = (root / canonical).resolve()
    if target != root and root not in target.parents:
        raise BadRequest("invalid path: leads outside the project")
    return target
