"""Give areas the file paths their maintainers own, read from a GitHub CODEOWNERS file.

With `--codeowners CODEOWNERS`, each pattern (`/torch/nn/`, `*.py`, `/aten/src/ATen/native/**`) is
added to the `paths` of the area whose maintainers own it, so a question that mentions
`torch/nn/modules/conv.py` finds nn. Patterns stay in CODEOWNERS (gitignore) syntax, which routing
matches with `pathspec`'s gitwildmatch.

How a pattern finds its area (the score):

1. Owners are the `@user` handles on the line; `@org/team` teams and e-mail addresses are ignored,
   because they do not name a maintainer. Handles compare case-insensitively, as on GitHub.
2. For each live (not sunset) area, the score is the number of owners who are *active* maintainers
   of it. The single area with the highest score, at least 1, gets the pattern.
3. When no area has an active owner, the same count over *emeritus* maintainers decides instead:
   CODEOWNERS goes stale, and a path whose listed owners have all retired still belongs to their area
   (whose active maintainers are then the ones pinged).
4. A tie for the highest score leaves the pattern unassigned: `/docs/source/conf.py @albanD` could be
   any of albanD's areas, and a wrong guess would route questions to the wrong people.

A pattern listed twice keeps its last owners, as GitHub does (the last matching line wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_SPLIT = re.compile(r"(?<!\\)\s+")  # a backslash-escaped space belongs to the pattern
_USER = re.compile(r"^@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)$")


@dataclass(frozen=True)
class OwnerRule:
    """One CODEOWNERS line: a pattern and the individual GitHub users who own it."""

    pattern: str
    owners: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class AreaOwners:
    """What the scoring needs to know about an area."""

    key: str
    active: frozenset[str]
    emeritus: frozenset[str] = frozenset()
    sunset: bool = False

    @classmethod
    def of(cls, key: str, active: Iterable[str], emeritus: Iterable[str] = (), sunset: bool = False):
        return cls(key, frozenset(handle.casefold() for handle in active),
                   frozenset(handle.casefold() for handle in emeritus), sunset)


@dataclass(frozen=True)
class Assignment:
    """Where each pattern went: area key -> patterns in file order, and the patterns nobody got."""

    paths: Mapping[str, tuple[str, ...]]
    unassigned: tuple[OwnerRule, ...]

    @property
    def assigned_count(self) -> int:
        return sum(len(patterns) for patterns in self.paths.values())


def parse_codeowners(text: str) -> list[OwnerRule]:
    """Every pattern line of a CODEOWNERS file, comments and blank lines skipped, duplicates merged."""
    rules: dict[str, OwnerRule] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, *rest = _SPLIT.split(line)
        owners = []
        for token in rest:
            if token.startswith("#"):
                break  # an inline comment ends the owners
            user = _USER.match(token)
            if user:  # `@org/team` and `name@example.com` do not match: not a person's handle
                owners.append(user.group(1))
        rules.pop(pattern, None)  # the later line wins, and it also takes the later position
        rules[pattern] = OwnerRule(pattern, tuple(dict.fromkeys(owners)), number)
    return sorted(rules.values(), key=lambda rule: rule.line)


def owning_area(rule: OwnerRule, areas: Iterable[AreaOwners]) -> str | None:
    """The key of the one area that best matches the rule's owners, or None when none or a tie."""
    owners = {owner.casefold() for owner in rule.owners}
    live = [area for area in areas if not area.sunset]
    for group in ("active", "emeritus"):
        scores = {area.key: len(owners & getattr(area, group)) for area in live}
        best = max(scores.values(), default=0)
        if best == 0:
            continue
        winners = [key for key, score in scores.items() if score == best]
        return winners[0] if len(winners) == 1 else None
    return None


def assign_paths(rules: Iterable[OwnerRule], areas: Iterable[AreaOwners]) -> Assignment:
    """Each rule's pattern given to its owning area, keeping CODEOWNERS order within an area."""
    areas = list(areas)
    paths: dict[str, list[str]] = {area.key: [] for area in areas}
    unassigned = []
    for rule in rules:
        key = owning_area(rule, areas)
        if key is None:
            unassigned.append(rule)
        else:
            paths[key].append(rule.pattern)
    return Assignment({key: tuple(found) for key, found in paths.items() if found}, tuple(unassigned))
