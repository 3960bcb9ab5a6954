"""History routes: commit, log with cursor and path filter, show, diff, restore."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import git
import httpx

from tests.server.conftest import Account, SignUp


async def put(
    client: httpx.AsyncClient, a: Account, pid: int, path: str, text: str
) -> None:
    response = await client.put(
        f"/api/projects/{pid}/files/{path}", content=text, headers=a.headers
    )
    assert response.status_code in (200, 201), response.text


async def commit(
    client: httpx.AsyncClient, a: Account, pid: int, message: str, **extra: object
) -> httpx.Response:
    return await client.post(
        f"/api/projects/{pid}/commits",
        json={"message": message, **extra},
        headers=a.headers,
    )


async def test_commit_authored_by_the_user(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    await put(client, owner, project_id, "app.py", "print('hi')\n")
    response = await commit(client, owner, project_id, "Add app\n\nWith a body.")
    assert response.status_code == 201
    body = response.json()
    assert body["summary"] == "Add app"
    assert body["message"] == "Add app\n\nWith a body."
    assert body["author_name"] == "olivia"
    assert body["author_email"] == "olivia@users.devsync.local"
    repo = git.Repo(project_dir)
    try:
        assert repo.head.commit.hexsha == body["sha"]
        assert repo.head.commit.author.name == "olivia"
        assert not repo.is_dirty(untracked_files=True)
    finally:
        repo.close()


async def test_nothing_to_commit_is_409(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    response = await commit(client, owner, project_id, "nothing")
    assert response.status_code == 409
    assert "nothing to commit" in response.json()["detail"]
    log = await client.get(f"/api/projects/{project_id}/commits", headers=owner.headers)
    assert len(log.json()["items"]) == 1


async def test_commit_only_given_paths(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    await put(client, owner, project_id, "a.txt", "a\n")
    await put(client, owner, project_id, "dir/b.txt", "b\n")
    only_a = await commit(client, owner, project_id, "a only", paths=["a.txt"])
    assert only_a.status_code == 201
    shown = await client.get(
        f"/api/projects/{project_id}/commits/{only_a.json()['sha']}",
        headers=owner.headers,
    )
    assert [f["path"] for f in shown.json()["files"]] == ["a.txt"]
    nothing = await commit(client, owner, project_id, "again", paths=["a.txt"])
    assert nothing.status_code == 409
    missing = await commit(client, owner, project_id, "ghost", paths=["ghost.txt"])
    assert missing.status_code == 404
    folder = await commit(client, owner, project_id, "dir", paths=["dir"])
    assert folder.status_code == 201
    # Deleting a committed file and committing that path records the deletion.
    await client.delete(
        f"/api/projects/{project_id}/files/a.txt", headers=owner.headers
    )
    deleted = await commit(client, owner, project_id, "rm a", paths=["a.txt"])
    assert deleted.status_code == 201
    detail = await client.get(
        f"/api/projects/{project_id}/commits/{deleted.json()['sha']}",
        headers=owner.headers,
    )
    assert detail.json()["files"] == [
        {"path": "a.txt", "change": "deleted", "insertions": 0, "deletions": 1}
    ]


async def test_log_pagination_and_path_filter(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    shas = []
    for i in range(5):
        await put(client, owner, project_id, "counter.txt", f"{i}\n")
        if i % 2 == 0:
            await put(client, owner, project_id, "even.txt", f"{i}\n")
        shas.append((await commit(client, owner, project_id, f"c{i}")).json()["sha"])
    base = f"/api/projects/{project_id}/commits"
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(base, params=params, headers=owner.headers)).json()
        assert len(page["items"]) <= 2
        seen += [c["summary"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["c4", "c3", "c2", "c1", "c0", "Initial commit"]
    even = await client.get(base, params={"path": "even.txt"}, headers=owner.headers)
    assert [c["summary"] for c in even.json()["items"]] == ["c4", "c2", "c0"]
    assert even.json()["next_cursor"] is None
    for bad in ({"limit": 0}, {"limit": 501}, {"limit": "many"}):
        assert (
            await client.get(base, params=bad, headers=owner.headers)
        ).status_code == 422


async def test_show_and_diff(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    await put(client, owner, project_id, "a.py", "x = 1\ny = 2\n")
    await put(client, owner, project_id, "b.py", "b = 0\n")
    await commit(client, owner, project_id, "first")
    await put(client, owner, project_id, "a.py", "x = 1\ny = 3\nz = 4\n")
    await client.delete(f"/api/projects/{project_id}/files/b.py", headers=owner.headers)
    sha = (await commit(client, owner, project_id, "second")).json()["sha"]
    h = owner.headers
    shown = (
        await client.get(f"/api/projects/{project_id}/commits/{sha}", headers=h)
    ).json()
    assert shown["files"] == [
        {"path": "a.py", "change": "modified", "insertions": 2, "deletions": 1},
        {"path": "b.py", "change": "deleted", "insertions": 0, "deletions": 1},
    ]
    assert shown["stats"] == {"files": 2, "insertions": 2, "deletions": 2}
    diff = await client.get(f"/api/projects/{project_id}/commits/{sha}/diff", headers=h)
    assert diff.headers["content-type"] == "text/plain; charset=utf-8"
    assert "-y = 2\n+y = 3\n+z = 4\n" in diff.text
    assert "diff --git a/b.py b/b.py" in diff.text
    only_a = await client.get(
        f"/api/projects/{project_id}/commits/{sha}/diff",
        params={"path": "a.py"},
        headers=h,
    )
    assert "b.py" not in only_a.text
    assert "+z = 4" in only_a.text
    root = (await client.get(f"/api/projects/{project_id}/commits", headers=h)).json()
    first_sha = root["items"][-1]["sha"]
    root_diff = await client.get(
        f"/api/projects/{project_id}/commits/{first_sha}/diff", headers=h
    )
    assert "new file mode" in root_diff.text
    assert "+# demo" in root_diff.text


async def test_restore_writes_the_file_from_ref(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    await put(client, owner, project_id, "notes.md", "version 1\n")
    v1 = (await commit(client, owner, project_id, "v1")).json()["sha"]
    await put(client, owner, project_id, "notes.md", "version 2\n")
    await commit(client, owner, project_id, "v2")
    await client.delete(
        f"/api/projects/{project_id}/files/notes.md", headers=owner.headers
    )
    restored = await client.post(
        f"/api/projects/{project_id}/restore",
        json={"path": "notes.md", "ref": v1},
        headers=owner.headers,
    )
    assert restored.status_code == 200
    assert restored.json() == {
        "path": "notes.md",
        "sha": v1,
        "size": 10,
        "binary": False,
        "live": False,
    }
    assert (project_dir / "notes.md").read_text() == "version 1\n"
    missing = await client.post(
        f"/api/projects/{project_id}/restore",
        json={"path": "never.md", "ref": v1},
        headers=owner.headers,
    )
    assert missing.status_code == 404


async def test_author_is_whoever_commits(
    client: httpx.AsyncClient, owner: Account, project_id: int, make_user: SignUp
) -> None:
    eve = await make_user("eve")
    await client.post(
        f"/api/projects/{project_id}/members",
        json={"username": "eve", "role": "editor"},
        headers=owner.headers,
    )
    await put(client, eve, project_id, "eve.txt", "by eve\n")
    response = await commit(client, eve, project_id, "from eve")
    assert response.json()["author_name"] == "eve"
    assert response.json()["author_email"] == "eve@users.devsync.local"


async def test_unicode_and_odd_file_names(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    name = "naïve dir/ü b.py"
    encoded = "na%C3%AFve%20dir/%C3%BC%20b.py"
    response = await client.put(
        f"/api/projects/{project_id}/files/{encoded}",
        content="x = 1\n",
        headers=owner.headers,
    )
    assert response.json()["path"] == name
    sha = (await commit(client, owner, project_id, "unicode")).json()["sha"]
    shown = await client.get(
        f"/api/projects/{project_id}/commits/{sha}", headers=owner.headers
    )
    assert [f["path"] for f in shown.json()["files"]] == [name]
    diff = await client.get(
        f"/api/projects/{project_id}/commits/{sha}/diff",
        params={"path": name},
        headers=owner.headers,
    )
    assert f"+++ b/{name}" in diff.text
    log = await client.get(
        f"/api/projects/{project_id}/commits",
        params={"path": name},
        headers=owner.headers,
    )
    assert [c["sha"] for c in log.json()["items"]] == [sha]


def fsck(root: Path) -> str:
    """Problems `git fsck` finds (empty when the repository is sound)."""
    done = subprocess.run(
        ["git", "fsck", "--strict", "--no-dangling"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if done.returncode == 0 else done.stderr or "fsck failed"


async def test_concurrent_api_commits(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    async def write_and_commit(n: int) -> int:
        await put(client, owner, project_id, f"c{n}.txt", f"{n}\n")
        return (await commit(client, owner, project_id, f"c{n}")).status_code

    statuses = await asyncio.gather(*(write_and_commit(n) for n in range(8)))
    assert set(statuses) <= {201, 409}
    assert statuses.count(201) >= 1
    assert fsck(project_dir) == ""
    log = await client.get(
        f"/api/projects/{project_id}/commits",
        params={"limit": 50},
        headers=owner.headers,
    )
    assert len(log.json()["items"]) == statuses.count(201) + 1
    tree = await client.get(
        f"/api/projects/{project_id}/tree",
        params={"ref": "HEAD"},
        headers=owner.headers,
    )
    committed = {e["path"] for e in tree.json()["entries"]}
    assert {f"c{n}.txt" for n in range(8)} <= committed
