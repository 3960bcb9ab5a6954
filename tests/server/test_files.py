"""File routes on the working tree and at a ref: tree, read, write, delete, move."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.server.conftest import Account


def url(project_id: int, path: str = "") -> str:
    return f"/api/projects/{project_id}/files/{path}"


async def test_write_read_replace(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    h = owner.headers
    text = "def greet():\n    return 'héllo ✓'\n"
    created = await client.put(url(project_id, "pkg/greet.py"), content=text, headers=h)
    assert created.status_code == 201
    assert created.json() == {
        "path": "pkg/greet.py",
        "size": len(text.encode()),
        "created": True,
        "live": False,
    }
    read = await client.get(url(project_id, "pkg/greet.py"), headers=h)
    assert read.status_code == 200
    assert read.headers["content-type"] == "text/plain; charset=utf-8"
    assert read.text == text
    replaced = await client.put(
        url(project_id, "pkg/greet.py"), content="x = 1\n", headers=h
    )
    assert replaced.status_code == 200
    assert replaced.json()["created"] is False
    assert (project_dir / "pkg" / "greet.py").read_text() == "x = 1\n"
    # Line endings and an empty file survive untouched.
    await client.put(url(project_id, "crlf.txt"), content=b"a\r\nb\r\n", headers=h)
    assert (project_dir / "crlf.txt").read_bytes() == b"a\r\nb\r\n"
    empty = await client.put(url(project_id, "empty.txt"), content=b"", headers=h)
    assert empty.status_code == 201
    assert (await client.get(url(project_id, "empty.txt"), headers=h)).text == ""


async def test_tree_lists_working_tree_without_git(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    h = owner.headers
    await client.put(url(project_id, "a/b/c.py"), content="c = 3\n", headers=h)
    tree = await client.get(f"/api/projects/{project_id}/tree", headers=h)
    assert tree.status_code == 200
    entries = tree.json()["entries"]
    assert tree.json()["ref"] is None
    assert [(e["path"], e["type"]) for e in entries] == [
        ("README.md", "file"),
        ("a", "dir"),
        ("a/b", "dir"),
        ("a/b/c.py", "file"),
    ]
    assert entries[-1]["size"] == 6
    assert not any(e["path"].startswith(".git") for e in entries)


async def test_read_at_ref_and_tree_at_ref(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    h = owner.headers
    await client.put(url(project_id, "v.txt"), content="one\n", headers=h)
    first = await client.post(
        f"/api/projects/{project_id}/commits", json={"message": "v1"}, headers=h
    )
    await client.put(url(project_id, "v.txt"), content="two\n", headers=h)
    sha = first.json()["sha"]
    at_ref = await client.get(url(project_id, "v.txt"), params={"ref": sha}, headers=h)
    assert at_ref.status_code == 200
    assert at_ref.text == "one\n"
    short = await client.get(
        url(project_id, "v.txt"), params={"ref": sha[:8]}, headers=h
    )
    assert short.text == "one\n"
    assert (await client.get(url(project_id, "v.txt"), headers=h)).text == "two\n"
    head = await client.get(url(project_id, "v.txt"), params={"ref": "main"}, headers=h)
    assert head.text == "one\n"
    older = await client.get(
        url(project_id, "v.txt"), params={"ref": "HEAD~1"}, headers=h
    )
    assert older.status_code == 404  # v.txt did not exist in the first commit
    tree = await client.get(
        f"/api/projects/{project_id}/tree", params={"ref": "HEAD~1"}, headers=h
    )
    assert [e["path"] for e in tree.json()["entries"]] == ["README.md"]


async def test_missing_files_and_directories(
    client: httpx.AsyncClient, owner: Account, project_id: int
) -> None:
    h = owner.headers
    await client.put(url(project_id, "dir/f.txt"), content="f\n", headers=h)
    assert (await client.get(url(project_id, "nope.txt"), headers=h)).status_code == 404
    assert (await client.get(url(project_id, "dir"), headers=h)).status_code == 400
    assert (
        await client.delete(url(project_id, "nope.txt"), headers=h)
    ).status_code == 404
    assert (await client.delete(url(project_id, "dir"), headers=h)).status_code == 400
    onto_dir = await client.put(url(project_id, "dir"), content="x", headers=h)
    assert onto_dir.status_code == 409
    under_file = await client.put(
        url(project_id, "dir/f.txt/g.txt"), content="x", headers=h
    )
    assert under_file.status_code == 409
    assert (await client.get(url(project_id, "dir/f.txt"), headers=h)).text == "f\n"


async def test_binary_files_are_reported_not_crashed_on(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    h = owner.headers
    (project_dir / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    read = await client.get(url(project_id, "logo.png"), headers=h)
    assert read.status_code == 415
    assert "binary" in read.json()["detail"]
    commit = await client.post(
        f"/api/projects/{project_id}/commits", json={"message": "logo"}, headers=h
    )
    assert commit.status_code == 201
    at_ref = await client.get(
        url(project_id, "logo.png"), params={"ref": "HEAD"}, headers=h
    )
    assert at_ref.status_code == 415
    diff = await client.get(f"/api/projects/{project_id}/commits/HEAD/diff", headers=h)
    assert diff.status_code == 200
    assert "Binary files" in diff.text
    shown = await client.get(f"/api/projects/{project_id}/commits/HEAD", headers=h)
    assert shown.json()["files"][0]["path"] == "logo.png"
    # A body that is not UTF-8 is refused and nothing is written.
    bad = await client.put(url(project_id, "x.txt"), content=b"\xff\xfe", headers=h)
    assert bad.status_code == 415
    assert not (project_dir / "x.txt").exists()


async def test_delete_prunes_empty_directories(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    h = owner.headers
    await client.put(url(project_id, "deep/er/x.py"), content="x\n", headers=h)
    response = await client.delete(url(project_id, "deep/er/x.py"), headers=h)
    assert response.status_code == 204
    assert not (project_dir / "deep").exists()


async def test_move_files_and_directories(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    h = owner.headers
    await client.put(url(project_id, "src/a.py"), content="a\n", headers=h)
    await client.put(url(project_id, "src/b.py"), content="b\n", headers=h)
    moved = await client.post(
        url(project_id, "src/a.py:move"), json={"to": "lib/a2.py"}, headers=h
    )
    assert moved.status_code == 200
    assert moved.json() == {"path": "src/a.py", "to": "lib/a2.py"}
    assert (project_dir / "lib" / "a2.py").read_text() == "a\n"
    assert not (project_dir / "src" / "a.py").exists()
    folder = await client.post(
        url(project_id, "src:move"), json={"to": "pkg"}, headers=h
    )
    assert folder.status_code == 200
    assert (project_dir / "pkg" / "b.py").read_text() == "b\n"
    assert not (project_dir / "src").exists()
    taken = await client.post(
        url(project_id, "pkg/b.py:move"), json={"to": "lib/a2.py"}, headers=h
    )
    assert taken.status_code == 409
    into_self = await client.post(
        url(project_id, "pkg:move"), json={"to": "pkg/sub"}, headers=h
    )
    assert into_self.status_code == 400
    missing = await client.post(
        url(project_id, "zzz:move"), json={"to": "y"}, headers=h
    )
    assert missing.status_code == 404
    assert (project_dir / "pkg" / "b.py").read_text() == "b\n"
    assert (project_dir / "lib" / "a2.py").read_text() == "a\n"


async def test_file_size_limit_is_413(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    h = owner.headers
    limit = 64 * 1024  # max_file_bytes in the test settings
    too_big = await client.put(
        url(project_id, "big.txt"), content=b"x" * (limit + 1), headers=h
    )
    assert too_big.status_code == 413
    assert not (project_dir / "big.txt").exists()
    (project_dir / "huge.txt").write_bytes(b"y" * (limit + 1))
    assert (await client.get(url(project_id, "huge.txt"), headers=h)).status_code == 413
    exact = await client.put(url(project_id, "ok.txt"), content=b"x" * limit, headers=h)
    assert exact.status_code == 201
