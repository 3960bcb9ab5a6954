"""Alembic environment: runs migrations on the URL set by `server.core.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from server.models import Base

config = context.config


def run() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=url.startswith("sqlite"),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
