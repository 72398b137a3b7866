"""The loop every numbered process sweeps its deadlines with: claim what fell due a batch at a time
(`FOR UPDATE SKIP LOCKED`, so replicas share the work and none is done twice), settle it in the
transaction that claimed it, and say when the next deadline of anything falls due.

    next_due = sweep_batches(self.unit_of_work, batch,
                             claim=lambda uow, limit: uow.decisions.claim_due(now, limit),
                             settle=lambda uow, due: ...,   # the changes, recorded in `uow`
                             committed=self._committed)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from storage.unit_of_work import SqlUnitOfWork

Claimed = TypeVar("Claimed")
Change = TypeVar("Change")


def sweep_batches(unit_of_work: Callable[..., SqlUnitOfWork], batch: int, *,
                  claim: Callable[[SqlUnitOfWork, int], Sequence[Claimed]],
                  settle: Callable[[SqlUnitOfWork, Sequence[Claimed]], list[Change]],
                  committed: Callable[[list[Change]], None]) -> datetime | None:
    """Claim and settle until a batch comes back short; then the earliest deadline left (tickets' series)."""
    while True:
        with unit_of_work() as uow:
            due = claim(uow, batch)
            changes = settle(uow, due)
            next_due = uow.tickets.earliest_due() if len(due) < batch else None
            uow.commit()
        if changes:
            committed(changes)
        if len(due) < batch:
            return next_due
