"""Turn an imported maintainer list into app.yaml text that `upline check` accepts.

What the user gets:

- `people:` keyed by GitHub handle. GitHub ignores case, so `albanD` and `alband` are one person,
  spelled the way the list spells them most often (ties: the first spelling seen); every reference
  uses that spelling. People listed without a handle are keyed by their name, unless exactly one
  person with a handle has that same name. Each gets `name:`; nobody gets `slack:` (the list does
  not know Slack IDs), so `upline check` warns until they are filled in.
- one area per module heading, with a key short enough to type (at most 24 characters, no word
  twice). The key is `X` when the heading names a module `(torch.X)` (the older `(torch/ao)`
  spelling counts too), and `torch.X` becomes an alias; it is the abbreviation when the heading
  gives one in capitals ("AOT Inductor (AOTI) & AOTI Runtime" -> `aoti`); otherwise it is a slug of
  the heading without its parentheses ("Distributions & RNG" -> `distributions-rng`, "C++ API
  (libtorch + StableABI)" -> `cpp-api`, "ExecuTorch (Edge, Mobile)" -> `executorch`). A slug longer
  than 24 characters keeps what comes before the first "and", "&", "/" or "+" ("Profiling and
  Monitoring Tools" -> `profiling`), else its first words ("Out-of-tree Backend Integration" ->
  `out-of-tree-backend`). The heading without its parentheses is offered as an alias when it is not
  the key ("Optimizers (torch.optim)" -> `optimizers`), and so is a single word in parentheses
  ("(PrivateUse1)" -> `privateuse1`), so `/ask optimizers` works too. Keys are made unique with `-2`,
  `-3`…; an alias that another area already uses as key or alias is dropped, so every word means
  one area.
- the group a module sits under ("Core Governed External Module maintainers") is written as a YAML
  comment above its areas, not as data: it is not a routing keyword and the schema has no field for
  it. Modules of a sunset group get `sunset: true`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import yaml

from bot.importers.pytorch import Entry, Governance

_TORCH_MODULE = re.compile(r"\(\s*(torch(?:[./][A-Za-z_][A-Za-z0-9_]*)+)\s*\)")
_PARENTHESISED = re.compile(r"\([^)]*\)")
_ONE_WORD = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9]*)\s*\)")
_JOINER = re.compile(r"\s*(?:&|\+|/|,|\band\b|\bor\b)\s*", re.IGNORECASE)
_FILLER = {"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"}
KEY_LIMIT = 24  # characters: a key is typed in `/ask <key> …`


def slugify(name: str) -> str:
    """'Distributions & RNG' -> 'distributions-rng'; only ASCII letters, digits and '-' survive."""
    text = _cpp(name)  # dropping '+' would leave a bare 'c'
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def short_slug(name: str, limit: int = KEY_LIMIT) -> str:
    """A slug of `name` with no word twice, cut to `limit` characters where a reader would cut it."""
    slug = _distinct(slugify(name))
    if len(slug) <= limit:
        return slug
    # "Profiling and Monitoring Tools": the part before the first "and" names the module best.
    head = _distinct(slugify(_JOINER.split(_cpp(name), maxsplit=1)[0]))
    if head and len(head) <= limit:
        return head
    words = (head or slug).split("-")
    while len(words) > 1 and (len("-".join(words)) > limit or words[-1] in _FILLER):
        words.pop()
    return "-".join(words)[:limit].strip("-")


def _cpp(text: str) -> str:
    return re.sub(r"c\+\+", "cpp", text, flags=re.IGNORECASE)


def _distinct(slug: str) -> str:
    return "-".join(dict.fromkeys(word for word in slug.split("-") if word))


def key_and_aliases(name: str) -> tuple[str, list[str]]:
    """The area key a heading suggests, and the other words that should reach the same area."""
    module = _TORCH_MODULE.search(name)
    one_word = _ONE_WORD.search(name)
    short = short_slug(_PARENTHESISED.sub(" ", name))
    if module:
        dotted = module.group(1).replace("/", ".")
        key = dotted.rsplit(".", 1)[1]
        aliases = [dotted, short]
    elif one_word and one_word.group(1).isupper():  # "AOT Inductor (AOTI) & AOTI Runtime": AOTI names it
        key = one_word.group(1).lower()
        aliases = [short]
    else:
        key = short or short_slug(name) or "area"
        aliases = [one_word.group(1).lower()] if one_word else []
    return key, [alias for alias in dict.fromkeys(aliases) if alias and alias.casefold() != key.casefold()]


def unique_areas(names: list[str]) -> list[tuple[str, list[str]]]:
    """Keys and aliases for headings in file order, with no word shared between two areas."""
    wanted = [key_and_aliases(name) for name in names]
    taken: set[str] = set()
    keys = []
    for key, _ in wanted:
        unique, suffix = key, 2
        while unique.casefold() in taken:
            unique, suffix = f"{short_slug(key, KEY_LIMIT - len(str(suffix)) - 1)}-{suffix}", suffix + 1
        taken.add(unique.casefold())
        keys.append(unique)
    # Keys claim their words before any alias does, as the loader checks them.
    result = []
    for key, (_, aliases) in zip(keys, wanted, strict=True):
        kept = []
        for alias in aliases:
            if alias.casefold() not in taken:
                taken.add(alias.casefold())
                kept.append(alias)
        result.append((key, kept))
    return result


class PeopleDirectory:
    """Gives every entry its `people` key: one per person, whatever case their handle was written in."""

    def __init__(self, entries: Iterable[Entry]):
        entries = list(entries)
        spellings: dict[str, Counter[str]] = {}
        names: dict[str, Counter[str]] = {}
        for entry in entries:
            if entry.handle:
                folded = entry.handle.casefold()
                spellings.setdefault(folded, Counter())[entry.handle] += 1
                names.setdefault(folded, Counter())[entry.name] += 1
        # Counter.most_common keeps first-seen order among equal counts: ties go to the first seen.
        self._key_of_handle = {folded: seen.most_common(1)[0][0] for folded, seen in spellings.items()}
        by_name: dict[str, set[str]] = {}
        for folded, seen in names.items():
            for name in seen:
                by_name.setdefault(name.casefold(), set()).add(self._key_of_handle[folded])
        self._handle_of_name = {name: next(iter(keys)) for name, keys in by_name.items() if len(keys) == 1}
        self.names: dict[str, str] = {
            self._key_of_handle[folded]: seen.most_common(1)[0][0] for folded, seen in names.items()
        }
        # Keys differing only in case are one person to the loader, so handle-less names fold too.
        self._key_of_name: dict[str, str] = {}
        for entry in entries:
            folded = entry.name.casefold()
            if entry.handle or folded in self._handle_of_name or folded in self._key_of_name:
                continue
            key = entry.name
            if folded in self._key_of_handle:  # a handle-less "Lavender" is not @lavender
                key = f"{entry.name} (no handle)"
            self._key_of_name[folded] = key
            self.names[key] = entry.name

    def key(self, entry: Entry) -> str:
        if entry.handle:
            return self._key_of_handle[entry.handle.casefold()]
        folded = entry.name.casefold()
        return self._handle_of_name.get(folded) or self._key_of_name[folded]

    def keys(self, entries: Iterable[Entry]) -> list[str]:
        return list(dict.fromkeys(self.key(entry) for entry in entries))


def build_config(governance: Governance) -> dict:
    """The app.yaml content as plain data (areas carry their group under `_group` for the renderer)."""
    everyone = [governance.lead, *governance.core] if governance.lead else list(governance.core)
    everyone += [entry for module in governance.modules for entry in module.entries]
    people = PeopleDirectory(everyone)
    core_active = people.keys(governance.core_active)
    areas = []
    named = unique_areas([module.name for module in governance.modules])
    for module, (key, aliases) in zip(governance.modules, named, strict=True):
        active = people.keys(module.active)
        area: dict = {"key": key, "name": module.name, "maintainers": active}
        emeritus = [person for person in people.keys(module.emeritus) if person not in active]
        if emeritus:
            area["emeritus"] = emeritus
        if aliases:
            area["aliases"] = aliases
        if module.sunset:
            area["sunset"] = True
        area["_group"] = module.group
        areas.append(area)
    return {
        "project": "PyTorch",
        "lead": people.key(governance.lead) if governance.lead else core_active[0],
        "core": {"maintainers": core_active,
                 "emeritus": [key for key in people.keys(governance.core_emeritus) if key not in core_active]},
        "areas": areas,
        "people": {key: {"name": people.names[key]}
                   for key in sorted(people.names, key=lambda key: (key.casefold(), key))},
    }


def render(config: dict, source_format: str = "md") -> str:
    """app.yaml text: a header, the hierarchy, the areas under comments naming their group, people."""
    header = (
        f"# Upline app.yaml imported from PyTorch's persons_of_interest.{source_format} "
        "by `upline import pytorch`.\n"
        "# Add each person's Slack user ID (`slack: U…`) under `people:`: until then they cannot be pinged\n"
        "# and `upline check` warns about them. Re-importing overwrites hand edits, so keep them small.\n\n"
    )
    top = {name: config[name] for name in ("project", "lead", "core")}
    if not top["core"].get("emeritus"):
        top["core"] = {"maintainers": top["core"]["maintainers"]}
    text = header + _dump(top) + ("\nareas:\n" if config["areas"] else "\nareas: []\n")
    current = None
    for area in config["areas"]:
        area = dict(area)
        group = area.pop("_group", None)
        if group and group != current:
            text += f"\n  # {group}\n"
        current = group
        text += _indent(_dump([area]))
    return text + "\npeople:\n" + _indent(_dump(config["people"]))


class _Dumper(yaml.SafeDumper):
    """SafeDumper writing a short list of names on one line and a long one as one name per line."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    short = all(isinstance(item, str) for item in data) and sum(len(item) + 2 for item in data) <= 80
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=short)


_Dumper.add_representer(list, _represent_list)


def _dump(data: object) -> str:
    # width: a long name is never folded across lines inside its quotes.
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None,
                     width=1000)


def _indent(text: str) -> str:
    return "".join(f"  {line}" if line.strip() else line for line in text.splitlines(keepends=True))
