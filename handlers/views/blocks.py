"""Block Kit pieces the decision messages share, and user text made safe to put in them: escaped, and
cut to fit Slack's limits without splitting an `&amp;` or a mention's `<@U…>`.

    section("*Votes*\\n…")            a mrkdwn section, cut at 3,000 characters
    quoted("Deprecate it", 1200)     "> Deprecate it", and whether it had to be cut
    excerpt("First line\\nmore")      "First line …": one line of user text, for a list
"""

from __future__ import annotations

import re

from handlers.views.text import SECTION_LIMIT, escape

_ENTITY_TAIL = re.compile(r"&[a-z]*$")  # a cut that split "&amp;" leaves "&am": drop it
_MENTION_TAIL = re.compile(r"<[^>]*$")  # a cut inside "<@U0ALBAN>" or a date token: drop it


def excerpt(text: str | None, limit: int = 80) -> str:
    """The first line of user text, cut at `limit`, escaped (cut first, so the cut splits no entity)."""
    lines = (text or "").strip().splitlines()
    first = lines[0] if lines else ""
    cut = len(first) > limit or len(lines) > 1
    return escape(first[:limit].rstrip()) + (" …" if cut else "")


def quoted(text: str, room: int) -> tuple[str, bool]:
    """User text escaped as a mrkdwn quote in at most `room` characters; True when it had to be cut."""
    lines = escape(text.strip()).splitlines() or [""]
    full = "\n".join("> " + line for line in lines)
    if len(full) <= room:
        return full, False
    cut = _ENTITY_TAIL.sub("", full[:max(room - 2, 0)].rsplit(" ", 1)[0])
    return cut + " …", True


def fit(markdown: str, limit: int = SECTION_LIMIT) -> str:
    """Markup within `limit` characters (only lists of people, rounds and events run that long)."""
    if len(markdown) <= limit:
        return markdown
    return _MENTION_TAIL.sub("", _ENTITY_TAIL.sub("", markdown[:limit - 2])).rstrip() + " …"


def section(markdown: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": fit(markdown)}}


def quoted_section(heading: str, text: str) -> tuple[dict, bool]:
    """`heading` over user text quoted whole when the two fit one section; True when the text was cut."""
    quote, cut = quoted(text, SECTION_LIMIT - len(heading) - 1)
    return section(f"{heading}\n{quote}"), cut


def context(markdown: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": fit(markdown)}]}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}
