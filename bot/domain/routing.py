"""Which area a question belongs to — found or openly not found, never a silent guess.

1. The first word is an area key or alias (any case): `/ask nn How do I …` goes to nn.
2. Otherwise the text is searched for the areas' keywords and for file paths their `paths` globs
   cover (`torch/nn/modules/conv.py`); one clear winner is taken, a tie is not.
3. Otherwise there is no area, and the three closest areas are suggested ("did you mean nn?").

Sunset areas are reached only by name, and the match says so, so the caller can warn the asker;
keywords and paths never route a new question to them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

import pathspec

from bot.config.schema import Area, Config

_PATH_TOKEN = re.compile(r"[\w.+-]*/[\w./+-]*|[\w+-]+\.(?:py|pyi|cpp|cc|c|h|hpp|cu|cuh|yaml|yml|txt|md|rst|sh)\b")


@dataclass(frozen=True)
class AreaMatch:
    area: Area | None
    question: str  # the text without the leading area word when there was one
    how: str  # "key", "alias", "keyword", "path" or "none"
    matched: str | None = None  # the word, keyword or path that decided it
    suggestions: tuple[str, ...] = ()  # area keys to offer when nothing (or a tie) was found

    @property
    def sunset(self) -> bool:
        return self.area is not None and self.area.sunset


def find_area(config: Config, text: str) -> AreaMatch:
    text = text.strip()
    first, _, rest = text.partition(" ")
    named = _by_name(config, first)
    if named is not None:
        area, how = named
        return AreaMatch(area, rest.strip(), how, first)
    live = [area for area in config.areas if not area.sunset]
    by_content = _by_keyword(live, text) or _by_path(live, text)
    if by_content is not None:
        return by_content
    return AreaMatch(None, text, "none", suggestions=closest_areas(config, first or text))


def _by_name(config: Config, word: str) -> tuple[Area, str] | None:
    folded = word.casefold()
    for area in config.areas:
        if area.key.casefold() == folded:
            return area, "key"
    for area in config.areas:
        if any(alias.casefold() == folded for alias in area.aliases):
            return area, "alias"
    return None


def _by_keyword(areas: list[Area], text: str) -> AreaMatch | None:
    folded = text.casefold()
    hits: dict[str, tuple[Area, str]] = {}
    for area in areas:
        for keyword in area.keywords:
            if re.search(rf"(?<!\w){re.escape(keyword.casefold())}(?!\w)", folded):
                hits.setdefault(area.key, (area, keyword))
    return _single_winner(hits, text, "keyword")


def _by_path(areas: list[Area], text: str) -> AreaMatch | None:
    """The area whose most specific pattern covers a path named in the text (CODEOWNERS-style)."""
    best: dict[str, tuple[Area, str]] = {}
    best_length = 0
    for token in _PATH_TOKEN.findall(text):
        path = token.strip("./").strip()
        if not path:
            continue
        for area in areas:
            for pattern in area.paths:
                if len(pattern) < best_length or not _covers(pattern, path):
                    continue
                if len(pattern) > best_length:
                    best, best_length = {}, len(pattern)
                best.setdefault(area.key, (area, token))
    return _single_winner(best, text, "path")


def _single_winner(hits: dict[str, tuple[Area, str]], text: str, how: str) -> AreaMatch | None:
    if len(hits) == 1:
        area, matched = next(iter(hits.values()))
        return AreaMatch(area, text, how, matched)
    if len(hits) > 1:  # a tie is not a decision: ask the asker to choose
        return AreaMatch(None, text, "none", suggestions=tuple(sorted(hits))[:3])
    return None


@cache
def _spec(pattern: str) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitignore", [pattern])


def _covers(pattern: str, path: str) -> bool:
    # "torch/nn" in a question names the folder that `/torch/nn/` owns.
    spec = _spec(pattern)
    return spec.match_file(path) or spec.match_file(path + "/")


def closest_areas(config: Config, word: str, limit: int = 3) -> tuple[str, ...]:
    """Area keys ranked by how close their key, aliases or name are to `word`."""
    folded = word.casefold()

    def score(area: Area) -> float:
        names = [area.key, *area.aliases, area.title]
        return max(difflib.SequenceMatcher(None, folded, name.casefold()).ratio() for name in names)

    live = [area for area in config.areas if not area.sunset] or list(config.areas)
    ranked = sorted(live, key=lambda area: (-score(area), area.key))
    return tuple(area.key for area in ranked[:limit])
