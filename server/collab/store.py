"""Durable Yjs state: append batches of updates, load, compact into snapshots.

Every method is blocking and meant to run on the collaboration writer thread
(`server.collab.writer`), never on the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from pycrdt import merge_updates
from sqlalchemy import delete, func, insert, select

from server.collab.models import (
    CollabEditor,
    CollabFile,
    CollabSnapshot,
    CollabUpdate,
)
from server.core.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DocKey:
    """A document: one file of one project."""

    project_id: int
    path: str

    def __str__(self) -> str:
        return f"{self.project_id}:{self.path}"


@dataclass(slots=True)
class Loaded:
    """What is stored for a document: a snapshot (maybe empty) and later updates."""

    snapshot: bytes | None
    updates: list[bytes]
    file_sha: str | None = None

    @property
    def empty(self) -> bool:
        return self.snapshot is None and not self.updates


class CollabStore:
    """Yjs persistence on the app's database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def load(self, key: DocKey) -> Loaded:
        with self.db.session() as s:
            snap = s.get(CollabSnapshot, (key.project_id, key.path))
            after = snap.upto_id if snap is not None else 0
            rows = s.scalars(
                select(CollabUpdate.data)
                .where(
                    CollabUpdate.project_id == key.project_id,
                    CollabUpdate.path == key.path,
                    CollabUpdate.id > after,
                )
                .order_by(CollabUpdate.id)
            ).all()
            written = s.get(CollabFile, (key.project_id, key.path))
            return Loaded(
                snap.data if snap is not None else None,
                list(rows),
                written.text_sha if written is not None else None,
            )

    def wrote_file(self, key: DocKey, text_sha: str) -> None:
        """Remember the hash of what was last written to the file."""
        with self.db.session() as s:
            row = s.get(CollabFile, (key.project_id, key.path))
            if row is None:
                s.add(
                    CollabFile(
                        project_id=key.project_id, path=key.path, text_sha=text_sha
                    )
                )
            else:
                row.text_sha = text_sha

    def append(self, key: DocKey, updates: list[bytes], editors: Iterable[int]) -> None:
        """Store a batch of updates (and who made them) in one transaction."""
        with self.db.session() as s:
            if updates:
                s.execute(
                    insert(CollabUpdate),
                    [
                        {"project_id": key.project_id, "path": key.path, "data": u}
                        for u in updates
                    ],
                )
            for user_id in editors:
                if s.get(CollabEditor, (key.project_id, key.path, user_id)) is None:
                    s.add(
                        CollabEditor(
                            project_id=key.project_id, path=key.path, user_id=user_id
                        )
                    )

    def pending_count(self, key: DocKey) -> int:
        """How many updates sit after the snapshot (what compaction would fold)."""
        with self.db.session() as s:
            snap = s.get(CollabSnapshot, (key.project_id, key.path))
            after = snap.upto_id if snap is not None else 0
            return (
                s.scalar(
                    select(func.count())
                    .select_from(CollabUpdate)
                    .where(
                        CollabUpdate.project_id == key.project_id,
                        CollabUpdate.path == key.path,
                        CollabUpdate.id > after,
                    )
                )
                or 0
            )

    def compact(self, key: DocKey) -> int:
        """Fold every stored update into the snapshot; returns how many were folded."""
        with self.db.session() as s:
            snap = s.get(CollabSnapshot, (key.project_id, key.path))
            after = snap.upto_id if snap is not None else 0
            rows = s.execute(
                select(CollabUpdate.id, CollabUpdate.data)
                .where(
                    CollabUpdate.project_id == key.project_id,
                    CollabUpdate.path == key.path,
                    CollabUpdate.id > after,
                )
                .order_by(CollabUpdate.id)
            ).all()
            if not rows:
                return 0
            parts = ([snap.data] if snap is not None else []) + [r.data for r in rows]
            merged = merge_updates(*parts)
            upto = rows[-1].id
            if snap is None:
                s.add(
                    CollabSnapshot(
                        project_id=key.project_id,
                        path=key.path,
                        data=merged,
                        upto_id=upto,
                    )
                )
            else:
                snap.data = merged
                snap.upto_id = upto
            s.execute(
                delete(CollabUpdate).where(
                    CollabUpdate.project_id == key.project_id,
                    CollabUpdate.path == key.path,
                    CollabUpdate.id <= upto,
                )
            )
            log.debug("compacted %s: %d updates", key, len(rows))
            return len(rows)

    def drop(self, key: DocKey) -> None:
        """Forget a document's state (its file was deleted or moved away)."""
        with self.db.session() as s:
            for model in (CollabUpdate, CollabSnapshot, CollabEditor, CollabFile):
                s.execute(
                    delete(model).where(
                        model.project_id == key.project_id, model.path == key.path
                    )
                )

    def editors(self, project_id: int, paths: Iterable[str] | None = None) -> list[int]:
        """Users who edited the project (or these paths) since the last commit."""
        query = select(CollabEditor.user_id).where(
            CollabEditor.project_id == project_id
        )
        if paths is not None:
            query = query.where(CollabEditor.path.in_(list(paths)))
        with self.db.session() as s:
            return sorted(set(s.scalars(query).all()))

    def clear_editors(
        self, project_id: int, paths: Iterable[str] | None = None
    ) -> None:
        query = delete(CollabEditor).where(CollabEditor.project_id == project_id)
        if paths is not None:
            query = query.where(CollabEditor.path.in_(list(paths)))
        with self.db.session() as s:
            s.execute(query)
