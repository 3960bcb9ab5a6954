"""Durable Yjs state: append batches of updates, load, compact into snapshots.

Every method is blocking and meant to run on the collaboration writer thread
(`server.collab.writer`), never on the event loop.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pycrdt import merge_updates
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from server.auth.models import utcnow
from server.collab.models import (
    CollabEditor,
    CollabFile,
    CollabSnapshot,
    CollabUpdate,
)
from server.core.db import Database

log = logging.getLogger(__name__)

_SQLITE_INSERT_UPDATE = (
    f"INSERT INTO {CollabUpdate.__tablename__} (project_id, path, data)"
    " VALUES (?, ?, ?)"
)


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
    row_ids: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.snapshot is None and not self.updates


class CollabStore:
    """Yjs persistence on the app's database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn: Connection | None = None
        self._recorded: set[tuple[int, str, int]] = set()
        self._insert_update = insert(CollabUpdate).returning(
            CollabUpdate.id, sort_by_parameter_order=True
        )

    def load(self, key: DocKey) -> Loaded:
        with self.db.session() as s:
            snap = s.get(CollabSnapshot, (key.project_id, key.path))
            rows = s.execute(
                select(CollabUpdate.id, CollabUpdate.data)
                .where(
                    CollabUpdate.project_id == key.project_id,
                    CollabUpdate.path == key.path,
                )
                .order_by(CollabUpdate.id)
            ).all()
            written = s.get(CollabFile, (key.project_id, key.path))
            return Loaded(
                snap.data if snap is not None else None,
                [r.data for r in rows],
                written.text_sha if written is not None else None,
                [r.id for r in rows],
            )

    def wrote_file(self, key: DocKey, text_sha: str) -> None:
        """Remember the hash of what was last written to the file."""
        where = (CollabFile.project_id == key.project_id, CollabFile.path == key.path)
        with self.db.session() as s:
            done = s.execute(update(CollabFile).where(*where).values(text_sha=text_sha))
            if getattr(done, "rowcount", 0) == 0:
                try:
                    with s.begin_nested():
                        s.add(
                            CollabFile(
                                project_id=key.project_id,
                                path=key.path,
                                text_sha=text_sha,
                            )
                        )
                except IntegrityError:  # another instance wrote it first
                    s.execute(
                        update(CollabFile).where(*where).values(text_sha=text_sha)
                    )

    def adopt_file(
        self, key: DocKey, update_: bytes | None, seen_sha: str | None, text_sha: str
    ) -> list[int] | None:
        """Store the edit that makes the document equal its file, once.

        Succeeds only if the recorded file hash is still `seen_sha`, so when
        several instances open the same document only one seeds or adopts it;
        the others reload what that one stored. Returns the new row's id (if
        any) on success, None when another instance got there first.
        """
        where = (CollabFile.project_id == key.project_id, CollabFile.path == key.path)
        with self.db.session() as s:
            try:
                with s.begin_nested():
                    if seen_sha is None:
                        s.add(
                            CollabFile(
                                project_id=key.project_id,
                                path=key.path,
                                text_sha=text_sha,
                            )
                        )
                        s.flush()
                    else:
                        done = s.execute(
                            update(CollabFile)
                            .where(*where, CollabFile.text_sha == seen_sha)
                            .values(text_sha=text_sha)
                        )
                        if getattr(done, "rowcount", 0) != 1:
                            return None
            except IntegrityError:
                return None
            if update_ is None:
                return []
            row = CollabUpdate(project_id=key.project_id, path=key.path, data=update_)
            s.add(row)
            s.flush()
            return [row.id]

    def append(
        self, key: DocKey, updates: list[bytes], editors: Iterable[int]
    ) -> list[int]:
        """Store a batch of updates (and who made them) in one transaction.

        The hot path: one long-lived connection owned by the writer thread
        (no pool checkout per batch), Core inserts, and editors written only
        the first time they are seen since the last commit.
        """
        new_editors = [
            (key.project_id, key.path, uid)
            for uid in editors
            if (key.project_id, key.path, uid) not in self._recorded
        ]
        conn = self._connection()
        if not new_editors and conn.dialect.name == "sqlite":
            return self._append_sqlite(conn, key, updates)
        try:
            with conn.begin():
                ids: Sequence[int] = []
                if updates and conn.dialect.name == "sqlite":
                    ids = [
                        conn.exec_driver_sql(
                            _SQLITE_INSERT_UPDATE, (key.project_id, key.path, u)
                        ).lastrowid
                        for u in updates
                    ]
                elif updates:
                    ids = conn.scalars(
                        self._insert_update,
                        [
                            {"project_id": key.project_id, "path": key.path, "data": u}
                            for u in updates
                        ],
                    ).all()
                for pid, path, uid in new_editors:
                    found = conn.scalar(
                        select(CollabEditor.user_id).where(
                            CollabEditor.project_id == pid,
                            CollabEditor.path == path,
                            CollabEditor.user_id == uid,
                        )
                    )
                    if found is None:
                        conn.execute(
                            insert(CollabEditor).values(
                                project_id=pid, path=path, user_id=uid, since=utcnow()
                            )
                        )
        except Exception:
            self._drop_connection()
            raise
        self._recorded.update(new_editors)
        return list(ids)

    def _append_sqlite(
        self, conn: Connection, key: DocKey, updates: list[bytes]
    ) -> list[int]:
        """The common case on SQLite (no new editor to record): the rows go
        straight through the driver's connection, one transaction, about a
        third of the CPU of the same through SQLAlchemy. This connection is
        the writer thread's own and is not in a SQLAlchemy transaction."""
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        params = (key.project_id, key.path)
        try:
            ids = [
                raw.execute(_SQLITE_INSERT_UPDATE, (*params, u)).lastrowid or 0
                for u in updates
            ]
            raw.commit()
        except Exception:
            with contextlib.suppress(Exception):
                raw.rollback()
            self._drop_connection()
            raise
        return ids

    def _connection(self) -> Connection:
        if self._conn is None or self._conn.closed:
            self._conn = self.db.engine.connect()
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        self._drop_connection()

    def pending_count(self, key: DocKey) -> int:
        """How many updates sit after the snapshot (what compaction would fold)."""
        with self.db.session() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(CollabUpdate)
                    .where(
                        CollabUpdate.project_id == key.project_id,
                        CollabUpdate.path == key.path,
                    )
                )
                or 0
            )

    def compact(self, key: DocKey, state: bytes, row_ids: list[int]) -> int:
        """Fold `row_ids` into the snapshot, given `state`, a document holding them.

        `state` is the live room's document (already integrated, so encoding
        it is cheap and compact); it is merged with the stored snapshot, which
        may hold what other instances folded in. Exactly `row_ids` are deleted,
        and the snapshot is replaced only if no other instance replaced it
        meanwhile (its `upto_id` is unchanged). Returns how many rows went.
        """
        if not row_ids:
            return 0
        with self.db.session() as s:
            snap = s.get(CollabSnapshot, (key.project_id, key.path))
            merged = merge_updates(snap.data, state) if snap is not None else state
            upto = max(row_ids)
            if snap is None:
                s.add(
                    CollabSnapshot(
                        project_id=key.project_id,
                        path=key.path,
                        data=merged,
                        upto_id=upto,
                    )
                )
                try:
                    s.flush()
                except IntegrityError:
                    s.rollback()
                    return 0
            else:
                replaced = s.execute(
                    update(CollabSnapshot)
                    .where(
                        CollabSnapshot.project_id == key.project_id,
                        CollabSnapshot.path == key.path,
                        CollabSnapshot.upto_id == snap.upto_id,
                    )
                    .values(data=merged, upto_id=max(upto, snap.upto_id + 1))
                    .execution_options(synchronize_session=False)
                )
                if getattr(replaced, "rowcount", 0) != 1:
                    s.rollback()
                    return 0
            for start in range(0, len(row_ids), 500):
                chunk = row_ids[start : start + 500]
                s.execute(delete(CollabUpdate).where(CollabUpdate.id.in_(chunk)))
            log.debug("compacted %s: %d updates", key, len(row_ids))
            return len(row_ids)

    def drop(self, key: DocKey) -> None:
        """Forget a document's state (its file was deleted or moved away)."""
        with self.db.session() as s:
            for model in (CollabUpdate, CollabSnapshot, CollabEditor, CollabFile):
                s.execute(
                    delete(model).where(
                        model.project_id == key.project_id, model.path == key.path
                    )
                )
        self._recorded = {
            r for r in self._recorded if r[:2] != (key.project_id, key.path)
        }

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
        chosen = set(paths) if paths is not None else None
        query = delete(CollabEditor).where(CollabEditor.project_id == project_id)
        if chosen is not None:
            query = query.where(CollabEditor.path.in_(sorted(chosen)))
        with self.db.session() as s:
            s.execute(query)
        self._recorded = {
            r
            for r in self._recorded
            if r[0] != project_id or (chosen is not None and r[1] not in chosen)
        }
