"""Request and response bodies of the file routes.

`GET .../files/{path}` answers the raw text (`text/plain; charset=utf-8`), and
`PUT` takes the raw text as its body, so only listings and results are JSON.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class TreeEntry(BaseModel):
    path: str
    type: Literal["file", "dir"]
    size: int | None = Field(default=None, description="Bytes, for files.")


class TreePublic(BaseModel):
    ref: str | None = Field(description="The commit listed, or null: working tree.")
    entries: list[TreeEntry]


class FileWritten(BaseModel):
    path: str
    size: int
    created: bool = Field(description="True when the file did not exist before.")
    live: bool = Field(
        default=False, description="True when an open live document took the text."
    )


class FileMove(BaseModel):
    to: str = Field(min_length=1, max_length=1024)


class FileMoved(BaseModel):
    path: str
    to: str
