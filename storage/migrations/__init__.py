"""Alembic migrations for Upline's schema; run them with `upline db upgrade` (see `storage.migrate`)."""
