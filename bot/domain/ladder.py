"""The ladder a ticket climbs: area maintainers → parent areas' maintainers → core maintainers → lead.

Empty rungs are left out and nobody stands on two rungs: everyone keeps their lowest rung (an nn
maintainer who is also core is pinged with nn, not again with core), except the lead, who is always
the top rung of their own — the catch-all decision maker. Which rungs a question's ladder has is what
app.yaml says (`bot.config.ladders.ladder_for`); this module is what a ladder is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rung:
    level: str  # stable name stored on tickets: "area:nn", "core", "lead"
    label: str  # what people read: "nn maintainers"
    people: tuple[str, ...]  # `people` keys, in the order the config lists them


def rung_index(ladder: tuple[Rung, ...], level: str) -> int | None:
    return next((index for index, rung in enumerate(ladder) if rung.level == level), None)


def everyone_on(ladder: tuple[Rung, ...]) -> frozenset[str]:
    return frozenset(person for rung in ladder for person in rung.people)
