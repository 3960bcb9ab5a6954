"""Bad input gets the documented 4xx and leaves data unchanged: path traversal,
symlinks out, `.git`, NUL, oversized bodies, malformed JSON, bad refs."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from tests.server.conftest import Account

# Encoded so that the client does not normalise them away (browsers and httpx
# resolve a literal `..` before sending).
TRAVERSALS = [
    "%2e%2e/outside.txt",
    "%2E%2E/%2E%2E/etc/passwd",
    "a/%2e%2e/%2e%2e/outside.txt",
    "..%2Foutside.txt",
    "%2e%2e%2f%2e%2e%2foutside.txt",
    "/etc/passwd",
    "%2Fetc%2Fpasswd",
    "a%5C..%5C..%5Coutside.txt",
    ".git/config",
    ".git/HEAD",
    ".GIT/config",
    "sub/.git/config",
    "./.git/hooks/pre-commit",
    "a%00b.txt",
    "ok.txt%00.png",
    "x" * 300,
]


def snapshot(root: Path) -> dict[str, str]:
    """Every file under the project (including .git), hashed."""
    state: dict[str, str] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            full = Path(dirpath) / name
            if full.is_symlink():
                state[str(full.relative_to(root))] = "-> " + os.readlink(full)
            else:
                state[str(full.relative_to(root))] = hashlib.sha256(
                    full.read_bytes()
                ).hexdigest()
    return state


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.txt").write_text("top secret\n")
    return secret


async def test_path_traversal_is_400_everywhere(
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    project_dir: Path,
    outside: Path,
) -> None:
    h = owner.headers
    base = f"/api/projects/{project_id}/files"
    before = snapshot(project_dir)
    outside_before = snapshot(outside)
    for path in TRAVERSALS:
        responses = [
            await client.get(f"{base}/{path}", headers=h),
            await client.get(f"{base}/{path}", params={"ref": "HEAD"}, headers=h),
            await client.put(f"{base}/{path}", content="pwned\n", headers=h),
            await client.delete(f"{base}/{path}", headers=h),
            await client.post(
                f"{base}/{path}:move", json={"to": "moved.txt"}, headers=h
            ),
            await client.post(
                f"{base}/README.md:move", json={"to": unquote(path)}, headers=h
            ),
        ]
        for response in responses:
            assert response.status_code == 400, (path, response.request.method)
            assert "invalid path" in response.json()["detail"]
    for body in (
        {"path": ".git/config", "ref": "HEAD"},
        {"path": "../outside.txt", "ref": "HEAD"},
        {"path": "a\x00b", "ref": "HEAD"},
    ):
        restore = await client.post(
            f"/api/projects/{project_id}/restore", json=body, headers=h
        )
        assert restore.status_code == 400
    commit = await client.post(
        f"/api/projects/{project_id}/commits",
        json={"message": "x", "paths": ["../../etc"]},
        headers=h,
    )
    assert commit.status_code == 400
    for bad in ("../x", ".git/config"):
        log = await client.get(
            f"/api/projects/{project_id}/commits", params={"path": bad}, headers=h
        )
        assert log.status_code == 400
    assert snapshot(project_dir) == before
    assert snapshot(outside) == outside_before


async def test_symlinks_out_of_the_project_or_into_git_are_400(
    client: httpx.AsyncClient,
    owner: Account,
    project_id: int,
    project_dir: Path,
    outside: Path,
) -> None:
    (project_dir / "escape").symlink_to(outside)
    (project_dir / "escape.txt").symlink_to(outside / "secret.txt")
    (project_dir / "gitlink").symlink_to(project_dir / ".git")
    (project_dir / "loop").symlink_to(project_dir / "loop")
    h = owner.headers
    base = f"/api/projects/{project_id}/files"
    before = snapshot(project_dir)
    outside_before = snapshot(outside)
    for path in ("escape/secret.txt", "escape.txt", "gitlink/config", "loop/x"):
        assert (await client.get(f"{base}/{path}", headers=h)).status_code == 400, path
        put = await client.put(f"{base}/{path}", content="pwned", headers=h)
        assert put.status_code == 400, path
        moved = await client.post(
            f"{base}/README.md:move", json={"to": path}, headers=h
        )
        assert moved.status_code == 400, path
    for path in ("escape/secret.txt", "gitlink/config"):
        assert (await client.delete(f"{base}/{path}", headers=h)).status_code == 400
    tree = (await client.get(f"/api/projects/{project_id}/tree", headers=h)).json()
    assert [e["path"] for e in tree["entries"]] == ["README.md"]
    assert snapshot(project_dir) == before
    assert snapshot(outside) == outside_before
    assert (outside / "secret.txt").read_text() == "top secret\n"


async def test_oversized_body_is_413_and_writes_nothing(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    before = snapshot(project_dir)
    body = b"x" * (128 * 1024 + 1)  # max_body_bytes in the test settings
    response = await client.put(
        f"/api/projects/{project_id}/files/big.txt", content=body, headers=owner.headers
    )
    assert response.status_code == 413

    async def chunks() -> AsyncIterator[
        bytes
    ]:  # no Content-Length: the limit applies while streaming
        for _ in range(40):
            yield b"y" * 4096

    streamed = await client.put(
        f"/api/projects/{project_id}/files/big.txt",
        content=chunks(),
        headers=owner.headers,
    )
    assert streamed.status_code == 413
    huge_json = await client.post(
        f"/api/projects/{project_id}/commits",
        content=b'{"message": "' + b"m" * (200 * 1024) + b'"}',
        headers=owner.headers | {"content-type": "application/json"},
    )
    assert huge_json.status_code == 413
    assert snapshot(project_dir) == before


async def test_malformed_json_is_422(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    before = snapshot(project_dir)
    h = owner.headers | {"content-type": "application/json"}
    cases = [
        ("/api/auth/register", b'{"username": "x", '),
        ("/api/auth/login", b"not json"),
        ("/api/projects", b"[1, 2"),
        (f"/api/projects/{project_id}/commits", b'{"message": }'),
        (f"/api/projects/{project_id}/commits", b'{"message": ""}'),
        (f"/api/projects/{project_id}/commits", b'{"message": "m", "paths": "a"}'),
        (f"/api/projects/{project_id}/restore", b'{"path": "README.md"}'),
        (f"/api/projects/{project_id}/files/README.md:move", b'{"too": "x"}'),
        (f"/api/projects/{project_id}/members", b'{"username": 5}'),
    ]
    for url, body in cases:
        response = await client.post(url, content=body, headers=h)
        assert response.status_code == 422, (url, body, response.text)
        assert "detail" in response.json()
    assert snapshot(project_dir) == before
    projects = await client.get("/api/projects", headers=owner.headers)
    assert len(projects.json()) == 1


BAD_REFS = [
    "--upload-pack=x",
    "--output=/tmp/pwned",
    "-p",
    "HEAD;rm -rf /",
    "HEAD;rm",
    "HEAD..main",
    "HEAD@{1}",
    "HEAD:README.md",
    "main^{tree}",
    "$(id)",
    "a b",
    "refs/heads/../x",
    "x" * 300,
]


async def test_bad_refs_are_400_and_unknown_refs_404(
    client: httpx.AsyncClient, owner: Account, project_id: int, project_dir: Path
) -> None:
    h = owner.headers
    pid = project_id
    before = snapshot(project_dir)
    for ref in BAD_REFS:
        responses = [
            await client.get(
                f"/api/projects/{pid}/files/README.md", params={"ref": ref}, headers=h
            ),
            await client.get(
                f"/api/projects/{pid}/tree", params={"ref": ref}, headers=h
            ),
            await client.post(
                f"/api/projects/{pid}/restore",
                json={"path": "README.md", "ref": ref},
                headers=h,
            ),
            await client.get(
                f"/api/projects/{pid}/commits", params={"cursor": ref}, headers=h
            ),
        ]
        if "/" not in ref and "?" not in ref:
            responses.append(
                await client.get(f"/api/projects/{pid}/commits/{ref}", headers=h)
            )
            responses.append(
                await client.get(f"/api/projects/{pid}/commits/{ref}/diff", headers=h)
            )
        for response in responses:
            assert response.status_code == 400, (ref, str(response.url), response.text)
    unknown = "0123456789abcdef0123456789abcdef01234567"
    for ref in (unknown, "0" * 40, "deadbeef", "nosuchbranch", "HEAD~50", "feature/x"):
        responses = [
            await client.get(
                f"/api/projects/{pid}/files/README.md", params={"ref": ref}, headers=h
            ),
            await client.get(
                f"/api/projects/{pid}/tree", params={"ref": ref}, headers=h
            ),
            await client.post(
                f"/api/projects/{pid}/restore",
                json={"path": "README.md", "ref": ref},
                headers=h,
            ),
        ]
        if "/" not in ref:
            responses.append(
                await client.get(f"/api/projects/{pid}/commits/{ref}", headers=h)
            )
            responses.append(
                await client.get(f"/api/projects/{pid}/commits/{ref}/diff", headers=h)
            )
        for response in responses:
            assert response.status_code == 404, (ref, str(response.url), response.text)
    cursor = await client.get(
        f"/api/projects/{pid}/commits", params={"cursor": unknown}, headers=h
    )
    assert cursor.status_code == 404
    # A tree or blob sha is not a commit.
    tree = (await client.get(f"/api/projects/{pid}/commits", headers=h)).json()
    assert tree["items"]
    assert snapshot(project_dir) == before


async def test_unknown_project_is_404(
    client: httpx.AsyncClient, owner: Account
) -> None:
    h = owner.headers
    for method, url in (
        ("GET", "/api/projects/999"),
        ("GET", "/api/projects/999/tree"),
        ("GET", "/api/projects/999/files/README.md"),
        ("PUT", "/api/projects/999/files/README.md"),
        ("GET", "/api/projects/999/commits"),
    ):
        assert (await client.request(method, url, headers=h)).status_code == 404
    assert (await client.get("/api/projects/abc", headers=h)).status_code == 422
