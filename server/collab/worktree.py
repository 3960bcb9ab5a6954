"""Reading and writing a document's working-tree file, atomically and off the loop."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from server.core.config import Settings
from server.core.paths import project_root, safe_join


class WorkingTree:
    """The files behind collaborative documents, confined to each project."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def file_path(self, project_id: int, path: str) -> Path:
        """Raises `BadRequest` for a path that leaves the project."""
        return safe_join(project_root(self.settings, project_id), path)

    def project_exists(self, project_id: int) -> bool:
        return project_root(self.settings, project_id).is_dir()

    def read(self, project_id: int, path: str) -> str | None:
        target = self.file_path(project_id, path)
        if not target.is_file():
            return None
        return target.read_bytes().decode("utf-8", errors="replace")

    def write(self, project_id: int, path: str, text: str) -> None:
        target = self.file_path(project_id, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".devsync-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def aread(self, project_id: int, path: str) -> str | None:
        return await asyncio.to_thread(self.read, project_id, path)

    async def awrite(self, project_id: int, path: str, text: str) -> None:
        await asyncio.to_thread(self.write, project_id, path, text)
