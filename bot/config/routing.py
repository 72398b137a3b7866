"""Which area a question belongs to — found or openly not found, never a silent guess.

1. The first word is an area key or alias (any case): `/ask nn How do I …` goes to nn.
2. Otherwise the text is searched for the areas' keywords and for file paths their `paths` globs
   cover (`torch/nn/modules/conv.py`); one clear winner is taken, a tie is not.
3. Otherwise there is no area. The areas the text comes *close* to are suggested ("did you mean
   optim?"), at most three, and none when nothing is close: then the asker picks from all of them.

"Close" (`close_areas`): a word of the question is spelt almost like a word of the area — its key,
an alias, a keyword or a word of its name — with difflib's similarity ratio at least 0.8
(`optimm` ~ `optim` 0.91, `autgrad` ~ `autograd` 0.93, `hooks` ~ `hook` 0.89; `cpu` ~ `cuda` is
0.57, not close), or is a word of four letters or more inside one (`dynamo` in `torchdynamo`).
Words under three letters count only when spelt exactly (`nn`, `ci`); common words (`the`, `and`,
`api` …) and words that three or more areas share (`torch` in every `torch.X` alias) say nothing
about the area and are left out. Only the first 100 distinct words of
the question are compared, so a pasted log cannot make routing slow. Two areas that matched
equally by keyword or path are close too: they are the ones offered.

Sunset areas are reached only by name, and the match says so, so the caller can warn the asker;
keywords and paths never route a new question to them, and they are never suggested.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
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
    suggestions: tuple[str, ...] = ()  # close area keys to offer when nothing (or a tie) was found; may be empty

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
    return AreaMatch(None, text, "none", suggestions=close_areas(config, text))


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


CLOSE = 0.8  # difflib ratio from which a word is taken as a misspelling of an area's word
CONTAINED = 0.85  # a word found inside an area's word: close, but less than a near-exact spelling
MAX_WORDS = 100  # distinct words of a question compared, at most
_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
_COMMON = frozenset({"a", "an", "and", "api", "apis", "are", "can", "does", "for", "from", "how", "in", "is",
                     "it", "of", "on", "or", "the", "to", "tools", "utils", "what", "when", "why", "with"})


def close_areas(config: Config, text: str, limit: int = 3) -> tuple[str, ...]:
    """Keys of the live areas a word of `text` comes close to, closest first; () when none is close."""
    live = [area for area in config.areas if not area.sunset]
    vocabularies = {area.key: _vocabulary(area) for area in live}
    shared = Counter(word for words in vocabularies.values() for word in words)
    asked = list(dict.fromkeys(word for word in _WORD.findall(text.casefold())
                               if word not in _COMMON and shared[word] < 3))
    scores = {}
    for key, words in vocabularies.items():
        distinctive = [word for word in words if shared[word] < 3]
        score = max((_likeness(asked_word, word) for asked_word in asked[:MAX_WORDS] for word in distinctive),
                    default=0.0)
        if score >= CLOSE:
            scores[key] = score
    return tuple(sorted(scores, key=lambda key: (-scores[key], key))[:limit])


def _vocabulary(area: Area) -> set[str]:
    names = [area.key, *area.aliases, *area.keywords, area.name or ""]
    return {word for name in names for word in _WORD.findall(name.casefold()) if word not in _COMMON}


def _likeness(asked: str, word: str) -> float:
    if asked == word:
        return 1.0
    if len(asked) < 3 or len(word) < 3:  # "on" is 0.5 like "nn": short words count only when exact
        return 0.0
    if len(asked) >= 4 and asked in word:  # "dynamo" names torchdynamo, though the ratio is only 0.71
        return CONTAINED
    matcher = difflib.SequenceMatcher(None, asked, word)
    if matcher.real_quick_ratio() < CLOSE or matcher.quick_ratio() < CLOSE:
        return 0.0
    return matcher.ratio()
