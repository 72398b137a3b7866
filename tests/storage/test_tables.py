"""Datetimes are aware UTC in and out on every backend; naive ones are refused, not guessed at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import StatementError

from storage.tables import NaiveDatetimeError, UtcDateTime
from tests.storage.conftest import NOW, make_ticket


def test_naive_datetime_is_refused(make_uow):
    with make_uow() as uow, pytest.raises(StatementError) as raised:
        uow.away.set("U0NN1", datetime(2026, 12, 1, 9, 0), by="U0NN1", now=NOW)
    assert isinstance(raised.value.orig, NaiveDatetimeError)
    assert "use timezone-aware UTC" in str(raised.value.orig)


def test_naive_datetime_in_a_query_is_refused(make_uow):
    with make_uow() as uow, pytest.raises(StatementError):
        uow.tickets.claim_due(datetime(2026, 12, 1), limit=10)


def test_other_offsets_come_back_as_the_same_instant_in_utc(make_uow):
    berlin = timezone(timedelta(hours=1))
    created = datetime(2026, 11, 26, 13, 0, 0, 123456, tzinfo=berlin)
    with make_uow() as uow:
        ticket_id = uow.tickets.add(make_ticket(created_at=created))
        uow.commit()
    with make_uow() as uow:
        loaded = uow.tickets.get(ticket_id).created_at
    assert loaded == created
    assert loaded.tzinfo is UTC
    assert loaded == datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=UTC)


def test_comparisons_with_another_offset_compare_instants(make_uow):
    with make_uow() as uow:
        uow.tickets.add(make_ticket(next_due_at=NOW))
        uow.commit()
    an_hour_later_in_new_york = (NOW + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-5)))
    an_hour_earlier_in_tokyo = (NOW - timedelta(hours=1)).astimezone(timezone(timedelta(hours=9)))
    with make_uow() as uow:
        assert len(uow.tickets.claim_due(an_hour_later_in_new_york, limit=10)) == 1
        assert uow.tickets.claim_due(an_hour_earlier_in_tokyo, limit=10) == []


@pytest.mark.parametrize("value", [
    datetime(2026, 11, 26, 15, 0, tzinfo=UTC),  # whole seconds: still six digits of microseconds
    datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC),
    datetime(2026, 3, 29, 3, 30, 0, 123, tzinfo=ZoneInfo("Europe/Berlin")),  # summer time: stored in UTC
    datetime(2026, 11, 1, 1, 30, tzinfo=timezone(timedelta(hours=-7))),
    datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
])
def test_sqlite_text_is_exactly_what_sqlalchemys_own_datetime_writes(value):
    dialect = sqlite.dialect()
    ours = UtcDateTime().bind_processor(dialect)
    theirs = DateTime().dialect_impl(dialect).bind_processor(dialect)  # what SQLAlchemy itself stores
    assert ours(value) == theirs(value.astimezone(UTC).replace(tzinfo=None))
    assert ours(None) is None


def test_the_sqlite_text_writer_refuses_naive_datetimes_too():
    with pytest.raises(NaiveDatetimeError):
        UtcDateTime().bind_processor(sqlite.dialect())(datetime(2026, 11, 26, 15, 0))
