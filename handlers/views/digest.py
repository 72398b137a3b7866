"""The weekly digests as Block Kit: a header with the week, then one short section per list.

    text, blocks = core_digest(config, content)     # the content a `digest.core` row carries
    text, blocks = area_digest(config, content)     # a `digest.area` row's

A list longer than fits is cut with a count and a pointer ("…and 14 more — `/status`, App Home"),
each section within Slack's 3,000 characters, the message within 50 blocks, the header within 150.
Only who must act is mentioned — the holder of a ticket that breached and is still open, who has not
voted, who owes a rationale; everyone else is named. Ticket texts and proposals are escaped, so a
`<!channel>` typed into a question stays text. A digest sent late (Upline was down at its moment) says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config.schema import Config
from bot.domain.durations import format_duration
from handlers.views.blocks import context, excerpt, header, section
from handlers.views.text import SECTION_LIMIT, escape, level_label, mention, when

MAX_BLOCKS = 50
LINES = 10  # lines of one list before it is cut: a digest is glanced at
POINTER = "`/status`, App Home"
_ROOM = SECTION_LIMIT - 200  # for the heading and the "…and N more" line


def core_digest(config: Config, content: dict) -> tuple[str, list[dict]]:
    now = _at(content["computed_at"])
    blocks = [header(f"{config.project} — the core's week, {_week(content)}"), *_late(content)]
    blocks.append(_list("Breached this week", content["breached"],
                        lambda item: _breached(config, item), "Nothing breached."))
    blocks.append(_list("Oldest open tickets", _flat_oldest(content["oldest_open"]),
                        lambda item: _oldest(config, item), "No open tickets."))
    blocks.append(_list("Votes open", content["votes_open"], lambda item: _vote(config, item), "No vote is open."))
    blocks.append(_list("Rationales missing", content["rationales_missing"],
                        lambda item: _rationale(config, item, now), "Every decision has its rationale."))
    review = f" (the review: {when(_at(content['next_review_at']))})" if content.get("next_review_at") else ""
    blocks.append(_list(f"Nominations waiting for the next review{review}", content["nominations"],
                        lambda item: _nomination(config, item), "No nomination is waiting."))
    blocks.append(_list("Suggested for emeritus", content["emeritus"], lambda item: _emeritus(config, item),
                        "Nobody is inactive."))
    blocks.append(_list("SLA compliance, this week against last", {"items": content["compliance"],
                                                                     "total": len(content["compliance"])},
                        _compliance, "No areas."))
    blocks.append(context(f"Everything open: {POINTER}."))
    text = (f"The core's week: {content['breached']['total']} breached, {content['votes_open']['total']} votes open, "
            f"{content['rationales_missing']['total']} rationales missing")
    return text, blocks[:MAX_BLOCKS]


def area_digest(config: Config, content: dict) -> tuple[str, list[dict]]:
    now, area = _at(content["computed_at"]), content["area"]
    found = config.area(area)
    title = found.title if found else area
    blocks = [header(f"{title} — the week, {_week(content)}"), *_late(content)]
    blocks.append(_list("Open, oldest first", content["open"], lambda item: _open(config, item, now),
                        "Nothing open."))
    blocks.append(_list("Decisions this week", content["decisions"], _decided, "No decisions this week."))
    blocks.append(context(f"Everything open: {POINTER}."))
    text = f"{title}, the week: {content['open']['total']} open, {content['decisions']['total']} decisions"
    return text, blocks[:MAX_BLOCKS]


# -- lists --------------------------------------------------------------------------------------


def _list(heading: str, kept: dict, line, empty: str) -> dict:
    """One section: `heading`, a line per item while they fit, then how many more there are."""
    lines, used = [], 0
    for item in kept["items"][:LINES]:
        drawn = "• " + line(item)
        if used + len(drawn) + 1 > _ROOM:
            break
        lines.append(drawn)
        used += len(drawn) + 1
    more = kept["total"] - len(lines)
    if more:
        lines.append(f"…and {more} more — {POINTER}")
    return section(f"*{heading}*\n" + ("\n".join(lines) if lines else f"_{empty}_"))


def _flat_oldest(areas: list[dict]) -> dict:
    items = [item | {"of": area["area"], "area_total": area["total"]} for area in areas for item in area["tickets"]]
    return {"items": items, "total": sum(area["total"] for area in areas)}


# -- lines --------------------------------------------------------------------------------------


def _breached(config: Config, item: dict) -> str:
    where = "resolved" if item["state"] == "resolved" else f"now with {level_label(config, item['level'])}"
    holder = item.get("holder")
    # The holder of a ticket still open must act on it; nobody must act on a resolved one.
    who = (mention if item["state"] != "resolved" else _name)(config, holder) if holder else None
    held = f", held by {who}" if who else ""
    times = f" ({item['breaches']} breaches)" if item["breaches"] > 1 else ""
    return f"{_ticket(item)}{times} — {where}{held}"


def _oldest(config: Config, item: dict) -> str:
    holder = item.get("holder")
    held = f"held by {_name(config, holder)}" if holder else f"nobody has it yet ({level_label(config, item['level'])})"
    area = f"*{escape(item['of'])}* " if item.get("of") else ""
    return f"{area}{_ticket(item)} — opened {when(_at(item['created_at']))}, {held}"


def _vote(config: Config, item: dict) -> str:
    closes = f"closes {when(_at(item['closes_at']))}" if item.get("closes_at") else "with the lead"
    waiting = ", ".join(mention(config, person) for person in item["waiting_on"])
    return f"{_decision(item)} — {closes}" + (f"; not voted yet: {waiting}" if waiting else "")


def _rationale(config: Config, item: dict, now: datetime) -> str:
    due = f"{'was due' if item['overdue'] else 'due'} {when(_at(item['due_at']))}" if item.get("due_at") else "due"
    owed = ", ".join(mention(config, person) for person in item["owed_by"])
    return f"{_decision(item)} — {due}" + (f"; owed by {owed}" if owed else "")


def _nomination(config: Config, item: dict) -> str:
    change = "remove" if item["action"] == "remove" else "add"
    target = "the core" if item["target"] == "core" else escape(item["target"])
    preposition = "from" if change == "remove" else "to"
    return f"#{item['nomination']}: {change} {_name(config, item['person'])} {preposition} {target}"


def _emeritus(config: Config, item: dict) -> str:
    target = "the core" if item["target"] == "core" else escape(item["target"])
    reason = f" — {escape(item['reason'])}" if item.get("reason") else ""
    return f"{_name(config, item['person'])} ({target}){reason}"


def _compliance(item: dict) -> str:
    return f"*{escape(item['area'])}* {item['trend']} {_percent(item['this'])} (last week {_percent(item['last'])})"


def _open(config: Config, item: dict, now: datetime) -> str:
    holder = item.get("holder")
    held = f"held by {_name(config, holder)}" if holder else f"nobody has it yet ({level_label(config, item['level'])})"
    return f"{_ticket(item)} — {held}, {_left(item, now)}"


def _decided(item: dict) -> str:
    outcome = item.get("outcome") or item["state"]
    return f"{_decision(item)} — {escape(outcome)}"


# -- pieces -------------------------------------------------------------------------------------


def _ticket(item: dict) -> str:
    return f"#{item['ticket']} {excerpt(item['text'], 70)}"


def _decision(item: dict) -> str:
    return f"#{item['decision']} {excerpt(item['proposal'], 70)}"


def _name(config: Config, person: str) -> str:
    """Someone named, not pinged: their name, or the key or ID they are known by."""
    known = config.people.get(person)
    return f"*{escape(known.name or person if known else person)}*"


def _left(item: dict, now: datetime) -> str:
    if item["state"] == "waiting":
        return "waiting on the asker"
    if not item.get("due_at"):
        return "no deadline"
    left = _at(item["due_at"]) - now
    if left <= timedelta(0):
        return f"overdue by {format_duration(_rounded(-left))}"
    return f"{format_duration(_rounded(left))} left"


def _rounded(value: timedelta) -> timedelta:
    return timedelta(minutes=max(1, round(value.total_seconds() / 60)))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _week(content: dict) -> str:
    since, until = _at(content["since"]), _at(content["until"])
    return f"{since:%-d %b} – {until:%-d %b %Y}"


def _late(content: dict) -> list[dict]:
    if not content.get("late"):
        return []
    return [context(f":hourglass: Late: this digest was due {when(_at(content['due_at']))}, when Upline was not "
                    "running.")]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


__all__ = ["MAX_BLOCKS", "area_digest", "core_digest"]
