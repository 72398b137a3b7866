"""Rules that span app.yaml: people exist, area keys and aliases are unique, parents form a tree.

They read the raw parsed YAML rather than the typed models, so that a file with a bad duration in one
place and an unknown person in another gets both reported in one run.
"""

from __future__ import annotations

import difflib

from bot.config.problems import Path, Problem, format_path
from bot.config.schema import SLACK_USER_ID


class PeopleIndex:
    """Finds the `people` key a reference means: a key (GitHub handles ignore case) or a Slack ID."""

    def __init__(self, people: dict):
        self.keys = [key for key in people if isinstance(key, str)]
        self._by_folded = {key.casefold(): key for key in self.keys}
        self._by_slack = {
            entry["slack"]: key
            for key, entry in people.items()
            if isinstance(entry, dict) and isinstance(entry.get("slack"), str)
        }

    def resolve(self, reference: str) -> str | None:
        if reference in self._by_folded.values():
            return reference
        if reference.casefold() in self._by_folded:
            return self._by_folded[reference.casefold()]
        if reference in self._by_slack:
            return self._by_slack[reference]
        if SLACK_USER_ID.match(reference):
            return reference  # a bare Slack ID needs no people entry
        return None

    def suggest(self, reference: str) -> str:
        close = difflib.get_close_matches(reference, self.keys, n=1, cutoff=0.75)
        return f" (did you mean '{close[0]}'?)" if close else ""


def check_rules(data: dict) -> list[Problem]:
    """Every cross-reference problem in the raw config, in file order."""
    people = data.get("people") if isinstance(data.get("people"), dict) else {}
    index = PeopleIndex(people)
    problems: list[Problem] = []
    problems += _check_lead_and_core(data, index)
    areas = [area for area in _list(data.get("areas")) if isinstance(area, dict)]
    problems += _check_area_people(data, index)
    problems += _check_area_names(areas)
    problems += _check_parents(areas)
    problems += _check_people(people, data)
    return problems


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _reference_problem(path: Path, reference: object, index: PeopleIndex) -> Problem | None:
    if not isinstance(reference, str):
        return Problem(path, f"expected a people key or Slack user ID, got {reference!r}")
    if index.resolve(reference) is None:
        return Problem(path, f"unknown person '{reference}'{index.suggest(reference)}: add them under "
                             "`people:` or use their Slack user ID")
    return None


def _check_lead_and_core(data: dict, index: PeopleIndex) -> list[Problem]:
    problems = []
    lead = data.get("lead")
    if lead in (None, ""):
        problems.append(Problem(("lead",), "no lead: set `lead:` to the lead core maintainer "
                                           "(a people key or Slack user ID)"))
    elif problem := _reference_problem(("lead",), lead, index):
        problems.append(problem)
    core = data.get("core") if isinstance(data.get("core"), dict) else {}
    maintainers = _list(core.get("maintainers"))
    if not maintainers:
        problems.append(Problem(("core", "maintainers") if "core" in data else ("core",),
                                "no core maintainers: list at least one under `core: maintainers:`"))
    for role in ("maintainers", "emeritus"):
        for position, reference in enumerate(_list(core.get(role))):
            if problem := _reference_problem(("core", role, position), reference, index):
                problems.append(problem)
    return problems


def _check_area_people(data: dict, index: PeopleIndex) -> list[Problem]:
    problems = []
    for position, area in enumerate(_list(data.get("areas"))):
        if not isinstance(area, dict):
            continue
        active = set()
        for role in ("maintainers", "emeritus"):
            for slot, reference in enumerate(_list(area.get(role))):
                path = ("areas", position, role, slot)
                if problem := _reference_problem(path, reference, index):
                    problems.append(problem)
                    continue
                person = index.resolve(reference)
                if role == "maintainers":
                    active.add(person)
                elif person in active:
                    problems.append(Problem(path, f"'{reference}' is both an active maintainer and emeritus "
                                                  "in this area: keep one"))
    return problems


def _check_area_names(areas: list[dict]) -> list[Problem]:
    """Keys and aliases share one namespace: `/ask torch.nn` must mean exactly one area."""
    problems = []
    owner: dict[str, tuple[str, Path]] = {}
    for position, area in enumerate(areas):
        key = area.get("key")
        if not isinstance(key, str):
            continue
        if key.casefold() in owner:
            _, first = owner[key.casefold()]
            problems.append(Problem(("areas", position, "key"),
                                    f"duplicate area key '{key}': {format_path(first)} has it already"))
        else:
            owner[key.casefold()] = (key, ("areas", position, "key"))
    for position, area in enumerate(areas):
        key = area.get("key")
        for slot, alias in enumerate(_list(area.get("aliases"))):
            if not isinstance(alias, str) or not isinstance(key, str):
                continue
            taken_by = owner.get(alias.casefold())
            if taken_by and taken_by[0].casefold() != key.casefold():
                problems.append(Problem(("areas", position, "aliases", slot),
                                        f"alias '{alias}' is already a key or alias of area '{taken_by[0]}'"))
            elif not taken_by:
                owner[alias.casefold()] = (key, ("areas", position, "aliases", slot))
    return problems


def _check_parents(areas: list[dict]) -> list[Problem]:
    keys = {area["key"].casefold(): area["key"] for area in areas if isinstance(area.get("key"), str)}
    parent_of = {}
    problems = []
    for position, area in enumerate(areas):
        parent = area.get("parent")
        if parent is None or not isinstance(area.get("key"), str):
            continue
        if not isinstance(parent, str) or parent.casefold() not in keys:
            close = difflib.get_close_matches(str(parent), list(keys.values()), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(("areas", position, "parent"), f"unknown parent area '{parent}'{hint}"))
            continue
        parent_of[area["key"].casefold()] = (parent.casefold(), position)
    reported: set[str] = set()
    for start in parent_of:
        chain, current = [start], start
        while current in parent_of:
            current = parent_of[current][0]
            if current in chain:
                cycle = chain[chain.index(current):] + [current]
                if not reported.intersection(cycle):
                    names = " → ".join(keys[key] for key in cycle)
                    problems.append(Problem(("areas", parent_of[current][1], "parent"), f"parent cycle: {names}"))
                reported.update(cycle)
                break
            chain.append(current)
    return problems


def _check_people(people: dict, data: dict) -> list[Problem]:
    problems = []
    seen_slack: dict[str, str] = {}
    folded: dict[str, str] = {}
    for key, entry in people.items():
        entry = entry if isinstance(entry, dict) else {}
        if isinstance(key, str) and key.casefold() in folded:
            problems.append(Problem(("people", key), f"'{key}' and '{folded[key.casefold()]}' differ only in "
                                                     "case; GitHub handles ignore case, so merge them"))
        elif isinstance(key, str):
            folded[key.casefold()] = key
        slack = entry.get("slack")
        if isinstance(slack, str) and slack in seen_slack:
            problems.append(Problem(("people", key, "slack"),
                                    f"Slack ID {slack} is also given to '{seen_slack[slack]}'"))
        elif isinstance(slack, str):
            seen_slack[slack] = key
        if slack is None:
            problems.append(Problem(("people", key), f"'{key}' has no Slack ID and cannot be pinged until "
                                                     "mapped (add `slack: U…`)", severity="warning"))
    return problems
