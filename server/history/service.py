"""Git history of one project: commits, log, show, diff, files at a revision.

GitPython is used through `Repo.commit`/`rev_parse` and object traversal; the
few git commands run get only validated shas and `--`-separated literal paths,
so no user text can become a git option. Callers run these blocking methods
off the event loop; commits hold the project's lock.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import git
from git.exc import ODBError

from server.core.errors import BadRequest, Conflict, NotFound, TooLarge
from server.core.paths import normalise
from server.files.schemas import TreeEntry
from server.history.locks import project_lock
from server.history.refs import validate_cursor, validate_ref
from server.history.repo import author_email
from server.history.schemas import (
    CommitDetail,
    CommitPage,
    CommitPublic,
    CommitStats,
    FileChange,
)

log = logging.getLogger(__name__)
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
TRAILER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}: [^\r\n]{1,512}$")
_CHANGES: dict[str, Literal["added", "modified", "deleted", "type_changed"]] = {
    "A": "added",
    "M": "modified",
    "D": "deleted",
    "T": "type_changed",
}
# Git gets no prompts, no system config and literal (non-magic) pathspecs.
_GIT_ENV = {
    "GIT_LITERAL_PATHSPECS": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_CONFIG_NOSYSTEM": "1",
    # Non-ASCII names as they are in diff headers, not octal-escaped.
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "core.quotePath",
    "GIT_CONFIG_VALUE_0": "false",
}


class HistoryService:
    def __init__(self, root: Path, max_file_bytes: int) -> None:
        self.root = root.resolve()
        self.max_file_bytes = max_file_bytes

    @contextmanager
    def _repo(self) -> Iterator[git.Repo]:
        try:
            repo = git.Repo(self.root)
        except (git.NoSuchPathError, git.InvalidGitRepositoryError) as exc:
            raise NotFound("the project's repository is missing") from exc
        repo.git.update_environment(**_GIT_ENV)
        try:
            yield repo
        finally:
            repo.close()

    @staticmethod
    def _commit(repo: git.Repo, ref: str) -> git.Commit:
        validate_ref(ref)
        try:
            obj = repo.rev_parse(ref)
            repo.odb.info(obj.binsha)  # the null sha parses without existing
        except (ODBError, ValueError, IndexError, TypeError) as exc:
            raise NotFound(f"unknown revision '{ref}'") from exc
        if not isinstance(obj, git.Commit):
            raise NotFound(f"'{ref}' is not a commit")
        return obj

    def resolve(self, ref: str) -> str:
        """The full sha `ref` names; `NotFound` when it names no commit."""
        with self._repo() as repo:
            return self._commit(repo, ref).hexsha

    def read_at(self, ref: str, path: str) -> tuple[str, bytes]:
        """(commit sha, file bytes) of `path` at `ref`."""
        canonical = normalise(path)
        with self._repo() as repo:
            commit = self._commit(repo, ref)
            try:
                blob = commit.tree / canonical
            except KeyError as exc:
                raise NotFound(f"no file '{canonical}' at {ref}") from exc
            if not isinstance(blob, git.Blob):
                raise BadRequest(f"'{canonical}' is a directory at {ref}")
            if blob.size > self.max_file_bytes:
                raise TooLarge(f"file is larger than {self.max_file_bytes} bytes")
            data: bytes = blob.data_stream.read()
            return commit.hexsha, data

    def tree_at(self, ref: str) -> list[TreeEntry]:
        """Every file and directory at `ref`, sorted by path."""
        with self._repo() as repo:
            commit = self._commit(repo, ref)
            entries: list[TreeEntry] = []
            for item in commit.tree.traverse():
                if isinstance(item, git.Blob):
                    entries.append(
                        TreeEntry(path=str(item.path), type="file", size=item.size)
                    )
                elif isinstance(item, git.Tree):
                    entries.append(TreeEntry(path=str(item.path), type="dir"))
            return sorted(entries, key=lambda e: e.path)

    def commit(
        self,
        message: str,
        author_name: str,
        author_username: str,
        paths: Sequence[str] | None = None,
        extra_trailers: Sequence[str] = (),
    ) -> CommitPublic:
        """Commit the working tree (or only `paths`) as the given author.

        `extra_trailers` are whole lines such as `Co-authored-by: Ada <a@x>`,
        appended after a blank line; whitespace runs (newlines included) become
        one space, and a line that is still no trailer is left out with a
        warning rather than failing the author's commit. `Conflict` when
        nothing changed."""
        body = message.strip()
        if not body:
            raise BadRequest("the commit message is empty")
        trailers = []
        for raw in extra_trailers:
            line = " ".join(raw.split())
            if TRAILER_RE.fullmatch(line):
                trailers.append(line)
            else:
                log.warning("dropping invalid commit trailer %r", raw)
        if trailers:
            body += "\n\n" + "\n".join(trailers)
        selected = [normalise(p) for p in paths] if paths is not None else None
        if selected is not None and not selected:
            raise BadRequest("paths is empty; leave it out to commit everything")
        actor = git.Actor(author_name, author_email(author_username))
        with project_lock(self.root), self._repo() as repo:
            self._clear_stale_index_lock()
            head = repo.head.commit
            # Start from HEAD's index so nothing staged by an earlier failed
            # attempt sneaks into this commit.
            repo.head.reset(index=True, working_tree=False)
            if selected is None:
                repo.git.add("--all")
            else:
                self._check_paths_exist(head, selected)
                repo.git.add("--all", "--", *selected)
            index = repo.index
            if index.write_tree().hexsha == head.tree.hexsha:
                what = "the given paths have" if selected else "the working tree has"
                raise Conflict(f"nothing to commit: {what} no changes since HEAD")
            commit = index.commit(body + "\n", author=actor, committer=actor)
            return _public(commit)

    def _clear_stale_index_lock(self) -> None:
        """A git killed mid-write (server crash) leaves `index.lock` behind and
        every later commit would fail; holding the project lock, no git of
        ours is running, so the file is stale."""
        lock = self.root / ".git" / "index.lock"
        if lock.exists():
            log.warning("removing stale %s", lock)
            lock.unlink(missing_ok=True)

    def _check_paths_exist(self, head: git.Commit, paths: list[str]) -> None:
        for path in paths:
            if (self.root / path).exists() or (self.root / path).is_symlink():
                continue
            try:
                head.tree / path
            except KeyError:
                raise NotFound(
                    f"'{path}' is neither in the working tree nor in HEAD"
                ) from None

    def log(
        self, path: str | None = None, limit: int = 50, cursor: str | None = None
    ) -> CommitPage:
        """Newest first; `cursor` is the `next_cursor` of the previous page."""
        canonical = normalise(path) if path else ""
        with self._repo() as repo:
            if cursor is not None:
                start = self._commit(repo, validate_cursor(cursor)).hexsha
            else:
                start = repo.head.commit.hexsha
            commits = list(
                repo.iter_commits(rev=start, paths=canonical, max_count=limit + 1)
            )
        page = [_public(c) for c in commits[:limit]]
        more = len(commits) > limit
        return CommitPage(
            items=page, next_cursor=commits[limit].hexsha if more else None
        )

    def show(self, ref: str) -> CommitDetail:
        with self._repo() as repo:
            commit = self._commit(repo, ref)
            files = _changes(repo, commit)
            stats = CommitStats(
                files=len(files),
                insertions=sum(f.insertions for f in files),
                deletions=sum(f.deletions for f in files),
            )
            return CommitDetail(
                **_public(commit).model_dump(), files=files, stats=stats
            )

    def diff(self, ref: str, path: str | None = None) -> str:
        """Unified diff of the commit against its first parent (or the empty tree)."""
        canonical = [normalise(path)] if path else []
        with self._repo() as repo:
            commit = self._commit(repo, ref)
            parent = commit.parents[0].hexsha if commit.parents else EMPTY_TREE
            out: Any = repo.git.diff(
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                parent,
                commit.hexsha,
                "--",
                *canonical,
                stdout_as_string=False,
            )
        text: str = bytes(out).decode("utf-8", errors="replace")
        return text + "\n" if text and not text.endswith("\n") else text


def _changes(repo: git.Repo, commit: git.Commit) -> list[FileChange]:
    """Files the commit changed, from NUL-separated git output (any file name)."""
    parent = commit.parents[0].hexsha if commit.parents else EMPTY_TREE
    revs = ("--no-renames", "-z", parent, commit.hexsha)
    status = str(repo.git.diff("--name-status", *revs)).split("\0")
    kinds = {status[i + 1]: status[i] for i in range(0, len(status) - 1, 2)}
    changes = []
    for record in str(repo.git.diff("--numstat", *revs)).split("\0"):
        if record.count("\t") < 2:
            continue
        added, removed, path = record.split("\t", 2)
        changes.append(
            FileChange(
                path=path,
                change=_CHANGES.get(kinds.get(path, "M")[:1], "modified"),
                insertions=int(added) if added.isdigit() else 0,  # "-": binary
                deletions=int(removed) if removed.isdigit() else 0,
            )
        )
    return sorted(changes, key=lambda c: c.path)


def _public(commit: git.Commit) -> CommitPublic:
    message = str(commit.message).rstrip("\n")
    return CommitPublic(
        sha=commit.hexsha,
        short_sha=commit.hexsha[:10],
        summary=message.split("\n", 1)[0],
        message=message,
        author_name=str(commit.author.name),
        author_email=str(commit.author.email),
        authored_at=commit.authored_datetime,
        parents=[p.hexsha for p in commit.parents],
    )
