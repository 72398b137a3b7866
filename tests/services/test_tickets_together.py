"""Asks committed together: one that cannot be stored is refused alone, and never fails the others.

On real databases (SQLite always, PostgreSQL when UPLINE_TEST_DATABASE_URL is set): PostgreSQL is the
one that refuses a NUL byte or an over-long ID, and with them the whole INSERT they are part of.
"""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from bot.domain.errors import UserError
from bot.domain.ticket import Kind, Outcome
from bot.services import storable
from bot.services.tickets import NewTicket, TicketService
from storage.tables import EventRow, OutboxRow, TicketRow
from tests.services.test_tickets import CONFIG, NOW


@pytest.fixture
def service(make_uow):
    return TicketService(CONFIG, make_uow)


def ten_asks(odd_one: NewTicket, at: int = 6) -> list[NewTicket]:
    asks = [NewTicket(f"U0ASKER{n}", Kind.QUESTION, "nn", f"question {n}") for n in range(10)]
    asks[at] = odd_one
    return asks


def stored(make_uow) -> dict:
    with make_uow(read_only=True) as uow:
        session = uow.session
        return {"tickets": session.scalars(select(TicketRow.text).order_by(TicketRow.id)).all(),
                "events": session.scalar(select(func.count()).select_from(EventRow)),
                "outbox": session.scalar(select(func.count()).select_from(OutboxRow))}


def assert_nine_opened_and_nothing_else(results, make_uow, refused_at=6):
    opened = [result for n, result in enumerate(results) if n != refused_at]
    assert all(isinstance(result, Outcome) for result in opened)
    assert [result.ticket.text for result in opened] == [f"question {n}" for n in range(10) if n != refused_at]
    assert stored(make_uow) == {"tickets": [result.ticket.text for result in opened], "events": 9, "outbox": 9}


def test_a_nul_byte_in_one_of_ten_asks_committed_together_refuses_only_that_one(service, make_uow):
    results = service.open_many(ten_asks(NewTicket("U0NUL", Kind.QUESTION, "nn", "How do I\x00 hook?")), NOW)
    assert isinstance(results[6], UserError)
    assert "control character (U+0000) at character 9" in str(results[6]) and "Remove it" in str(results[6])
    assert_nine_opened_and_nothing_else(results, make_uow)


def test_an_over_long_user_id_in_one_of_ten_asks_refuses_only_that_one(service, make_uow):
    results = service.open_many(ten_asks(NewTicket("U" * 101, Kind.QUESTION, "nn", "question 6")), NOW)
    assert isinstance(results[6], UserError) and "your user ID is 101 characters long" in str(results[6])
    assert_nine_opened_and_nothing_else(results, make_uow)


def test_a_thread_id_that_cannot_be_stored_refuses_only_its_ask(service, make_uow):
    odd = NewTicket("U0ASKER6", Kind.QUESTION, "nn", "question 6", thread=("C" * 41, "1700000000.000100"))
    results = service.open_many(ten_asks(odd), NOW)
    assert isinstance(results[6], UserError) and "the channel ID of the thread" in str(results[6])
    assert_nine_opened_and_nothing_else(results, make_uow)


def test_a_single_ask_that_cannot_be_stored_raises_its_user_error(service, make_uow):
    with pytest.raises(UserError, match="U\\+001B"):
        service.ask(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text="\x1b[31mred\x1b[0m", now=NOW)
    assert stored(make_uow) == {"tickets": [], "events": 0, "outbox": 0}


@pytest.fixture
def poisoned(migrated_engine):
    """The database itself refuses any ticket whose text says 'poison' (a failure checks cannot foresee)."""
    statements = {
        "sqlite": ["CREATE TRIGGER refuse_poison BEFORE INSERT ON tickets WHEN NEW.text LIKE '%poison%' "
                   "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"],
        "postgresql": ["CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "IF NEW.text LIKE '%poison%' THEN RAISE EXCEPTION 'poisoned row' USING ERRCODE = "
                       "'check_violation'; END IF; RETURN NEW; END $$",
                       "CREATE TRIGGER refuse_poison BEFORE INSERT ON tickets FOR EACH ROW "
                       "EXECUTE FUNCTION refuse_poison()"],
    }[migrated_engine.dialect.name]
    with migrated_engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def test_a_database_error_on_one_row_of_the_batch_still_opens_the_others(service, make_uow, poisoned, caplog):
    results = service.open_many(ten_asks(NewTicket("U0ASKER6", Kind.QUESTION, "nn", "poison")), NOW)
    assert "poisoned row" in str(results[6]) and not isinstance(results[6], UserError)  # a bug: logged, not shown
    assert_nine_opened_and_nothing_else(results, make_uow)
    assert "a batch of 10 asks failed to commit" in caplog.text


def test_every_row_failing_in_the_database_gives_each_ask_its_error_and_stores_nothing(service, make_uow, poisoned):
    results = service.open_many([NewTicket(f"U0ASKER{n}", Kind.QUESTION, "nn", f"poison {n}") for n in range(3)], NOW)
    assert all("poisoned row" in str(result) for result in results)
    assert stored(make_uow) == {"tickets": [], "events": 0, "outbox": 0}


def test_on_postgresql_a_nul_the_checks_missed_fails_only_its_own_ask(service, make_uow, migrated_engine, monkeypatch):
    if migrated_engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL refuses NUL in text; SQLite keeps it")
    monkeypatch.setattr(storable, "refusal", lambda request, asker: None)  # as if the checks had a gap
    results = service.open_many(ten_asks(NewTicket("U0NUL", Kind.QUESTION, "nn", "How do I\x00 hook?")), NOW)
    assert "cannot contain NUL" in str(results[6])
    assert_nine_opened_and_nothing_else(results, make_uow)


def test_a_database_out_of_reach_fails_the_batch_once_without_trying_each_ask(make_uow):
    tries = []

    def unreachable(**options):
        tries.append(options)
        raise OperationalError("BEGIN IMMEDIATE", {}, TimeoutError("database is locked"))

    with pytest.raises(OperationalError):
        TicketService(CONFIG, unreachable).open_many(ten_asks(NewTicket("U0", Kind.QUESTION, "nn", "q")), NOW)
    assert len(tries) == 1  # ten more waits for the same lock would only delay the answer
