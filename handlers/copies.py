"""Where a ticket's messages go, read from the copies of it already posted (pure: no Slack calls).

A note for a rung — a reminder, "the asker replied" — goes to the thread of the newest post that rung
got about the ticket: its own post after a climb, else the ping. A reminder at the core goes to the
#core post's thread, not to the area's ping, where core maintainers may not even be members and a
mention would notify nobody. When the rung got its post as DMs, each person's note goes in their own.
"""

from __future__ import annotations

from storage.repositories import SlackRefs

EMPTY = SlackRefs(None, None, None, None)


def ping_threads(refs: SlackRefs) -> list[tuple[str, str]]:
    """The threads of the ticket's pings: the channel's, or each DM's."""
    threads = [(copy.channel, copy.ts) for copy in refs.copies if copy.role == "ping"]
    if not threads and refs.ping_ts:  # a ticket pinged before copies were kept
        threads = [(refs.ping_channel, refs.ping_ts)]
    return threads


def note_threads(refs: SlackRefs, level: str, people: tuple[str, ...]) -> tuple[list[tuple[str, str]], list[str]]:
    """(threads to post in, people left without one) for a note to `people` of `level`."""
    for role in ("rung", "ping"):
        mine = [copy for copy in reversed(refs.copies) if copy.role == role and copy.data.get("level") == level]
        if mine:
            break
    else:
        mine = []
    if not mine:
        if refs.ping_ts and not refs.copies:  # a ticket pinged before copies were kept
            return [(refs.ping_channel, refs.ping_ts)], []
        return [], list(people)
    in_channel = next((copy for copy in mine if "person" not in copy.data), None)
    if in_channel is not None:
        return [(in_channel.channel, in_channel.ts)], []
    threads, rest = [], []
    for person in people:
        own = next((copy for copy in mine if copy.data.get("person") == person), None)
        if own is None:
            rest.append(person)
        else:
            threads.append((own.channel, own.ts))
    return threads, rest


def channel_ping(refs: SlackRefs) -> tuple[str, str] | None:
    """The ping in a channel (a DM ping is nobody else's to open), for links."""
    for copy in refs.copies:
        if copy.role == "ping" and "person" not in copy.data:
            return copy.channel, copy.ts
    if refs.ping_ts and not refs.copies:
        return refs.ping_channel, refs.ping_ts
    return None
