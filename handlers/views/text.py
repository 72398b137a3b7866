"""Safe text for Slack: user text escaped, people as mentions, times as date tokens, within limits."""

from __future__ import annotations

from datetime import datetime

from bot.config.schema import Config

SECTION_LIMIT = 3000  # characters in one section block's text
QUOTE_LIMIT = 2800  # leaves room for the words around a quoted question


def escape(text: str) -> str:
    """Slack's three control characters: with them escaped, `<!channel>` typed by a user stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str, limit: int = QUOTE_LIMIT) -> tuple[str, bool]:
    """The question as a mrkdwn quote, cut at `limit`; True when it was cut (the full text goes in the thread)."""
    escaped = escape(text.strip())
    cut = len(escaped) > limit
    if cut:
        escaped = escaped[:limit].rsplit(" ", 1)[0].rstrip("&") + " …"
    return "\n".join("> " + line for line in escaped.splitlines() or [""]), cut


def chunks(text: str, size: int = SECTION_LIMIT - 100) -> list[str]:
    escaped = escape(text)
    return [escaped[start:start + size] for start in range(0, len(escaped), size)] or [""]


def mention(config: Config, person: str) -> str:
    """`<@U…>` for someone with a Slack ID; their name in bold otherwise (they cannot be pinged)."""
    known = config.people.get(person)
    slack = known.slack if known else (person if person.startswith(("U", "W")) else None)
    if slack:
        return f"<@{slack}>"
    return f"*{escape(known.name or person) if known else escape(person)}*"


def mentions(config: Config, people) -> str:
    return " ".join(mention(config, person) for person in people)


def slack_id(config: Config, person: str) -> str | None:
    known = config.people.get(person)
    if known is not None:
        return known.slack
    return person if person[:1] in ("U", "W") else None


def when(moment: datetime | None) -> str:
    """A date token: each reader sees the moment in their own time zone."""
    if moment is None:
        return "—"
    epoch = int(moment.timestamp())
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|{fallback}>"


def level_label(config: Config, level: str) -> str:
    if level == "core":
        return "core maintainers"
    if level == "lead":
        return "lead"  # read as "to the lead", "with the lead"
    key = level.removeprefix("area:")
    return f"{key} maintainers"
