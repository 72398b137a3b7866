"""Write confirmed hierarchy changes into PyTorch's `persons_of_interest.md`, in its own format.

    ### NN APIs (torch.nn)

    - Alban Desmaison ([albanD](https://github.com/albanD))
    - Kshitij Kalambarkar ([kshitij12345](https://github.com/kshitij12345))   <- ADD_MAINTAINER
    - (emeritus) Joel Schlosser ([jbschlosser](https://github.com/jbschlosser))   <- TO_EMERITUS

- ADD_MAINTAINER: a new line after the module's last active person (an `(emeritus) ` line of theirs
  there goes); TO_EMERITUS: their line gets the `(emeritus) ` prefix, in place; REMOVE: their line goes;
  NEW_LEAD: the `Lead Core Maintainer (BDFL)` section names them, and the `Core Maintainers` have them.
  The area None is the `Core Maintainers` section.
- An area's module heading is found as `upline import pytorch` maps headings to areas: by the area's
  `name` (the heading it was imported from), else by the key the importer gives that heading, else by
  an alias. An area without a heading here is a `HierarchyEditError` naming it.
- People are matched by GitHub handle, in any case. A new line names the person by the change's
  `name`, else app.yaml's, else the name another line of the file gives their handle.

Every other line stays as it is, and a change the file already shows is "already so".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.config.schema import Config
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.governance import HierarchyEditError, decided, emeritus_of, maintainers_of
from bot.importers.app_yaml import unique_areas
from bot.importers.pytorch import PersonsOfInterestError, detect_format, parse_entry, parse_persons_of_interest

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")  # as the importer reads them
_BULLET = re.compile(r"^(\s*[-*+]\s+)(.*?)\s*$")
_EMERITUS = "(emeritus) "


@dataclass(frozen=True)
class _Section:
    title: str
    start: int  # the heading's line
    end: int  # the next heading's line, or the end of the file
    words: tuple[str, ...] = ()  # for a module: the key the importer gives it, then its aliases


def apply_changes(text: str, changes: Iterable[HierarchyChange],
                  config: Config | None = None) -> tuple[str, list[str]]:
    """The new text, and one sentence per change: what it did, or why it was already so.

    `config` (the app.yaml the changes were written into) gives each area's name and aliases and each
    person's name; without it areas are found by key alone."""
    try:
        if detect_format(text) != "md":
            raise HierarchyEditError("only the Markdown persons_of_interest.md can be edited, not the older .rst")
        parse_persons_of_interest(text)
    except PersonsOfInterestError as error:
        raise HierarchyEditError(f"persons_of_interest.md: {error}") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    done = [_Editor(lines, config, newline).apply(change) for change in changes]
    ending = newline if text.endswith(("\n", "\r")) else ""
    return newline.join(lines) + ending if lines else text, done


