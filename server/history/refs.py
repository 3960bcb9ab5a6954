"""Validation of git revisions that come from users, before git ever sees them.

Only full or abbreviated hex object names and branch-like names (optionally with
`~N` / `^N` suffixes) pass; anything starting with `-`, ranges, reflog syntax,
`rev:path` and shell metacharacters are rejected, so no user text can become a
git option (`--upload-pack=...`) or an unexpected revision expression.
"""

from __future__ import annotations

import re

from server.core.errors import BadRequest

SHA_RE = re.compile(r"^[0-9a-f]{4,64}$")
FULL_SHA_RE = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}"
REF_RE = re.compile(rf"^{_NAME}(?:/{_NAME}){{0,9}}(?:~[0-9]{{1,5}}|\^[0-9]?)*$")
MAX_REF_LENGTH = 256


def validate_ref(ref: str) -> str:
    """`ref` unchanged when it is a safe revision; `BadRequest` otherwise."""
    if not ref or len(ref) > MAX_REF_LENGTH:
        raise BadRequest("invalid ref: empty or too long")
    if ref.startswith("-") or not REF_RE.fullmatch(ref):
        raise BadRequest(f"invalid ref {ref!r}: use a commit sha or a branch name")
    if ".." in ref or ref.endswith((".lock", ".")) or "@{" in ref:
        raise BadRequest(f"invalid ref {ref!r}: ranges and reflogs are not allowed")
    return ref


def validate_cursor(cursor: str) -> str:
    """A pagination cursor is always a full commit sha."""
    if not FULL_SHA_RE.fullmatch(cursor):
        raise BadRequest("invalid cursor: expected a full commit sha")
    return cursor
