"""HistoryService and FilesService without HTTP: ref validation, trailers,
and concurrent commits to one repository."""

from __future__ import annotations

import contextlib
import subprocess
import threading
from pathlib import Path

import git
import pytest

from server.core.errors import BadRequest, Conflict, NotFound
from server.files.service import FilesService
from server.history.refs import validate_ref
from server.history.repo import create_repository
from server.history.service import HistoryService


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    create_repository(path, {"README.md": "# r\n"}, "Olivia", "olivia")
    return path


@pytest.mark.parametrize(
    "ref",
    ["HEAD", "main", "HEAD~2", "HEAD^", "feature/x-1", "v1.0", "abc1234", "a" * 40],
)
def test_valid_refs(ref: str) -> None:
    assert validate_ref(ref) == ref


@pytest.mark.parametrize(
    "ref",
    [
        "",
        "-",
        "--upload-pack=x",
        "-n1",
        "HEAD;rm",
        "a..b",
        "HEAD@{0}",
        "HEAD:file",
        "x.lock",
        "a b",
        "~1",
        "/main",
        "main/",
        "a//b",
        "HEAD^{tree}",
        "ref\n",
        "x" * 300,
    ],
)
def test_invalid_refs(ref: str) -> None:
    with pytest.raises(BadRequest):
        validate_ref(ref)


def test_trailers_are_appended_and_validated(root: Path) -> None:
    (root / "a.txt").write_text("a\n")
    history = HistoryService(root, 1024)
    made = history.commit(
        "Pair work",
        "Olivia",
        "olivia",
        extra_trailers=[
            "Co-authored-by: Bob <bob@users.devsync.local>",
            "not a trailer",
            "Co-authored-by: Eve\nMallory <eve@users.devsync.local>",
        ],
    )
    assert made.message == (
        "Pair work\n\n"
        "Co-authored-by: Bob <bob@users.devsync.local>\n"
        "Co-authored-by: Eve Mallory <eve@users.devsync.local>"
    )
    parsed = subprocess.run(
        ["git", "log", "-1", "--format=%(trailers:key=Co-authored-by,valueonly)"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert parsed.stdout.split() == [
        "Bob",
        "<bob@users.devsync.local>",
        "Eve",
        "Mallory",
        "<eve@users.devsync.local>",
    ]


def test_empty_message_and_paths(root: Path) -> None:
    history = HistoryService(root, 1024)
    with pytest.raises(BadRequest):
        history.commit("   \n", "O", "olivia")
    with pytest.raises(BadRequest):
        history.commit("m", "O", "olivia", paths=[])
    with pytest.raises(Conflict):
        history.commit("m", "O", "olivia")
    with pytest.raises(NotFound):
        history.show("0" * 40)


def test_a_stale_index_lock_does_not_block_commits(root: Path) -> None:
    (root / ".git" / "index.lock").write_text("")  # left by a killed git
    (root / "a.txt").write_text("a\n")
    made = HistoryService(root, 1024).commit("after a crash", "O", "olivia")
    assert made.summary == "after a crash"


def test_a_tree_sha_is_not_a_commit(root: Path) -> None:
    repo = git.Repo(root)
    try:
        tree_sha = repo.head.commit.tree.hexsha
    finally:
        repo.close()
    with pytest.raises(NotFound):
        HistoryService(root, 1024).show(tree_sha)


def test_concurrent_commits_are_serialised_and_keep_the_repo_sound(root: Path) -> None:
    files = FilesService(root, 1024)
    history = HistoryService(root, 1024)
    errors: list[BaseException] = []
    shas: list[str] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(3):
                files.write_text(f"w{n}/f{i}.txt", f"{n}-{i}\n")
                # Conflict: another worker's commit already took this change.
                with contextlib.suppress(Conflict):
                    shas.append(history.commit(f"w{n} c{i}", f"W{n}", f"w{n}").sha)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(set(shas)) == len(shas)
    fsck = subprocess.run(
        ["git", "fsck", "--strict", "--no-dangling"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert fsck.returncode == 0, fsck.stderr
    repo = git.Repo(root)
    try:
        log = list(repo.iter_commits("HEAD"))
        assert len(log) == len(shas) + 1  # a straight line, nothing lost
        assert all(len(c.parents) <= 1 for c in log)
        assert not repo.is_dirty(untracked_files=True)
        committed = {
            str(b.path)
            for b in repo.head.commit.tree.traverse()
            if isinstance(b, git.Blob)
        }
    finally:
        repo.close()
    assert committed == {"README.md"} | {
        f"w{n}/f{i}.txt" for n in range(8) for i in range(3)
    }
