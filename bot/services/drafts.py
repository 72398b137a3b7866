"""A question kept for a day while its asker picks the area from a list: keep, find, discard.

Each is one transaction. A draft is its asker's: `find` gives it to nobody else, and not after
`LIFETIME`; keeping a new one drops those older than that, so the drafts never pile up.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.domain.ticket import Kind
from storage.drafts import DraftRepository

LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class Draft:
    asker: str
    kind: Kind
    text: str
    thread: tuple[str, str] | None = None  # (channel, ts) of the thread `@Upline ask` was written in


def keep_draft(unit_of_work: Callable[..., Any], draft: Draft, now: datetime) -> str:
    """Keep the draft; returns its token (22 characters, unguessable)."""
    token = secrets.token_urlsafe(16)
    with unit_of_work() as uow:
        drafts = DraftRepository(uow.session)
        drafts.purge(kept_before=now - LIFETIME)
        drafts.add(token, {"asker": draft.asker, "kind": draft.kind.value, "text": draft.text,
                           "thread": list(draft.thread) if draft.thread else None}, now)
        uow.commit()
    return token


def find_draft(unit_of_work: Callable[..., Any], token: str, asker: str, now: datetime) -> Draft | None:
    """The asker's draft under that token, or None (unknown, another person's, or older than LIFETIME)."""
    with unit_of_work(read_only=True) as uow:
        found = DraftRepository(uow.session).get(token)
    if found is None:
        return None
    fields, kept_at = found
    if fields.get("asker") != asker or now - kept_at > LIFETIME:
        return None
    thread = fields.get("thread")
    return Draft(fields["asker"], Kind(fields["kind"]), fields["text"], tuple(thread) if thread else None)


def discard_draft(unit_of_work: Callable[..., Any], token: str) -> None:
    with unit_of_work() as uow:
        DraftRepository(uow.session).discard(token)
        uow.commit()
