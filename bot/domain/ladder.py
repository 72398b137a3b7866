"""The ladder a ticket climbs: area maintainers → parent areas' maintainers → core maintainers → lead.

Empty rungs are left out and nobody stands on two rungs: everyone keeps their lowest rung (an nn
maintainer who is also core is pinged with nn, not again with core), except the lead, who is always
the top rung of their own — the catch-all decision maker.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.schema import Area, Config


@dataclass(frozen=True)
class Rung:
    level: str  # stable name stored on tickets: "area:nn", "core", "lead"
    label: str  # what people read: "nn maintainers"
    people: tuple[str, ...]  # `people` keys, in the order the config lists them


def area_chain(config: Config, area_key: str) -> list[Area]:
    """The area and then each of its parents, nearest first (config validation rules out cycles)."""
    chain: list[Area] = []
    area = config.area(area_key)
    while area is not None and area not in chain:
        chain.append(area)
        area = config.area(area.parent) if area.parent else None
    return chain


def ladder_for(config: Config, area_key: str | None) -> tuple[Rung, ...]:
    """The rungs for a question in `area_key` (or for one with no area: core, then the lead)."""
    candidates = [
        Rung(f"area:{area.key}", f"{area.key} maintainers", tuple(area.maintainers))
        for area in (area_chain(config, area_key) if area_key else [])
    ]
    candidates.append(Rung("core", "core maintainers", tuple(config.core.maintainers)))
    seen = {config.lead}
    rungs = []
    for rung in candidates:
        people = tuple(person for person in dict.fromkeys(rung.people) if person not in seen)
        seen.update(people)
        if people:
            rungs.append(Rung(rung.level, rung.label, people))
    rungs.append(Rung("lead", "lead core maintainer", (config.lead,)))
    return tuple(rungs)


def rung_index(ladder: tuple[Rung, ...], level: str) -> int | None:
    return next((index for index, rung in enumerate(ladder) if rung.level == level), None)


def everyone_on(ladder: tuple[Rung, ...]) -> frozenset[str]:
    return frozenset(person for rung in ladder for person in rung.people)
