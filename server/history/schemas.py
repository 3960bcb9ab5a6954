"""Request and response bodies of the history routes (commits, diff, restore)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class CommitCreate(BaseModel):
    message: str = Field(min_length=1, max_length=20_000)
    paths: list[str] | None = Field(
        default=None,
        max_length=1000,
        description="Commit only these paths (files or directories); all when absent.",
    )


class CommitPublic(BaseModel):
    sha: str
    short_sha: str
    summary: str
    message: str
    author_name: str
    author_email: str
    authored_at: datetime
    parents: list[str]


class FileChange(BaseModel):
    path: str
    change: Literal["added", "modified", "deleted", "type_changed"]
    insertions: int
    deletions: int


class CommitStats(BaseModel):
    files: int
    insertions: int
    deletions: int


class CommitDetail(CommitPublic):
    files: list[FileChange]
    stats: CommitStats


class CommitPage(BaseModel):
    items: list[CommitPublic]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class RestoreRequest(BaseModel):
    path: str = Field(min_length=1, max_length=1024)
    ref: str = Field(min_length=1, description="A commit sha or branch name.")


class Restored(BaseModel):
    path: str
    sha: str = Field(description="The commit the file was restored from.")
    size: int
    binary: bool
    live: bool = Field(
        default=False, description="True when an open live document took the text."
    )
