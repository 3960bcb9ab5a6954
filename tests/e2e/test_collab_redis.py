"""Two `devsync serve` instances on one PostgreSQL database and one Redis:
clients of the same document on different instances edit and see each other."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from server.core.config import Settings
from tests.e2e.collab_harness import Server, eventually

pytestmark = [pytest.mark.e2e, pytest.mark.redis, pytest.mark.postgres]


def _needed(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        if os.environ.get("DEVSYNC_REQUIRE_ALL") == "1":
            pytest.fail(f"DEVSYNC_REQUIRE_ALL=1 but {name} is unset")
        pytest.skip(f"scale-out tests need {name}")
    return value


@pytest.fixture
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL schema for this test."""
    base = Settings(_env_file=None, database_url=_needed("DEVSYNC_TEST_DATABASE_URL"))
    schema = f"devsync_collab_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.database_url, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base.database_url).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pair(tmp_path: Path, database_url: str) -> Iterator[tuple[Server, Server]]:
    env = {
        "DEVSYNC_DATABASE_URL": database_url,
        "DEVSYNC_REDIS_URL": _needed("DEVSYNC_TEST_REDIS_URL"),
        "DEVSYNC_SECRET_KEY": "shared-secret-of-both-instances",
    }
    first = Server(tmp_path / "data", env=env).start()
    second = Server(tmp_path / "data", env=env).start()  # shared storage
    try:
        yield first, second
    finally:
        first.stop()
        second.stop()


async def test_clients_on_two_instances_share_edits_and_cursors(pair):
    first, second = pair
    first.user("ada")
    first.user("bob")
    second.tokens = first.tokens
    project = first.project("ada", {"main.py": "x = 1\n"}, {"bob": "editor"})
    a = await first.client(project, "main.py", "ada").connect()
    b = await second.client(project, "main.py", "bob").connect()
    await a.wait_synced()
    await b.wait_synced()
    assert str(b.text) == "x = 1\n"
    for i in range(20):
        await a.insert(len(a.text), f"a{i};")
        await b.insert(0, f"b{i};")
    await eventually(
        lambda: str(a.text) == str(b.text) and str(a.text).count(";") == 40
    )
    await a.set_awareness({"cursor": {"anchor": 2}})
    await eventually(
        lambda: any(s["user"]["name"] == "ada" for s in b.awareness.values())
    )
    late = await second.client(project, "main.py", "bob").connect()
    await late.wait_synced()
    await eventually(lambda: len(late.awareness) == 1, within=5)
    assert str(late.text) == str(a.text)
    await a.close()
    await eventually(lambda: not b.awareness)
    await b.close()
    await late.close()
