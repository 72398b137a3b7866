"""Drafts: kept under a token beside the runtime settings, read back whole, dropped alone or by age."""

from __future__ import annotations

from datetime import timedelta

from storage.drafts import DraftRepository
from tests.storage.conftest import NOW

DRAFT = {"asker": "U0ASKER", "kind": "question", "text": "why?\n" + "é" * 5000, "thread": None}


def test_a_draft_round_trips_with_the_moment_it_was_kept(make_uow):
    with make_uow() as uow:
        DraftRepository(uow.session).add("abc", DRAFT, NOW)
        uow.commit()
    with make_uow(read_only=True) as uow:
        assert DraftRepository(uow.session).get("abc") == (DRAFT, NOW)
        assert DraftRepository(uow.session).get("other") is None


def test_discard_drops_that_draft_only(make_uow):
    with make_uow() as uow:
        drafts = DraftRepository(uow.session)
        drafts.add("one", DRAFT, NOW)
        drafts.add("two", DRAFT, NOW)
        uow.commit()
    with make_uow() as uow:
        DraftRepository(uow.session).discard("one")
        uow.commit()
    with make_uow(read_only=True) as uow:
        assert [DraftRepository(uow.session).get(token) is None for token in ("one", "two")] == [True, False]


def test_purge_drops_old_drafts_and_leaves_settings_alone(make_uow):
    with make_uow() as uow:
        drafts = DraftRepository(uow.session)
        drafts.add("old", DRAFT, NOW - timedelta(days=2))
        drafts.add("new", DRAFT, NOW)
        uow.settings.put("sandbox_clock_offset", 60, NOW - timedelta(days=30))
        uow.commit()
    with make_uow() as uow:
        assert DraftRepository(uow.session).purge(kept_before=NOW - timedelta(days=1)) == 1
        uow.commit()
    with make_uow(read_only=True) as uow:
        drafts = DraftRepository(uow.session)
        assert drafts.get("old") is None and drafts.get("new") is not None
        assert uow.settings.get("sandbox_clock_offset") == 60
