"""Alembic's entry point, driven by `storage.migrate` (no alembic.ini: the config is built in code).

`storage.migrate` hands over an open connection inside a transaction, so an upgrade is all or nothing on
PostgreSQL and on SQLite alike (storage's engine makes SQLite DDL transactional). A `sqlalchemy.url`
main option is the fallback for running Alembic by hand; offline (`--sql`) mode prints the SQL.
"""

from __future__ import annotations

from alembic import context

from storage.engine import make_engine, normalize_url
from storage.tables import Base

config = context.config
target_metadata = Base.metadata


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things in place: later migrations copy the table instead.
        render_as_batch=True,
        **kwargs,
    )


def run_offline() -> None:
    url = normalize_url(config.get_main_option("sqlalchemy.url") or "sqlite:///upline.db")
    _configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///upline.db")
    try:
        with engine.begin() as own_connection:
            _configure(connection=own_connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
