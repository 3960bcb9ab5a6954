"""Creating a project's git repository; the rest of git lives beside this module."""

from __future__ import annotations

import shutil
from pathlib import Path

import git

from server.core.paths import safe_join


def author_email(username: str) -> str:
    return f"{username}@users.devsync.local"


def create_repository(
    root: Path, files: dict[str, str], author_name: str, author_username: str
) -> str:
    """Make `root` a git repository holding `files`, committed once; returns the sha."""
    root.mkdir(parents=True, exist_ok=False)
    try:
        repo = git.Repo.init(root, initial_branch="main")
        with repo.config_writer() as cfg:
            cfg.set_value("user", "name", "DevSync")
            cfg.set_value("user", "email", "devsync@localhost")
            cfg.set_value("core", "autocrlf", "false")
        for rel, text in files.items():
            target = safe_join(root, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        repo.git.add("--all")
        actor = git.Actor(author_name, author_email(author_username))
        commit = repo.index.commit("Initial commit", author=actor, committer=actor)
        repo.close()
        return commit.hexsha
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise


def delete_repository(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
