"""A confirmed change to who maintains what: the outcome of a nomination, a removal, a move to emeritus
or an election, kept until `upline governance apply` writes it into `app.yaml` (and PyTorch's
`persons_of_interest.md`), which stays the hierarchy's source of truth.

    HierarchyChange(ChangeKind.ADD_MAINTAINER, person="kshitij12345", area="nn", decided_in=41,
                    name="Kshitij Kalambarkar")

`person` is a `people` key (a GitHub handle, as `upline import` makes them); `area` is None for the
core and the lead. Applying a change the file already shows changes nothing, so each applies once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ChangeKind(StrEnum):
    ADD_MAINTAINER = "add_maintainer"  # to `area`'s maintainers, or the core's (area None)
    TO_EMERITUS = "to_emeritus"  # from maintainers to emeritus, in `area` or the core
    REMOVE = "remove"  # off `area`'s (or the core's) maintainers, not to emeritus
    NEW_LEAD = "new_lead"  # `person` becomes the lead core maintainer


@dataclass(frozen=True)
class HierarchyChange:
    kind: ChangeKind
    person: str
    area: str | None  # None: the core (for NEW_LEAD, always None)
    decided_in: int | None = None  # the `#N` of the decision that confirmed it
    decided_at: datetime | None = None
    name: str | None = None  # for a new `people:` entry
    slack: str | None = None  # their Slack user ID, when known
    id: int | None = None  # given by storage
    applied_at: datetime | None = None