class _Editor:
    def __init__(self, lines: list[str], config: Config | None, newline: str):
        self.lines, self.config, self.newline = lines, config, newline

    def apply(self, change: HierarchyChange) -> str:
        if change.kind is ChangeKind.NEW_LEAD:
            return self._new_lead(change)
        section, area = self._section(change.area)
        active, emeritus = self._find(section, change.person)
        if change.kind is ChangeKind.ADD_MAINTAINER:
            if active is not None:
                return f"already so: {change.person} is one of {maintainers_of(area)}{decided(change)}"
            if emeritus is not None:
                self._delete(emeritus)
            self._add(self._section(change.area)[0], change)
            return (f"added {change.person} to {maintainers_of(area)}"
                    + (", no longer emeritus" if emeritus is not None else "") + decided(change))
        if change.kind is ChangeKind.TO_EMERITUS:
            if active is None and emeritus is not None:
                return f"already so: {change.person} is in {emeritus_of(area)}{decided(change)}"
            if active is None:
                self._insert(self._after_last(section, emeritus=True), self._line(section, change, emeritus=True))
            elif emeritus is not None:
                self._delete(active)
            else:
                bullet = _BULLET.match(self.lines[active])
                self.lines[active] = f"{bullet.group(1)}{_EMERITUS}{bullet.group(2)}"
            return f"moved {change.person} to {emeritus_of(area)}{decided(change)}"
        if active is None:
            return f"already so: {change.person} is not one of {maintainers_of(area)}{decided(change)}"
        self._delete(active)
        return f"removed {change.person} from {maintainers_of(area)}{decided(change)}"

    def _new_lead(self, change: HierarchyChange) -> str:
        lead = self._top_section("lead")
        people = self._people(lead)
        was_lead = bool(people) and _is(parse_entry(self.lines[people[0]]), change.person)
        if not was_lead:
            line = self._line(lead, change)
            if people:
                self.lines[people[0]] = line
            else:
                self._insert(self._after_last(lead, emeritus=False), line)
        core, _ = self._section(None)
        active, emeritus = self._find(core, change.person)
        if active is None:
            if emeritus is not None:
                self._delete(emeritus)
            self._add(self._section(None)[0], change)
        if was_lead and active is not None:
            return f"already so: {change.person} is the lead{decided(change)}"
        lead = f"kept {change.person} as the lead" if was_lead else f"made {change.person} the lead"
        return lead + (" and a core maintainer" if active is None else "") + decided(change)

    # -- where things are -------------------------------------------------------------------------

    def _sections(self) -> tuple[list[_Section], list[_Section]]:
        """The top-level sections and the module sections, as the importer reads the file."""
        modules = list(parse_persons_of_interest(self.text).modules)
        words = unique_areas([module.name for module in modules])
        headings = [(index, len(found.group(1)), found.group(2)) for index, found in self._headings()]
        starts = [index for index, _, _ in headings]
        ends = dict(zip(starts, [*starts[1:], len(self.lines)], strict=True))
        levels = [level for _, level, _ in headings]
        top = min(levels)
        if levels.count(top) == 1 and len(levels) > 1:  # the page title
            top = min(level for level in levels if level > top)
        tops = [_Section(title, index, ends[index]) for index, level, title in headings if level == top]
        found: list[_Section] = []
        for index, level, title in headings:
            if level == top + 1 and len(found) < len(modules) and title == modules[len(found)].name:
                key, aliases = words[len(found)]
                found.append(_Section(title, index, ends[index], (key, *aliases)))
        return tops, found

    def _headings(self):
        fenced = False
        start = 0
        if self.lines and self.lines[0].strip() == "---":  # front matter
            start = next((index + 1 for index in range(1, len(self.lines)) if self.lines[index].strip() == "---"), 0)
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            elif not fenced and (found := _HEADING.match(line)):
                yield index, found

    @property
    def text(self) -> str:
        return self.newline.join(self.lines) + self.newline

    def _top_section(self, which: str) -> _Section:
        tops, _ = self._sections()
        for section in tops:
            title = section.title.casefold()
            if which == "lead" and ("lead" in title or "bdfl" in title):
                return section
            if which == "core" and title.startswith("core maintainer"):
                return section
        name = "Lead Core Maintainer (BDFL)" if which == "lead" else "Core Maintainers"
        raise HierarchyEditError(f"persons_of_interest.md has no `{name}` section")

    def _section(self, area: str | None) -> tuple[_Section, str | None]:
        if area is None:
            return self._top_section("core"), None
        known = self.config.area(area) if self.config else None
        key, name = (known.key, known.name) if known else (area, None)
        words = {word.casefold() for word in (key, *(known.aliases if known else ()))}
        _, modules = self._sections()
        for matches in (lambda module: name is not None and module.title.casefold() == name.casefold(),
                        lambda module: module.words[0].casefold() == key.casefold(),
                        lambda module: bool(words & {word.casefold() for word in module.words})):
            for module in modules:
                if matches(module):
                    return module, key
        called = f" ({name})" if name and name != key else ""
        raise HierarchyEditError(f"persons_of_interest.md has no module heading for area '{key}'{called}")

    def _people(self, section: _Section) -> list[int]:
        return [index for index in range(section.start + 1, section.end)
                if _BULLET.match(self.lines[index]) and parse_entry(self.lines[index]) is not None]

    def _find(self, section: _Section, person: str) -> tuple[int | None, int | None]:
        """The lines of `section` naming `person`: their active one and their emeritus one."""
        active = emeritus = None
        for index in self._people(section):
            entry = parse_entry(self.lines[index])
            if _is(entry, person):
                if entry.emeritus and emeritus is None:
                    emeritus = index
                elif not entry.emeritus and active is None:
                    active = index
        return active, emeritus

    def _after_last(self, section: _Section, emeritus: bool) -> int:
        """Where a new line goes: after the last active person (after the last person at all for an
        emeritus line), else before the first person, else after the heading and its blank line."""
        people = self._people(section)
        chosen = [index for index in people if emeritus or not parse_entry(self.lines[index]).emeritus]
        if chosen:
            return chosen[-1] + 1
        if people:
            return people[0]
        return section.start + 2 if section.start + 1 < section.end and not self.lines[section.start + 1].strip() \
            else section.start + 1

    # -- editing ----------------------------------------------------------------------------------

    def _add(self, section: _Section, change: HierarchyChange) -> None:
        self._insert(self._after_last(section, emeritus=False), self._line(section, change))

    def _insert(self, index: int, line: str) -> None:
        self.lines.insert(index, line)
        if index + 1 < len(self.lines) and _HEADING.match(self.lines[index + 1]):
            self.lines.insert(index + 1, "")  # a heading right below would swallow the list's end

    def _delete(self, index: int) -> None:
        end = index + 1
        while end < len(self.lines) and self.lines[end].startswith((" ", "\t")) and self.lines[end].strip() \
                and not _BULLET.match(self.lines[end]):
            end += 1  # the wrapped rest of the same entry
        del self.lines[index:end]

    def _line(self, section: _Section, change: HierarchyChange, emeritus: bool = False) -> str:
        people = self._people(section)
        bullet = _BULLET.match(self.lines[people[0]]).group(1) if people else "- "
        handle = change.person
        return f"{bullet}{_EMERITUS if emeritus else ''}{self._name(change)} ([{handle}](https://github.com/{handle}))"

    def _name(self, change: HierarchyChange) -> str:
        if change.name:
            return change.name
        if self.config is not None:
            for key, person in self.config.people.items():
                if key.casefold() == change.person.casefold() and person.name:
                    return person.name
        for line in self.lines:
            entry = parse_entry(line) if _BULLET.match(line) else None
            if entry is not None and entry.handle and entry.handle.casefold() == change.person.casefold():
                return entry.name
        return change.person


def _is(entry, person: str) -> bool:
    if entry is None:
        return False
    if entry.handle:
        return entry.handle.casefold() == person.casefold()
    return entry.name.casefold() == person.casefold()
