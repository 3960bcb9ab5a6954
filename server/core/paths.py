"""Project paths: where a project's tree lives and how user paths are confined to it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from server.core.config import Settings
from server.core.errors import BadRequest

MAX_PATH_LENGTH = 1024
MAX_NAME_BYTES = 255


def project_root(settings: Settings, project_id: int) -> Path:
    return (settings.projects_dir / str(project_id)).resolve()


def normalise(rel_path: str) -> str:
    """Check a user-supplied project path and return its canonical form.

    Rejects empty or overlong paths, NUL bytes, absolute paths, `..` segments,
    backslashes and anything under a `.git` directory (at any depth, any case).
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
    if any(p.lower() == ".git" for p in parts):
        raise BadRequest("invalid path: .git is not accessible")
    if len(rel_path) > MAX_PATH_LENGTH or any(
        len(p.encode()) > MAX_NAME_BYTES for p in parts
    ):
        raise BadRequest("invalid path: too long")
    return "/".join(parts)


def safe_join(root: Path, rel_path: str) -> Path:
    """The absolute path of `rel_path` inside `root`, following no link out of it."""
    canonical = normalise(rel_path)
    root = root.resolve()
    try:
        target = (root / canonical).resolve()
    except (OSError, RuntimeError) as exc:  # symlink loops, unreadable links
        raise BadRequest("invalid path: cannot be resolved") from exc
    if target != root and root not in target.parents:
        raise BadRequest("invalid path: leads outside the project")
    # A symlink inside the project must not lead into the repository's .git.
    if any(p.lower() == ".git" for p in target.relative_to(root).parts):
        raise BadRequest("invalid path: .git is not accessible")
    return target
