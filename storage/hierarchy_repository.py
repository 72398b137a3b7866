"""The only code that writes SQL for confirmed hierarchy changes (`bot.domain.hierarchy`).

    change = uow.hierarchy.add(HierarchyChange(ChangeKind.ADD_MAINTAINER, "kshitij12345", "nn"), now)
    for change in uow.hierarchy.pending():  # oldest first: the order they were confirmed in
        ...
    uow.hierarchy.mark_applied([change.id], now)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import insert, select, update

from bot.domain.hierarchy import ChangeKind, HierarchyChange
from storage.repositories import _Repository
from storage.tables import HierarchyChangeRow

_CHANGES = HierarchyChangeRow.__table__


class HierarchyChangeRepository(_Repository):
    def add(self, change: HierarchyChange, now: datetime) -> HierarchyChange:
        """Keep a confirmed change; it comes back with its id (and `decided_at`, `now` when it had none)."""
        if change.id is not None:
            raise ValueError(f"hierarchy change {change.id} is stored already")
        change = replace(change, decided_at=change.decided_at or now)
        values = {"kind": change.kind.value, "person": change.person, "area": change.area,
                  "decided_in": change.decided_in, "decided_at": change.decided_at, "name": change.name,
                  "slack": change.slack, "applied_at": change.applied_at}
        change_id = self._core.execute(insert(_CHANGES).returning(_CHANGES.c.id), values).scalar_one()
        return replace(change, id=change_id)

    def pending(self) -> list[HierarchyChange]:
        """The changes not yet written into app.yaml, oldest first (a later one may undo an earlier)."""
        return self._select(_CHANGES.c.applied_at.is_(None))

    def all(self) -> list[HierarchyChange]:
        return self._select()

    def mark_applied(self, ids: Iterable[int], now: datetime) -> None:
        ids = list(ids)
        if ids:
            self._core.execute(update(_CHANGES).where(_CHANGES.c.id.in_(ids)).values(applied_at=now))

    def _select(self, *where) -> list[HierarchyChange]:
        rows = self._core.execute(select(_CHANGES).where(*where).order_by(_CHANGES.c.id)).mappings()
        return [HierarchyChange(kind=ChangeKind(row["kind"]), person=row["person"], area=row["area"],
                                decided_in=row["decided_in"], decided_at=row["decided_at"], name=row["name"],
                                slack=row["slack"], id=row["id"], applied_at=row["applied_at"])
                for row in rows]
