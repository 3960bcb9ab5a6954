"""The seam to live collaboration: routes call `app.state.live_documents`
(flush before commit, trailers, apply_text on writes and restores, removed,
moved). A recording implementation stands in for collaboration."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import httpx
from fastapi import FastAPI

from server.files.live import LiveDocuments, NoLiveDocuments
from tests.server.conftest import Account


class Recorder:
    def __init__(self, root: Path) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.root = root

    async def flush(self, project_id: int, paths: Sequence[str] | None = None) -> None:
        self.calls.append(("flush", project_id, paths))
        # What collaboration does: write the live text before the commit.
        (self.root / "live.txt").write_text("typed live\n")

    async def commit_trailers(self, project_id: int, author_username: str) -> list[str]:
        self.calls.append(("trailers", project_id, author_username))
        return ["Co-authored-by: Bob <bob@users.devsync.local>"]

    async def committed(self, project_id: int, sha: str) -> None:
        self.calls.append(("committed", project_id, sha))

    async def apply_text(self, project_id: int, path: str, text: str) -> bool:
        self.calls.append(("apply_text", project_id, path, text))
        return True

    async def removed(self, project_id: int, path: str) -> None:
        self.calls.append(("removed", project_id, path))

    async def moved(self, project_id: int, path: str, to: str) -> None:
        self.calls.append(("moved", project_id, path, to))


async def test_the_default_is_a_no_op() -> None:
    live = NoLiveDocuments()
    assert isinstance(live, LiveDocuments)
    await live.flush(1)
    assert await live.commit_trailers(1, "u") == []
    assert await live.apply_text(1, "a.txt", "x") is False


async def test_routes_call_the_hooks(
    app: FastAPI,
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    project_dir: Path,
) -> None:
    live = Recorder(project_dir)
    assert isinstance(live, LiveDocuments)
    app.state.live_documents = live
    h = owner.headers
    base = f"/api/projects/{project_id}"
    put = await client.put(f"{base}/files/%2E/a.txt", content="A\n", headers=h)
    assert put.json()["live"] is True
    commit = await client.post(f"{base}/commits", json={"message": "m"}, headers=h)
    assert commit.status_code == 201
    sha = commit.json()["sha"]
    assert commit.json()["message"].endswith(
        "\n\nCo-authored-by: Bob <bob@users.devsync.local>"
    )
    shown = await client.get(f"{base}/commits/{sha}", headers=h)
    assert {f["path"] for f in shown.json()["files"]} == {"a.txt", "live.txt"}
    await client.post(f"{base}/files/a.txt:move", json={"to": "b.txt"}, headers=h)
    await client.delete(f"{base}/files/b.txt", headers=h)
    restored = await client.post(
        f"{base}/restore", json={"path": "a.txt", "ref": sha}, headers=h
    )
    assert restored.json()["live"] is True
    assert live.calls == [
        ("apply_text", project_id, "a.txt", "A\n"),
        ("flush", project_id, None),
        ("trailers", project_id, "olivia"),
        ("committed", project_id, sha),
        ("moved", project_id, "a.txt", "b.txt"),
        ("removed", project_id, "b.txt"),
        ("apply_text", project_id, "a.txt", "A\n"),
    ]
