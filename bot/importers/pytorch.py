"""Read PyTorch's published maintainer list (`persons_of_interest.md`, or the older `.rst`).

`upline import pytorch FILE` starts here: the file's format is detected, its headings are followed
and every maintainer entry becomes an `Entry`. What counts:

- `Lead Core Maintainer (BDFL)` — its first entry is the lead.
- `Core Maintainers` — the core, active and `(emeritus)`.
- every other top-level section that has sub-headings is a group of modules ("Core Module maintainers",
  "Core Governed External Module maintainers", "Sunsetted Modules", the .rst's "Module-level" and
  "Library-level maintainers"); each sub-heading is one module. A group whose title says "sunset" marks
  its modules as sunset.
- everything else (Responsibilities, the page title, bullets outside a module) is ignored.

Entries look like `- (emeritus) Name ([handle](https://github.com/handle))` in Markdown and
``-  Name (`handle <https://github.com/handle>`__)`` in reStructuredText; bullets may be `-`, `*` or
`+`, the handle may be missing (the entry is then known by its name). When a link's text and its
GitHub URL disagree (`[shangdiy](https://github.com/yushangdi)`) the URL wins, because that is the
account GitHub resolves, and the disagreement is reported in `Governance.notes`.

Everything here is pure: text in, data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.domain.errors import UserError

Format = Literal["md", "rst"]


class PersonsOfInterestError(UserError):
    """The text is not a maintainer list this importer understands."""


@dataclass(frozen=True)
class Entry:
    """One line of the list: a person, with their GitHub handle when the line gives one."""

    name: str
    handle: str | None = None
    emeritus: bool = False


@dataclass(frozen=True)
class Module:
    """One module heading: its entries in the order written, and the group heading it sits under."""

    name: str
    group: str
    entries: tuple[Entry, ...] = ()
    sunset: bool = False

    @property
    def active(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if not entry.emeritus)

    @property
    def emeritus(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.emeritus)


@dataclass(frozen=True)
class Governance:
    """The whole hierarchy as the file states it, plus notes about anything odd that was smoothed over."""

    format: Format
    lead: Entry | None
    core: tuple[Entry, ...]
    modules: tuple[Module, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def core_active(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.core if not entry.emeritus)

    @property
    def core_emeritus(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.core if entry.emeritus)


@dataclass
class _Section:
    level: int
    title: str
    lines: list[str] = field(default_factory=list)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RST_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}\s*$")  # a line of one repeated punctuation mark
_BULLET = re.compile(r"^\s*[-*+]\s+(.*\S)\s*$")
_EMERITUS = re.compile(r"^\(emeritus\)\s*|\s*\(emeritus\)$", re.IGNORECASE)
_GITHUB_URL = re.compile(r"https?://(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/?",
                         re.IGNORECASE)
_MD_LINK = re.compile(r"^\[([^\]]*)\]\(([^)\s]*)\)$")
_RST_LINK = re.compile(r"^`([^`<]*?)\s*<([^>]*)>`_{1,2}$")
_HANDLE = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)$")


def detect_format(text: str) -> Format:
    """`md` when the text has `#` headings, `rst` when it has underlined ones."""
    lines = _strip_front_matter(text.splitlines())
    if any(_MD_HEADING.match(line) for line in lines):
        return "md"
    if _rst_sections(lines):
        return "rst"
    raise PersonsOfInterestError("this does not look like persons_of_interest.md or .rst: "
                                 "no `## Heading` or underlined heading found")


def parse_persons_of_interest(text: str) -> Governance:
    """The lead, the core and every module of a persons_of_interest file, in the file's order."""
    kind = detect_format(text)
    lines = _strip_front_matter(text.splitlines())
    sections = _md_sections(lines) if kind == "md" else _rst_sections(lines)
    notes: list[str] = []
    lead: Entry | None = None
    core: tuple[Entry, ...] = ()
    modules: list[Module] = []
    # The page title (one section at the top level) would otherwise look like a group of everything.
    top = min((section.level for section in sections), default=1)
    if sum(section.level == top for section in sections) == 1 and len(sections) > 1:
        top = min(section.level for section in sections if section.level > top)
    group: _Section | None = None
    for section in sections:
        if section.level < top:
            continue
        if section.level == top:
            group = section
            title = section.title.casefold()
            if "lead" in title or "bdfl" in title:
                entries = _entries(section.lines, section.title, notes)
                lead = entries[0] if entries else None
            elif title.startswith("core maintainer"):
                core = _entries(section.lines, section.title, notes)
        elif section.level == top + 1 and group is not None and _is_module_group(group.title):
            entries = _entries(section.lines, section.title, notes)
            modules.append(Module(section.title, group.title, _one_entry_each(entries, section.title, notes),
                                  sunset="sunset" in group.title.casefold()))
    if not core:
        raise PersonsOfInterestError("no `Core Maintainers` section with entries was found")
    if lead is None:
        lead = next(iter(entry for entry in core if not entry.emeritus), core[0])
        notes.append(f"no Lead Core Maintainer (BDFL) section: using the first core maintainer, {lead.name}")
    return Governance(kind, lead, core, tuple(modules), tuple(notes))


