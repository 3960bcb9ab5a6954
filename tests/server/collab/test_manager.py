"""Room lifecycle and storage against a fresh database and project per test."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi import FastAPI
from pycrdt import Doc, Text

from server.collab.manager import RoomManager, sha
from server.collab.store import DocKey
from server.core.errors import NotFound


@pytest.fixture
async def rooms(app: FastAPI):  # type: ignore[no-untyped-def]
    manager: RoomManager = app.state.collab
    yield manager
    await manager.close()


def stored_text(manager: RoomManager, key: DocKey) -> str:
    loaded = manager.store.load(key)
    doc: Doc[Text] = Doc()
    for update in ([loaded.snapshot] if loaded.snapshot else []) + loaded.updates:
        doc.apply_update(update)
    return str(doc.get("content", type=Text))


def edit_update(room_doc: Doc[Text], index: int, value: str) -> bytes:
    clone: Doc[Text] = Doc()
    clone.apply_update(room_doc.get_update())
    before = clone.get_state()
    clone.get("content", type=Text).insert(index, value)
    return clone.get_update(before)


async def test_seeds_from_file_stores_and_unloads_after_last_leaves(
    rooms, project_id: int, project_dir: Path
):
    key = DocKey(project_id, "README.md")
    original = (project_dir / "README.md").read_text()
    room = await rooms.acquire(key)
    assert str(room.text) == original
    assert stored_text(rooms, key) == original
    room.submit(edit_update(room.doc, 0, "<!-- hi -->\n"), None)
    await room.drain()
    rooms.release(key, room)
    await asyncio.sleep(rooms.config.unload_delay_seconds + 0.3)
    assert not rooms.is_open(key)
    assert (project_dir / "README.md").read_text() == "<!-- hi -->\n" + original
    assert stored_text(rooms, key) == "<!-- hi -->\n" + original
    again = await rooms.acquire(key)
    assert str(again.text) == "<!-- hi -->\n" + original
    rooms.release(key, again)


async def test_file_changed_outside_is_adopted_as_an_edit(
    rooms, project_id: int, project_dir: Path
):
    key = DocKey(project_id, "README.md")
    room = await rooms.acquire(key)
    rooms.release(key, room)
    await asyncio.sleep(rooms.config.unload_delay_seconds + 0.3)
    (project_dir / "README.md").write_text("changed on disk\r\n")
    room = await rooms.acquire(key)
    assert str(room.text) == "changed on disk\r\n"
    assert stored_text(rooms, key) == "changed on disk\r\n"
    rooms.release(key, room)


async def test_store_wins_when_the_server_stopped_before_the_idle_write(
    rooms, project_id: int, project_dir: Path
):
    key = DocKey(project_id, "README.md")
    original = (project_dir / "README.md").read_text()
    room = await rooms.acquire(key)
    update = edit_update(room.doc, 0, "typed just before the crash ")
    rooms.release(key, room)
    await asyncio.sleep(rooms.config.unload_delay_seconds + 0.3)
    rooms.store.append(key, [update], [])  # stored, file not yet written
    assert rooms.store.load(key).file_sha == sha(original)
    room = await rooms.acquire(key)
    assert str(room.text).startswith("typed just before the crash ")
    assert (project_dir / "README.md").read_text() == str(room.text)
    rooms.release(key, room)


async def test_missing_file_is_not_found(rooms, project_id: int):
    with pytest.raises(NotFound):
        await rooms.acquire(DocKey(project_id, "nope.txt"))


async def test_apply_text_is_one_update_and_reaches_the_file(
    rooms, owner, project_id: int, project_dir: Path
):
    key = DocKey(project_id, "README.md")
    room = await rooms.acquire(key)
    before = rooms.store.load(key)
    await rooms.apply_text(key, "new 😀 text\n", owner.id)
    after = rooms.store.load(key)
    assert len(after.updates) == len(before.updates) + 1
    assert str(room.text) == "new 😀 text\n"
    assert (project_dir / "README.md").read_text() == "new 😀 text\n"
    rooms.release(key, room)


async def test_compaction_editors_and_drop(rooms, app: FastAPI, owner, project_id: int):
    key = DocKey(project_id, "README.md")
    store = rooms.store
    doc: Doc[Text] = Doc()
    text = doc.get("content", type=Text)
    ids: list[int] = []
    for i in range(30):
        before = doc.get_state()
        text.insert(len(text), f"{i},")
        ids += store.append(key, [doc.get_update(before)], [owner.id])
    assert len(ids) == 30
    assert store.compact(key, doc.get_update(), ids[:20]) == 20
    assert store.pending_count(key) == 10
    assert stored_text(rooms, key) == str(text)
    assert store.compact(key, doc.get_update(), ids[20:]) == 10
    assert store.pending_count(key) == 0
    assert stored_text(rooms, key) == str(text)
    assert store.editors(project_id) == [owner.id]
    assert store.editors(project_id, ["other.txt"]) == []
    store.clear_editors(project_id)
    assert store.editors(project_id) == []
    store.append(key, [], [owner.id])
    assert store.editors(project_id) == [owner.id]
    store.drop(key)
    assert store.load(key).empty


async def test_unloading_folds_the_rows_into_a_snapshot(
    rooms, project_id: int, project_dir: Path
):
    key = DocKey(project_id, "README.md")
    room = await rooms.acquire(key)
    for i in range(5):
        room.submit(edit_update(room.doc, 0, f"{i}"), None)
    await room.drain()
    expected = str(room.text)
    rooms.release(key, room)
    await asyncio.sleep(rooms.config.unload_delay_seconds + 0.3)
    loaded = rooms.store.load(key)
    assert loaded.updates == []
    assert loaded.snapshot is not None
    assert stored_text(rooms, key) == expected
