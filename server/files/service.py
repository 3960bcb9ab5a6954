"""Working-tree files of one project: listing, reading, atomic writes, delete, move.

Every user path goes through `server.core.paths` (normalised, confined, no
`.git`), and every mutation holds the project's lock so it never interleaves
with a commit. Plain disk work, no git: history lives in `server.history`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from server.core.errors import BadRequest, Conflict, DomainError, NotFound, TooLarge
from server.core.paths import normalise, safe_join
from server.files.schemas import TreeEntry
from server.history.locks import project_lock


class BinaryFile(DomainError):
    """A file (or body) that is not UTF-8 text; DevSync edits text only."""

    status_code = 415


def decode_text(data: bytes, path: str | None = None) -> str:
    """`data` as text, or `BinaryFile` when it is not valid UTF-8.

    `path` names the file in the message; without it `data` is a request body."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if path is None:
            raise BinaryFile("the request body must be UTF-8 text") from exc
        raise BinaryFile(
            f"'{path}' is a binary file (not UTF-8 text); it cannot be shown as text"
        ) from exc


class FilesService:
    def __init__(self, root: Path, max_file_bytes: int) -> None:
        self.root = root.resolve()
        self.max_file_bytes = max_file_bytes

    def _check_repository(self) -> None:
        """Never recreate the tree of a project whose repository is gone."""
        if not (self.root / ".git").is_dir():
            raise NotFound("the project's repository is missing")

    def tree(self) -> list[TreeEntry]:
        """Files and directories of the working tree, sorted, without `.git`."""
        self._check_repository()
        entries: list[TreeEntry] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d.lower() != ".git")
            base = Path(dirpath)
            for name in dirnames:
                if (base / name).is_symlink():
                    continue  # not followed by os.walk either
                entries.append(TreeEntry(path=self._rel(base / name), type="dir"))
            for name in filenames:
                full = base / name
                try:
                    real = full.resolve()
                    if self.root not in real.parents or not real.is_file():
                        continue  # dangling or leading out of the project
                    size = real.stat().st_size
                except (OSError, RuntimeError):
                    continue
                entries.append(TreeEntry(path=self._rel(full), type="file", size=size))
        return sorted(entries, key=lambda e: e.path)

    def read_text(self, path: str) -> str:
        return decode_text(self.read_bytes(path), normalise(path))

    def read_bytes(self, path: str) -> bytes:
        target = safe_join(self.root, path)
        if target.is_dir():
            raise BadRequest(f"'{normalise(path)}' is a directory")
        if not target.is_file():
            raise NotFound(f"no file '{normalise(path)}' in the working tree")
        if target.stat().st_size > self.max_file_bytes:
            raise TooLarge(f"file is larger than {self.max_file_bytes} bytes")
        return target.read_bytes()

    def write_text(self, path: str, text: str) -> bool:
        return self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: str, data: bytes) -> bool:
        """Create or replace `path` atomically; returns True when it was created."""
        if len(data) > self.max_file_bytes:
            raise TooLarge(f"file is larger than {self.max_file_bytes} bytes")
        target = safe_join(self.root, path)
        with project_lock(self.root):
            self._check_repository()
            if target.is_dir():
                raise Conflict(f"'{normalise(path)}' is a directory")
            created = not target.exists()
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as exc:
                raise Conflict(
                    f"a parent of '{normalise(path)}' is a file, not a directory"
                ) from exc
            _atomic_write(target, data)
        return created

    def delete(self, path: str) -> None:
        """Delete a file (a symlink itself, not what it points to)."""
        canonical = normalise(path)
        safe_join(self.root, canonical)  # confinement of the whole path
        link = self.root / canonical
        with project_lock(self.root):
            if not link.is_symlink() and link.is_dir():
                raise BadRequest(f"'{canonical}' is a directory; delete its files")
            if not link.is_symlink() and not link.exists():
                raise NotFound(f"no file '{canonical}' in the working tree")
            link.unlink()
            self._prune_empty(link.parent)

    def move(self, path: str, to: str) -> str:
        """Rename a file or directory; returns the canonical new path."""
        source, dest = normalise(path), normalise(to)
        safe_join(self.root, source)
        target = safe_join(self.root, dest)
        src = self.root / source
        if dest == source or dest.startswith(source + "/"):
            raise BadRequest("cannot move a path onto or into itself")
        with project_lock(self.root):
            self._check_repository()
            if not src.is_symlink() and not src.exists():
                raise NotFound(f"no file '{source}' in the working tree")
            if target.exists() or target.is_symlink():
                raise Conflict(f"'{dest}' already exists")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as exc:
                raise Conflict(f"a parent of '{dest}' is a file") from exc
            src.rename(target)
            self._prune_empty(src.parent)
        return dest

    def _rel(self, full: Path) -> str:
        return full.relative_to(self.root).as_posix()

    def _prune_empty(self, directory: Path) -> None:
        """Remove directories left empty (git does not keep them either)."""
        while directory != self.root and self.root in directory.parents:
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent


def _atomic_write(target: Path, data: bytes) -> None:
    """Write beside the target then rename, so readers never see half a file."""
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=".devsync-write-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
