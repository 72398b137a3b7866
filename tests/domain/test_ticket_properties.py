"""Random clicks by random people and random sweeps after random waits never break the ticket rules."""

import copy
from datetime import datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bot.config.sla import resolve_policy
from bot.domain import actions
from bot.domain.clocks import due, next_due_at, position
from bot.domain.errors import Refusal
from bot.domain.ladder import everyone_on
from bot.domain.ticket import Kind, State
from tests.domain.conftest import ASKER, EVERYONE, NOW, STRANGER, make_config, nn_ladder, roles

CONFIG = make_config()
LADDER = nn_ladder(CONFIG)
ROLES = roles(CONFIG)
ON_THE_LADDER = everyone_on(LADDER)
CLOCK_EVENTS = {"reminded", "reminder_skipped", "escalated", "skipped", "breached"}

people = st.sampled_from(sorted(EVERYONE) + [ASKER, STRANGER])
pingables = st.frozensets(st.sampled_from(sorted(EVERYONE)))
waits = st.integers(min_value=0, max_value=4 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes))


class TicketRules(RuleBasedStateMachine):
    @initialize(kind=st.sampled_from(list(Kind)), pingable=pingables)
    def open(self, kind, pingable):
        self.now = NOW
        outcome = actions.open_ticket(kind=kind, area="nn", asker=ASKER, text="?", ladder=LADDER,
                                      policy=resolve_policy(CONFIG, "nn", kind), now=NOW, pingable=pingable)
        assert [event.kind for event in outcome.events] == ["created"]
        self.ticket = outcome.ticket
        self.ticket.id = 7

    # -- the clicks --------------------------------------------------------------------------------

    @rule(by=people)
    def acknowledge(self, by):
        self.act(actions.acknowledge, by=by, ladder=LADDER, roles=ROLES, now=self.now)

    @rule(by=people, note=st.none() | st.just("done"))
    def resolve(self, by, note):
        self.act(actions.resolve, by=by, note=note, ladder=LADDER, roles=ROLES, now=self.now)

    @rule(by=people, pingable=pingables)
    def escalate(self, by, pingable):
        self.act(actions.escalate, by=by, reason=None, ladder=LADDER, roles=ROLES, now=self.now,
                 pingable=pingable)

    @rule(by=people)
    def wait_on_asker(self, by):
        self.act(actions.wait_on_asker, by=by, ladder=LADDER, roles=ROLES, now=self.now)

    @rule(by=people, pingable=pingables)
    def asker_replied(self, by, pingable):
        self.act(actions.asker_replied, by=by, ladder=LADDER, roles=ROLES, now=self.now, pingable=pingable)

    @rule(by=people, to_person=people)
    def reassign(self, by, to_person):
        self.act(actions.reassign, by=by, to_person=to_person, ladder=LADDER, roles=ROLES, now=self.now,
                 may_go_down=True)

    @rule(by=people, pingable=pingables)
    def reopen(self, by, pingable):
        self.act(actions.reopen, by=by, ladder=LADDER, roles=ROLES, now=self.now, pingable=pingable)

    def act(self, action, may_go_down=False, **arguments):
        before = copy.deepcopy(self.ticket)
        try:
            outcome = action(self.ticket, **arguments)
        except Refusal as refusal:
            assert str(refusal).endswith(".")
            assert self.ticket == before, "a refusal changed the ticket"
            return
        assert self.ticket == before, "the action changed the ticket it was given"
        assert len(outcome.events) == 1
        assert (outcome.events[0].at, outcome.events[0].level) == (self.now, outcome.ticket.level)
        assert outcome.ticket.next_due_at == next_due_at(outcome.ticket)
        if not may_go_down:
            assert position(LADDER, outcome.ticket.level) >= position(LADDER, before.level)
        self.check_notices(outcome.notices, EVERYONE)
        self.ticket = outcome.ticket

    # -- the clock ---------------------------------------------------------------------------------

    @rule(wait=waits, pingable=pingables)
    def sweep(self, wait, pingable):
        self.now += wait
        before = copy.deepcopy(self.ticket)
        outcome = due(self.ticket, LADDER, self.now, pingable)
        after, kinds = outcome.ticket, [event.kind for event in outcome.events]
        assert self.ticket == before
        if before.state in (State.RESOLVED, State.WAITING):
            assert (outcome.events, outcome.notices) == ([], [])
        if before.state is State.ACKNOWLEDGED:
            assert "escalated" not in kinds and "skipped" not in kinds
        assert set(kinds) <= CLOCK_EVENTS
        # What a deadline caused says when it was due: never after it was acted on.
        for event in outcome.events:
            if event.kind != "skipped":  # a rung passed over at once, as part of a climb
                assert datetime.fromisoformat(event.data["due_at"]) <= event.at
        # One event per effect: each climb, each resolve breach, each reminder is its own line.
        climbed = position(LADDER, after.level) - position(LADDER, before.level)
        assert climbed == kinds.count("escalated") + kinds.count("skipped")
        assert after.resolve_breaches - before.resolve_breaches == kinds.count("breached")
        assert after.next_due_at is None or after.next_due_at > self.now
        assert after.next_due_at == next_due_at(after)
        self.check_notices(outcome.notices, pingable)
        self.ticket = after

    def check_notices(self, notices, pingable):
        for notice in notices:
            # An empty `to` means the asker; everyone else named is on the ladder and reachable.
            assert set(notice.to) <= ON_THE_LADDER
            if notice.kind in ("ping", "reminder", "escalated", "resolve_breach"):
                assert set(notice.to) <= pingable

    # -- what always holds -------------------------------------------------------------------------

    @invariant()
    def deadlines_match_the_state(self):
        ticket = self.ticket
        if ticket.state is State.OPEN:
            assert ticket.ack_due_at is not None and ticket.acknowledged_by is None
        if ticket.state is State.ACKNOWLEDGED:
            assert ticket.ack_due_at is None and ticket.acknowledged_by is not None
        if ticket.state in (State.OPEN, State.ACKNOWLEDGED):
            assert ticket.resolve_due_at is not None and ticket.waiting_since is None
        if ticket.state in (State.WAITING, State.RESOLVED):
            assert (ticket.ack_due_at, ticket.resolve_due_at, ticket.next_due_at) == (None, None, None)
        if ticket.state is State.WAITING:
            assert ticket.resolve_left is not None and ticket.waiting_since is not None
        assert ticket.reminders_sent <= len(ticket.policy.reminders)
        assert position(LADDER, ticket.level) >= 0


TicketRules.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
test_ticket_rules = TicketRules.TestCase
