"""A PostgreSQL schema of its own for one benchmark run, dropped afterwards, so a run never sees (or
leaves) another's rows in a shared database.

    with scratch_schema("postgresql+psycopg://postgres@127.0.0.1:5432/test") as url:
        run(url)        # `url` puts the new schema first on the search_path
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from storage.engine import make_engine, normalize_url


@contextmanager
def scratch_schema(base_url: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = normalize_url(base_url).update_query_dict({"options": f"-c search_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
