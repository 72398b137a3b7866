"""Write confirmed hierarchy changes into app.yaml, keeping its comments, order and style.

    text, done = apply_changes(Path("app.yaml").read_text(), [
        HierarchyChange(ChangeKind.ADD_MAINTAINER, "kshitij12345", "nn", decided_in=41, name="Kshitij K")])
    done == ["added kshitij12345 to nn's maintainers, and to people (#41)"]

- ADD_MAINTAINER: onto the area's `maintainers` (the core's when the area is None), off its `emeritus`;
  a person `people:` does not know gets an entry (`{name:, slack:}` as far as the change knows them).
- TO_EMERITUS: from `maintainers` to `emeritus`, which is created next to `maintainers` when missing.
- REMOVE: off `maintainers`. NEW_LEAD: `lead:`, and onto the core maintainers.

People are matched the way `upline check` matches them (a key in any case, or a Slack ID). A change the
file already shows is "already so" and changes nothing, so applying twice is applying once. An area
app.yaml does not have is a `HierarchyEditError` naming it. The edit is made by ruamel.yaml's round
trip and then given back the file's own lines (`bot.governance.yaml_lines`): a flow list stays a flow
list, an inline comment stays on its line, and the diff shows the change alone.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from bot.config.rules import PeopleIndex
from bot.config.schema import SLACK_USER_ID
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.governance import HierarchyEditError, decided, emeritus_of, maintainers_of
from bot.governance.yaml_lines import keep_original_lines


def apply_changes(text: str, changes: Iterable[HierarchyChange]) -> tuple[str, list[str]]:
    """The new app.yaml text, and one sentence per change: what it did, or why it was already so."""
    yaml = _round_trip(text)
    data = _load(yaml, text)
    baseline = _dump(yaml, _load(yaml, text))
    done = [_apply(data, change) for change in changes]
    edited = _dump(yaml, data)
    return (text if edited == baseline else keep_original_lines(text, baseline, edited)), done


def _round_trip(text: str) -> YAML:
    yaml = YAML()  # round-trip mode: comments, order, flow style and quotes survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the file kept on one
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
    except YAMLError:
        sequence, offset = None, None
    sequence, offset = sequence or 4, offset if offset is not None else 2
    yaml.indent(mapping=sequence - offset if sequence > offset else sequence, sequence=sequence, offset=offset)
    return yaml


def _load(yaml: YAML, text: str) -> CommentedMap:
    try:
        data = yaml.load(text)
    except YAMLError as error:
        raise HierarchyEditError(f"app.yaml is not valid YAML: {error}") from None
    if not isinstance(data, CommentedMap):
        raise HierarchyEditError("app.yaml must be a mapping with `project`, `lead`, `core`, `areas` …")
    return data


def _dump(yaml: YAML, data: CommentedMap) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _apply(data: CommentedMap, change: HierarchyChange) -> str:
    people = PeopleIndex(dict(data.get("people") or {}))
    person = people.resolve(change.person) or change.person
    if change.kind is ChangeKind.NEW_LEAD:
        return _new_lead(data, change, person, people)
    group, area = _group(data, change.area)
    maintainers = _list(group, "maintainers")
    emeritus = group.get("emeritus")
    if change.kind is ChangeKind.ADD_MAINTAINER:
        added = _add(maintainers, person, people)
        revived = isinstance(emeritus, list) and _remove(emeritus, person, people)
        entry = _ensure_person(data, change, person)
        if not (added or revived or entry):
            return f"already so: {person} is one of {maintainers_of(area)}{decided(change)}"
        return (f"added {person} to {maintainers_of(area)}" + (", no longer emeritus" if revived else "")
                + (", and to people" if entry else "") + decided(change))
    if change.kind is ChangeKind.TO_EMERITUS:
        left = _remove(maintainers, person, people)
        joined = _add(_list(group, "emeritus", after="maintainers", like=maintainers), person, people)
        entry = joined and _ensure_person(data, change, person)
        if not (left or joined):
            return f"already so: {person} is in {emeritus_of(area)}{decided(change)}"
        return f"moved {person} to {emeritus_of(area)}" + (", and to people" if entry else "") + decided(change)
    if _remove(maintainers, person, people):
        return f"removed {person} from {maintainers_of(area)}{decided(change)}"
    return f"already so: {person} is not one of {maintainers_of(area)}{decided(change)}"


def _new_lead(data: CommentedMap, change: HierarchyChange, person: str, people: PeopleIndex) -> str:
    was_lead = people.resolve(str(data.get("lead") or "")) == person
    if not was_lead:
        data["lead"] = person
    core, _ = _group(data, None)
    joined = _add(_list(core, "maintainers"), person, people)
    emeritus = core.get("emeritus")
    if isinstance(emeritus, list):
        _remove(emeritus, person, people)
    entry = _ensure_person(data, change, person)
    if was_lead and not (joined or entry):
        return f"already so: {person} is the lead{decided(change)}"
    return ((f"kept {person} as the lead" if was_lead else f"made {person} the lead")
            + (" and a core maintainer" if joined else "")
            + (", and added them to people" if entry else "") + decided(change))


def _group(data: CommentedMap, area: str | None) -> tuple[CommentedMap, str | None]:
    """The mapping that holds the maintainers of `area` (the core's for None), and its key."""
    if area is None:
        if not isinstance(data.get("core"), dict):
            data["core"] = CommentedMap()
        return data["core"], None
    areas = [entry for entry in data.get("areas") or [] if isinstance(entry, dict)]
    for entry in areas:
        if str(entry.get("key", "")).casefold() == area.casefold():
            return entry, str(entry["key"])
    for entry in areas:
        if area.casefold() in (str(alias).casefold() for alias in entry.get("aliases") or []):
            return entry, str(entry["key"])
    keys = [str(entry.get("key")) for entry in areas]
    close = difflib.get_close_matches(area, keys, n=1)
    raise HierarchyEditError(f"unknown area '{area}': app.yaml has no area with that key"
                             + (f" (did you mean '{close[0]}'?)" if close else ""))


def _list(group: CommentedMap, role: str, after: str = "name", like: CommentedSeq | None = None) -> CommentedSeq:
    """`group[role]`, created (as a flow list like `like`, its sibling, unless that is a block list)
    right after `after`, or after `key`, when the group has none."""
    existing = group.get(role)
    if isinstance(existing, CommentedSeq):
        return existing
    created = CommentedSeq(existing or [])
    if like is None or like.fa.flow_style() is not False:
        created.fa.set_flow_style()
    keys = list(group)
    anchor = next((keys.index(name) for name in (after, "key") if name in keys), None)
    if role in group:
        group[role] = created
    else:
        group.insert(len(keys) if anchor is None else anchor + 1, role, created)
    return created


def _position(entries: list, person: str, people: PeopleIndex) -> int | None:
    for position, entry in enumerate(entries):
        if people.resolve(str(entry)) == person or str(entry).casefold() == person.casefold():
            return position
    return None


def _add(entries: CommentedSeq, person: str, people: PeopleIndex) -> bool:
    if _position(entries, person, people) is not None:
        return False
    entries.append(person)
    return True


def _remove(entries: list, person: str, people: PeopleIndex) -> bool:
    position = _position(entries, person, people)
    if position is None:
        return False
    del entries[position]
    return True


def _ensure_person(data: CommentedMap, change: HierarchyChange, person: str) -> bool:
    """A `people:` entry for `person` unless they have one (or are a bare Slack ID); True if one was made."""
    if SLACK_USER_ID.match(person):
        return False
    if not isinstance(data.get("people"), CommentedMap):
        data["people"] = CommentedMap()
    people: CommentedMap = data["people"]
    if person.casefold() in (str(key).casefold() for key in people):
        return False
    entry = CommentedMap((field, value) for field, value in (("name", change.name), ("slack", change.slack))
                         if value)
    siblings = [value for value in people.values() if isinstance(value, CommentedMap)]
    if not siblings or any(sibling.fa.flow_style() for sibling in siblings):
        entry.fa.set_flow_style()
    keys = [str(key) for key in people]
    folded = [key.casefold() for key in keys]
    # An imported people list is sorted by key: a newcomer goes where a reader would look for them.
    position = len(keys)
    if folded == sorted(folded):
        position = next((index for index, key in enumerate(folded) if key > person.casefold()), len(keys))
    people.insert(position, person, entry)
    return True
