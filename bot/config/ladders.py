"""Who stands where, as app.yaml says: the ladder a question in an area climbs, the areas above an
area, and the people who may act on any ticket. The shapes are the domain's (`bot.domain.ladder.Rung`,
`bot.domain.actions.Roles`); reading them out of the config is this module's.
"""

from __future__ import annotations

from bot.config.schema import Area, Config
from bot.domain.actions import Roles
from bot.domain.ladder import Rung


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


def roles_of(config: Config) -> Roles:
    return Roles(core=frozenset(config.core.maintainers), lead=config.lead)
