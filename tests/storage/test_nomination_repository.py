"""Nominations in storage: numbered in the #N series, back exactly as they went in, one open at a time
per (action, person, target), their deadlines claimed once, and the review's schedule held by one."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.domain.nomination_record import Action, Answer, Ask, Nomination, Nominator, ReviewSchedule, State
from storage.nomination_repository import NominationTaken
from tests.storage.conftest import make_ticket

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def nomination(**overrides) -> Nomination:
    fields = {"action": Action.ADD, "person": "kshitij", "target": "nn", "state": State.NOMINATED, "opened_at": NOW,
              "nominators": (Nominator("U0FAN", "Reviews <most> nn PRs", NOW), Nominator("upline", None, NOW + DAY))}
    return Nomination(**(fields | overrides))


def full() -> Nomination:
    """One with every field set, as a confirmed nomination that went through the whole process has them."""
    answers = (Answer("nn1", "Rewrote nn.init", "nn, optim", "Kind in review", True, NOW + DAY),
               Answer("nn2", "Some", "Little", "", False, NOW + 2 * DAY))
    ask = Ask("core1", NOW, NOW + 5 * DAY, ("nn1", "nn2", "nn3"), (0.5, 0.9), reminders_sent=1, closed=True,
              answers=answers)
    change = HierarchyChange(ChangeKind.TO_EMERITUS, "kshitij", "nn", decided_in=50, decided_at=NOW + 6 * DAY,
                             name="Kshitij K", slack="U0KSH", id=3)
    return nomination(action=Action.REMOVE, state=State.CONFIRMED, of_lead=False, emeritus=True,
                      reviewed_at=NOW + DAY, ask=ask, decision=None, closed_at=NOW + 6 * DAY, closed_by="core1",
                      reason="Inactive for a year", change=change, next_due_at=None)


def test_a_nomination_is_numbered_with_tickets_and_comes_back_as_it_went_in(make_uow):
    with make_uow() as uow:
        ticket_id = uow.tickets.add(make_ticket())
        first = uow.nominations.add(nomination())
        second = uow.nominations.add(full())
        uow.commit()
    assert (first.number, second.number) == (ticket_id + 1, ticket_id + 2)
    with make_uow() as uow:
        assert uow.nominations.get(first.number) == first
        assert uow.nominations.get(second.number) == second
        assert uow.nominations.exists(first.number) and not uow.nominations.exists(ticket_id)
        # a nomination is not a ticket to anything that reads tickets
        assert uow.tickets.get(first.number) is None
        assert [t.id for t in uow.tickets.opened_since(NOW - DAY)] == [ticket_id]


def test_a_saved_nomination_keeps_its_changes(make_uow):
    with make_uow() as uow:
        stored = uow.nominations.add(nomination())
        uow.commit()
    changed = replace(stored, state=State.ASKED, next_due_at=NOW + 2 * DAY,
                      ask=Ask("core1", NOW, NOW + 5 * DAY, ("nn1",), (0.5,)))
    with make_uow() as uow:
        uow.nominations.save_many([changed])
        uow.commit()
    with make_uow() as uow:
        assert uow.nominations.get_for_update(stored.number) == changed
        assert [n.number for n in uow.nominations.in_states([State.ASKED], "nn")] == [stored.number]
        assert uow.nominations.in_states([State.ASKED], "jit") == []
        assert [n.number for n in uow.nominations.of_person("kshitij")] == [stored.number]


def test_only_one_nomination_per_action_person_and_target_is_open(make_uow):
    with make_uow() as uow:
        first = uow.nominations.add(nomination())
        uow.commit()
    with make_uow() as uow, pytest.raises(NominationTaken):
        uow.nominations.add(nomination(nominators=(Nominator("nn1", None, NOW),)))
    with make_uow() as uow:  # another change, target or person is another nomination
        removal = uow.nominations.add(nomination(action=Action.REMOVE, person="nn1"))
        uow.nominations.add(nomination(target="jit"))
        assert uow.nominations.open_same(Action.ADD, "kshitij", "nn") == first
        uow.nominations.save_many([replace(first, state=State.REJECTED)])  # closed: the key is free again
        again = uow.nominations.add(nomination())
        uow.commit()
    with make_uow() as uow:
        assert uow.nominations.open_same(Action.ADD, "kshitij", "nn").number == again.number
        assert [n.number for n in uow.nominations.open("nn")] == [removal.number, again.number]


def test_due_nominations_are_claimed_earliest_first_and_nothing_reaches_the_tickets_sweeper(make_uow):
    with make_uow() as uow:
        later = uow.nominations.add(nomination(person="a", next_due_at=NOW + 2 * DAY))
        sooner = uow.nominations.add(nomination(person="b", next_due_at=NOW + DAY))
        uow.nominations.add(nomination(person="c"))
        uow.commit()
    with make_uow() as uow:
        assert [n.number for n in uow.nominations.claim_due(NOW + 3 * DAY, 10)] == [sooner.number, later.number]
        assert uow.nominations.earliest_due() == NOW + DAY
        assert uow.tickets.earliest_due() is None  # the tickets' sweeper does not wait on a nomination
        assert uow.tickets.claim_due(NOW + 30 * DAY, 10) == []


def test_the_voted_nominations_of_published_decisions(make_uow):
    with make_uow() as uow:
        decision = uow.tickets.add(make_ticket())  # any #N will do for the link
        voting = uow.nominations.add(nomination(state=State.VOTING, decision=decision))
        uow.nominations.add(nomination(person="other", state=State.IN_REVIEW))
        assert [n.number for n in uow.nominations.voted_in([decision])] == [voting.number]
        assert uow.nominations.voted_in([]) == []


def test_the_review_schedule_is_made_once_and_held_by_one_transaction(make_uow, migrated_engine):
    with make_uow() as uow:
        assert uow.nominations.review_schedule() is None
        made = uow.nominations.claim_review(ReviewSchedule(NOW + 91 * DAY))
        assert made == ReviewSchedule(NOW + 91 * DAY)
        assert uow.nominations.claim_review(ReviewSchedule(NOW)) == made  # the first one stays
        uow.nominations.save_review(ReviewSchedule(NOW + 100 * DAY, NOW, "core1"))
        uow.commit()
    with make_uow() as uow:
        assert uow.nominations.review_schedule() == ReviewSchedule(NOW + 100 * DAY, NOW, "core1")
        if migrated_engine.dialect.name == "postgresql":  # SQLite has one writer: the second would wait
            with make_uow() as other:
                assert uow.nominations.claim_review() is not None
                assert other.nominations.claim_review() is None  # skipped while the first holds it