def parse_entry(line: str) -> Entry | None:
    """`- (emeritus) Name ([handle](https://github.com/handle))` (or the .rst form) as an `Entry`."""
    entry, _ = _parse_entry(line)
    return entry


def _is_module_group(title: str) -> bool:
    folded = title.casefold()
    return not ("lead" in folded or "bdfl" in folded or folded.startswith("core maintainer")
                or "responsibilit" in folded)


def _strip_front_matter(lines: list[str]) -> list[str]:
    # Sphinx/MyST front matter (`---` … `---`) would otherwise read as an .rst heading underline.
    if lines and lines[0].strip() == "---":
        for position in range(1, len(lines)):
            if lines[position].strip() == "---":
                return lines[position + 1:]
    return lines


def _md_sections(lines: list[str]) -> list[_Section]:
    sections: list[_Section] = []
    fenced = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        heading = None if fenced else _MD_HEADING.match(line)
        if heading:
            sections.append(_Section(len(heading.group(1)), heading.group(2)))
        elif sections and not fenced:
            sections[-1].lines.append(line)
    return sections


def _rst_sections(lines: list[str]) -> list[_Section]:
    """reStructuredText headings get their level from the order their adornment style first appears."""
    styles: list[tuple[str, bool]] = []
    sections: list[_Section] = []
    position = 0
    while position < len(lines):
        found = _rst_heading_at(lines, position)
        if found is None:
            if sections:
                sections[-1].lines.append(lines[position])
            position += 1
            continue
        title, style, used = found
        if style not in styles:
            styles.append(style)
        sections.append(_Section(styles.index(style) + 1, title))
        position += used
    return sections


def _rst_heading_at(lines: list[str], position: int) -> tuple[str, tuple[str, bool], int] | None:
    line = lines[position].rstrip()
    following = lines[position + 1].rstrip() if position + 1 < len(lines) else ""
    after = lines[position + 2].rstrip() if position + 2 < len(lines) else ""
    if _RST_ADORNMENT.match(line) and following.strip() and after == line:
        return following.strip(), (line[0], True), 3  # over- and underlined title
    if (line.strip() and not line.startswith(" ") and not _RST_ADORNMENT.match(line)
            and _RST_ADORNMENT.match(following) and len(following) >= min(len(line), 3)
            and not _BULLET.match(line)):
        return line.strip(), (following[0], False), 2
    return None


def _entries(lines: list[str], where: str, notes: list[str]) -> tuple[Entry, ...]:
    items: list[str] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            items.append(bullet.group(1))
        elif items and line.startswith((" ", "\t")) and line.strip():
            items[-1] += " " + line.strip()  # a wrapped list item continues on an indented line
        elif line.strip():
            items.append("")  # a paragraph ends the list item before it
    entries = []
    for item in filter(None, items):
        entry, note = _parse_entry(item)
        if note:
            notes.append(f"{where}: {note}")
        if entry is not None:
            entries.append(entry)
    return tuple(entries)


def _parse_entry(line: str) -> tuple[Entry | None, str | None]:
    text = line.strip()
    bullet = _BULLET.match(text)
    text = bullet.group(1) if bullet else text
    emeritus = bool(_EMERITUS.search(text))
    text = _EMERITUS.sub("", text).strip()
    name, handle, note = text, None, None
    if text.endswith(")") and "(" in text:
        opening = _matching_open(text)
        inside = text[opening + 1:-1].strip()
        handle, note = _handle_of(inside)
        if handle is not None:
            name = text[:opening].strip()
    if not name:
        return None, f"entry without a name skipped: {line.strip()!r}"
    if handle is None and note is None:
        note = f"{name} has no GitHub handle; kept by name"
    return Entry(name, handle, emeritus), note


def _matching_open(text: str) -> int:
    depth = 0
    for position in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[position], 0)
        if depth == 0:
            return position
    return text.index("(")


def _handle_of(inside: str) -> tuple[str | None, str | None]:
    link = _MD_LINK.match(inside) or _RST_LINK.match(inside)
    label, target = (link.group(1).strip(), link.group(2)) if link else (inside, "")
    from_url = _GITHUB_URL.fullmatch(target.strip())
    from_label = _HANDLE.match(label)
    if from_url:
        handle = from_url.group(1)
        if from_label and from_label.group(1).casefold() != handle.casefold():
            return handle, f"link text {label!r} differs from its GitHub URL; using {handle!r} from the URL"
        return handle, None
    if from_label:
        return from_label.group(1), None
    return None, None


def _one_entry_each(entries: tuple[Entry, ...], where: str, notes: list[str]) -> tuple[Entry, ...]:
    """A person listed twice in one module keeps one entry; active wins over emeritus."""
    chosen: dict[str, Entry] = {}
    for entry in entries:
        identity = (entry.handle or entry.name).casefold()
        earlier = chosen.get(identity)
        if earlier is None:
            chosen[identity] = entry
            continue
        notes.append(f"{where}: {entry.name} is listed twice; kept once"
                     + (" as active" if earlier.emeritus != entry.emeritus else ""))
        if earlier.emeritus and not entry.emeritus:
            chosen[identity] = entry
    return tuple(chosen.values())
