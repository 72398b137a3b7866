"""Governance changes written where the hierarchy lives: app.yaml and PyTorch's persons_of_interest.md.

A confirmed nomination or removal (`bot.domain.hierarchy.HierarchyChange`) is applied by
`upline governance apply` with `app_yaml_edit.apply_changes` and `persons_of_interest_edit.apply_changes`:
text in, text out, one sentence per change, so the person who commits the result can read what it did.
Both are idempotent: a change the file already shows is reported "already so" and changes nothing.
"""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.hierarchy import HierarchyChange


class HierarchyEditError(UserError):
    """A change that cannot be written into the file: an area it does not have, a file it cannot read."""


def maintainers_of(area: str | None) -> str:
    return "the core maintainers" if area is None else f"{area}'s maintainers"


def emeritus_of(area: str | None) -> str:
    return "the core's emeritus" if area is None else f"{area}'s emeritus"


def decided(change: HierarchyChange) -> str:
    """` (#41)`: the decision that confirmed the change, when it is known."""
    return f" (#{change.decided_in})" if change.decided_in is not None else ""
