"""Confirmed hierarchy changes kept until `upline governance apply` writes them: on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.hierarchy import ChangeKind, HierarchyChange
from tests.storage.conftest import NOW

KSHITIJ = HierarchyChange(ChangeKind.ADD_MAINTAINER, "kshitij12345", "nn", decided_in=41,
                          decided_at=NOW - timedelta(days=1), name="Kshitij Kalambarkar", slack="U0KSHITIJ")


def test_a_change_comes_back_with_its_id_and_every_field(make_uow):
    with make_uow() as uow:
        stored = uow.hierarchy.add(KSHITIJ, NOW)
        uow.commit()
    assert stored.id is not None
    with make_uow(read_only=True) as uow:
        assert uow.hierarchy.all() == [stored]
    assert stored.decided_at == NOW - timedelta(days=1) and stored.applied_at is None


def test_a_change_without_a_decision_time_is_decided_now_and_the_core_is_no_area(make_uow):
    with make_uow() as uow:
        lead = uow.hierarchy.add(HierarchyChange(ChangeKind.NEW_LEAD, "ezyang", None), NOW)
        uow.commit()
    with make_uow(read_only=True) as uow:
        [loaded] = uow.hierarchy.pending()
    assert loaded == lead and loaded.area is None and loaded.decided_at == NOW and loaded.decided_in is None


def test_pending_is_oldest_first_and_leaves_out_what_was_applied(make_uow):
    with make_uow() as uow:
        first = uow.hierarchy.add(KSHITIJ, NOW)
        second = uow.hierarchy.add(HierarchyChange(ChangeKind.TO_EMERITUS, "jbschlosser", "optim"), NOW)
        third = uow.hierarchy.add(HierarchyChange(ChangeKind.REMOVE, "fegin", "distributed"), NOW)
        uow.commit()
    assert [change.id for change in (first, second, third)] == sorted([first.id, second.id, third.id])
    with make_uow() as uow:
        uow.hierarchy.mark_applied([first.id, third.id], NOW + timedelta(hours=1))
        uow.hierarchy.mark_applied([], NOW)  # nothing to mark is no statement
        uow.commit()
    with make_uow(read_only=True) as uow:
        assert uow.hierarchy.pending() == [second]
        every = uow.hierarchy.all()
    assert [change.id for change in every] == [first.id, second.id, third.id]
    assert [change.applied_at for change in every] == [NOW + timedelta(hours=1), None, NOW + timedelta(hours=1)]


def test_an_uncommitted_change_is_not_kept(make_uow):
    with make_uow() as uow:
        uow.hierarchy.add(KSHITIJ, NOW)
    with make_uow(read_only=True) as uow:
        assert uow.hierarchy.all() == []


def test_a_stored_change_cannot_be_added_again(make_uow):
    with make_uow() as uow:
        stored = uow.hierarchy.add(KSHITIJ, NOW)
        with pytest.raises(ValueError, match="stored already"):
            uow.hierarchy.add(stored, NOW)
