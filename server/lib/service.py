"""Library roots (stdlib, site-packages) and read-only access to their sources.

A definition that lands in the standard library or an installed package is
shown to the browser as ``devsync-lib:///{path relative to its root}``; the
root itself, and so the server's file system layout, is never revealed.
"""

from __future__ import annotations

import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from server.core.errors import BadRequest, NotFound, TooLarge

SOURCE_SUFFIXES = (".py", ".pyi")
# Library sources are the server's own files, not user data: one fixed cap.
MAX_LIBRARY_FILE_BYTES = 16 * 1024 * 1024
_SYSCONFIG_KEYS = ("stdlib", "platstdlib", "purelib", "platlib")


@dataclass(frozen=True)
class LibraryRoots:
    """Directories whose Python sources may be shown read-only, deepest first."""

    roots: tuple[Path, ...]

    @classmethod
    def of_interpreter(cls, exclude: Path) -> LibraryRoots:
        """The stdlib and site-packages of this interpreter, minus anything
        containing ``exclude`` (the data directory with every project)."""
        found: list[Path] = []
        candidates = [sysconfig.get_paths()[key] for key in _SYSCONFIG_KEYS]
        candidates += [
            p for p in sys.path if p.endswith(("site-packages", "dist-packages"))
        ]
        exclude = exclude.resolve()
        for entry in candidates:
            path = Path(entry).resolve()
            inside_or_above = path == exclude or path in exclude.parents
            inside_or_above = inside_or_above or exclude in path.parents
            if path.is_dir() and path not in found and not inside_or_above:
                found.append(path)
        found.sort(key=lambda p: len(p.parts), reverse=True)
        return cls(tuple(found))

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the deepest root holding it, if it is a source."""
        if path.suffix not in SOURCE_SUFFIXES:
            return None
        for root in self.roots:
            if root in path.parents:
                return path.relative_to(root).as_posix()
        return None

    def resolve(self, rel_path: str) -> Path | None:
        """The source file ``rel_path`` names under some root, deepest root first."""
        pure = PurePosixPath(rel_path)
        parts = pure.parts
        if (
            not parts
            or pure.is_absolute()
            or ".." in parts
            or "\\" in rel_path
            or "\x00" in rel_path
            or pure.suffix not in SOURCE_SUFFIXES
        ):
            return None
        for root in self.roots:
            try:
                target = root.joinpath(*parts).resolve()
            except (OSError, RuntimeError):
                continue
            if target.is_file() and any(r in target.parents for r in self.roots):
                return target
        return None


def read_library_file(
    roots: LibraryRoots, rel_path: str, max_bytes: int = MAX_LIBRARY_FILE_BYTES
) -> str:
    """The text of a library source; raises NotFound or TooLarge."""
    if not rel_path or len(rel_path) > 1024:
        raise BadRequest("invalid library path")
    target = roots.resolve(rel_path)
    if target is None:
        raise NotFound("no such library file")
    if target.stat().st_size > max_bytes:
        raise TooLarge(f"library file larger than {max_bytes} bytes")
    return target.read_text(encoding="utf-8", errors="replace")
