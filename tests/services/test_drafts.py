"""Drafts as the area picker uses them: the asker's own, for a day, and never piling up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.ticket import Kind
from bot.services.drafts import LIFETIME, Draft, discard_draft, find_draft, keep_draft
from storage.drafts import DraftRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DRAFT = Draft("U0ASKER", Kind.ESCALATION, "optimm adam defaults changed", ("C0GENERAL", "1700000000.000100"))


def test_a_kept_draft_is_found_by_its_asker_whole(make_uow):
    token = keep_draft(make_uow, DRAFT, NOW)
    assert len(token) >= 20
    assert find_draft(make_uow, token, "U0ASKER", NOW + timedelta(hours=1)) == DRAFT


def test_nobody_else_finds_it(make_uow):
    token = keep_draft(make_uow, DRAFT, NOW)
    assert find_draft(make_uow, token, "U0STRANGER", NOW) is None


def test_it_is_not_found_after_a_day_or_once_discarded(make_uow):
    token = keep_draft(make_uow, DRAFT, NOW)
    assert find_draft(make_uow, token, "U0ASKER", NOW + LIFETIME + timedelta(seconds=1)) is None
    discard_draft(make_uow, token)
    assert find_draft(make_uow, token, "U0ASKER", NOW) is None


def test_keeping_a_draft_drops_the_ones_older_than_a_day(make_uow):
    old = keep_draft(make_uow, DRAFT, NOW)
    recent = keep_draft(make_uow, DRAFT, NOW + timedelta(hours=20))
    keep_draft(make_uow, Draft("U0ASKER", Kind.QUESTION, "why?"), NOW + LIFETIME + timedelta(minutes=1))
    with make_uow(read_only=True) as uow:
        drafts = DraftRepository(uow.session)
        assert drafts.get(old) is None and drafts.get(recent) is not None
