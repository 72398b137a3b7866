"""Questions waiting for their asker to pick an area from a list (see `handlers.area_pick`).

A draft is a small named value kept with the data, which is what `runtime_settings` holds: each one
is a row there under `ask_draft:<token>`, its JSON the asker, the kind, the text and the thread, its
`updated_at` the moment it was kept (drafts are never changed, only read and dropped). Like the
other repositories it takes the unit of work's session and never commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.tables import RuntimeSettingRow

PREFIX = "ask_draft:"


class DraftRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, token: str, draft: dict[str, Any], now: datetime) -> None:
        self._session.add(RuntimeSettingRow(key=PREFIX + token, value=draft, updated_at=now))
        self._session.flush()

    def get(self, token: str) -> tuple[dict[str, Any], datetime] | None:
        """The draft and when it was kept, or None."""
        row = self._session.get(RuntimeSettingRow, PREFIX + token)
        return None if row is None else (row.value, row.updated_at)

    def discard(self, token: str) -> None:
        self._session.execute(delete(RuntimeSettingRow).where(RuntimeSettingRow.key == PREFIX + token))

    def purge(self, kept_before: datetime) -> int:
        """Drop the drafts kept before that moment; returns how many."""
        result = self._session.execute(delete(RuntimeSettingRow).where(
            RuntimeSettingRow.key.startswith(PREFIX, autoescape=True), RuntimeSettingRow.updated_at < kept_before))
        return result.rowcount  # type: ignore[attr-defined, no-any-return]
