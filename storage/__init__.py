"""Where tickets, their history, the outbox and dedup keys are kept: SQLite by default, PostgreSQL to grow.

`storage.engine.make_engine(url)` connects, `storage.migrate.upgrade(engine)` brings the schema up to
date, and `storage.unit_of_work.SqlUnitOfWork(make_session_factory(engine))` gives a service one
transaction with its repositories. Import from those modules; nothing here is built at import time.
"""
