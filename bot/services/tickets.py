"""The ticket use cases: ask, act on a ticket, sweep what fell due, be away.

Each is one transaction: the ticket's new state, its events and the outbox rows for the messages it
causes are committed together or not at all. The people who act arrive as Slack user IDs (or people
keys); the rules speak in `people` keys, so `person_of` translates at the door.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.config.ladders import ladder_for, roles_of
from bot.config.schema import Config
from bot.config.sla import resolve_policy
from bot.domain import actions, clocks
from bot.domain.errors import UserError
from bot.domain.ladder import Rung
from bot.domain.ticket import Kind, Outcome, SlaPolicy, State, Ticket
from bot.services import storable
from storage.repositories import LOW, NORMAL, URGENT
from storage.unit_of_work import SqlUnitOfWork, out_of_reach

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewTicket:
    """One ask to open: who, what kind, where (a known area key or alias; None for no area), the words."""

    asker: str
    kind: Kind
    area: str | None
    text: str
    thread: tuple[str, str] | None = None  # (channel, ts) of the Slack thread it was asked in


@dataclass(frozen=True)
class Overview:
    """What `/status` and App Home show one person."""

    asked: list[Ticket]  # their own open questions and escalations
    waiting_on_me: list[Ticket]  # open tickets on a rung they stand on, or handed to them
    away_until: datetime | None


@dataclass
class TicketService:
    config: Config
    unit_of_work: Callable[[], SqlUnitOfWork]
    # After each commit, with the earliest new deadline: wakes the sweeper (then) and the outbox worker (now).
    on_commit: Callable[[datetime | None], None] = field(default=lambda due: None)
    on_recorded: Callable[[Ticket, list], None] = field(default=lambda ticket, events: None)  # metrics

    def __post_init__(self) -> None:
        self.reload(self.config)

    def reload(self, config: Config) -> None:
        """Serve with `config` from the next call on: new tickets take its ladders and policies, open ones
        keep their policy and climb its ladder (`bot.app.Upline.reload_config` says why)."""
        self._derived = _Derived(config)  # built aside, then swapped in whole: never half the old config's
        self.config = config

    # -- who is who -------------------------------------------------------------------------------

    def person_of(self, user: str) -> str:
        """The `people` key of a Slack user ID (or of a key); someone unknown stays their Slack ID."""
        if user in self.config.people:
            return user
        return self._derived.key_of_slack_id.get(user, user)

    def pingable(self, away: dict[str, datetime]) -> frozenset[str]:
        return frozenset(key for key in self._derived.with_slack if key not in away)

    def ladder(self, area: str | None) -> tuple[Rung, ...]:
        return self._derived.ladder(area)

    def policy(self, area: str | None, kind: Kind) -> SlaPolicy:
        return self._derived.policy(area, kind)

    # -- use cases --------------------------------------------------------------------------------

    def ask(self, *, asker: str, kind: Kind, area: str | None, text: str, now: datetime,
            thread: tuple[str, str] | None = None) -> Ticket:
        """Open a ticket; `thread` (channel, ts) links the Slack thread it was asked in."""
        return self.open(asker=asker, kind=kind, area=area, text=text, now=now, thread=thread).ticket

    def open(self, *, asker: str, kind: Kind, area: str | None, text: str, now: datetime,
             thread: tuple[str, str] | None = None) -> Outcome:
        """`ask`, returning the whole outcome (who was pinged, which rungs were skipped)."""
        [result] = self.open_many([NewTicket(asker, kind, area, text, thread)], now)
        if isinstance(result, Exception):
            raise result
        return result

    def open_many(self, requests: Sequence[NewTicket], now: datetime) -> list[Outcome | Exception]:
        """Open several tickets in one transaction (asks that arrived together: one commit for all).

        Each request gets its outcome, or the error that refused it while the others still open: a
        UserError, found before anything is written, when it cannot be opened as asked (an unknown
        area; text or an ID the database cannot keep). Should the batch still fail, each request is
        committed on its own, so only one at fault gets an error; a database out of reach fails them
        all (raised). None is ever left half-written.
        """
        results: list[Outcome | Exception | None] = [self._refusal(request) for request in requests]
        waiting = [index for index, result in enumerate(results) if result is None]
        for index, result in zip(waiting, self._open_together([requests[i] for i in waiting], now), strict=True):
            results[index] = result
        return results  # type: ignore[return-value]  # every None was filled

    def _refusal(self, request: NewTicket) -> UserError | None:
        if request.area is not None and self.config.area(request.area) is None:
            return UserError(f"There is no area '{request.area}'.")
        return storable.refusal(request, self.person_of(request.asker))

    def _open_together(self, requests: list[NewTicket], now: datetime) -> list[Outcome | Exception]:
        try:
            outcomes: list[Outcome | Exception] = list(self._commit_new(requests, now)) if requests else []
        except Exception as error:
            if out_of_reach(error) or len(requests) == 1:
                raise
            # `storable` should have refused what the database refuses; if it did not, one ask must not
            # cost the others theirs. Slower, and only ever taken after a failure.
            log.warning("a batch of %d asks failed to commit (%r); writing each on its own", len(requests), error)
            outcomes = self._each_alone(requests, now)
        self._committed([outcome for outcome in outcomes if not isinstance(outcome, Exception)])
        return outcomes

    def _each_alone(self, requests: list[NewTicket], now: datetime) -> list[Outcome | Exception]:
        results: list[Outcome | Exception] = []
        for request in requests:
            try:
                results += self._commit_new([request], now)
            except Exception as error:  # noqa: BLE001 - it is this request's own answer
                if out_of_reach(error):  # the rest would only wait for it in turn
                    return results + [error] * (len(requests) - len(results))
                results.append(error)
        return results

    def _commit_new(self, requests: list[NewTicket], now: datetime) -> list[Outcome]:
        with self.unit_of_work() as uow:
            pingable = self.pingable(uow.away.away_at(now))
            outcomes = []
            for request in requests:
                area = self.config.area(request.area) if request.area is not None else None
                area_key = area.key if area else None
                outcomes.append(actions.open_ticket(
                    kind=request.kind, area=area_key, asker=self.person_of(request.asker), text=request.text,
                    ladder=self.ladder(area_key), policy=self.policy(area_key, request.kind), now=now,
                    pingable=pingable,
                ))
            uow.tickets.add_many([outcome.ticket for outcome in outcomes], [request.thread for request in requests])
            record_outcomes(uow, outcomes, now, new=True)
            uow.commit()
        return outcomes

    # Each action on an existing ticket: `by` is who clicked or typed; a Refusal rolls back and
    # reaches the caller as a UserError with the sentence to show.

    def acknowledge(self, ticket_id: int, *, by: str, now: datetime) -> Outcome:
        return self._apply(ticket_id, by, now, lambda ticket, common, pingable: actions.acknowledge(
            ticket, **common))

    def resolve(self, ticket_id: int, *, by: str, now: datetime, note: str | None = None) -> Outcome:
        return self._apply(ticket_id, by, now, lambda ticket, common, pingable: actions.resolve(
            ticket, note=note, **common))

    def escalate(self, ticket_id: int, *, by: str, now: datetime, reason: str | None = None) -> Outcome:
        return self._apply(ticket_id, by, now, lambda ticket, common, pingable: actions.escalate(
            ticket, reason=reason, pingable=pingable, **common))

    def wait_on_asker(self, ticket_id: int, *, by: str, now: datetime) -> Outcome:
        return self._apply(ticket_id, by, now, lambda ticket, common, pingable: actions.wait_on_asker(
            ticket, **common))

    def asker_replied(self, ticket_id: int, *, by: str, now: datetime) -> Outcome:
        return self._apply(ticket_id, by, now, lambda ticket, common, pingable: actions.asker_replied(
            ticket, pingable=pingable, **common))

    def reassign(self, ticket_id: int, *, by: str, now: datetime, to_person: str) -> Outcome:
        to_person = self.person_of(to_person)
        return self._apply(ticket_id, by, now, lambda ticket, common, pingable: actions.reassign(
            ticket, to_person=to_person, **common))

    def reopen(self, ticket_id: int, *, by: str, now: datetime, reason: str | None = None) -> Outcome:
        return self._apply(ticket_id, by, now, lambda ticket, common, pingable: actions.reopen(
            ticket, pingable=pingable, reason=reason, **common))

    def _apply(self, ticket_id: int, by: str, now: datetime, rule: Callable[..., Outcome]) -> Outcome:
        with self.unit_of_work() as uow:
            ticket = uow.tickets.get_for_update(ticket_id)
            if ticket is None:
                if uow.decisions.exists(ticket_id):
                    raise UserError(f"#{ticket_id} is a decision, not a ticket: `/status #{ticket_id}` shows it.")
                raise UserError(f"There is no ticket #{ticket_id}.")
            common = dict(by=self.person_of(by), ladder=self.ladder(ticket.area),
                          roles=roles_of(self.config), now=now)
            outcome = rule(ticket, common, self.pingable(uow.away.away_at(now)))
            record_outcomes(uow, [outcome], now)
            uow.commit()
        self._committed([outcome])
        return outcome

    def sweep_due(self, now: datetime, batch: int = 500) -> datetime | None:
        """Apply every reminder and breach due at `now`; return when the next one falls due."""
        while True:
            with self.unit_of_work() as uow:
                due = uow.tickets.claim_due(now, batch)
                pingable = self.pingable(uow.away.away_at(now)) if due else frozenset()
                outcomes = []
                for ticket in due:
                    outcomes.append(clocks.due(ticket, self.ladder(ticket.area), now, pingable))
                record_outcomes(uow, outcomes, now)
                # The last, short batch also answers "when next?": one transaction for an idle sweep.
                next_due = uow.tickets.earliest_due() if len(due) < batch else None
                uow.commit()
            if due:
                self._committed(outcomes)
            if len(due) < batch:
                return next_due

    def thread_reply(self, channel: str, thread_ts: str, *, user: str, now: datetime) -> Outcome | None:
        """The asker answered in the ticket's thread: if the ticket was waiting on them, clocks run again.

        Replies by anyone else, or to a ticket that is not waiting, change nothing (and say nothing).
        """
        with self.unit_of_work(read_only=True) as uow:
            ticket = uow.tickets.find_by_thread(channel, thread_ts)
        if ticket is None or ticket.state is not State.WAITING or self.person_of(user) != ticket.asker:
            return None
        return self.asker_replied(ticket.id, by=user, now=now)

    # -- views ------------------------------------------------------------------------------------

    def levels_of(self, person: str) -> list[str]:
        """The rungs `person` can stand on: their areas, core, lead."""
        levels = [f"area:{area.key}" for area in self.config.areas if person in area.maintainers]
        if person in self.config.core.maintainers:
            levels.append("core")
        if person == self.config.lead:
            levels.append("lead")
        return levels

    def overview(self, user: str, now: datetime, limit: int = 20) -> Overview:
        person = self.person_of(user)
        with self.unit_of_work(read_only=True) as uow:
            asked = uow.tickets.open_for_asker(person)[:limit]
            waiting = uow.tickets.open_waiting_on(person, self.levels_of(person), limit)
            away = uow.away.away_at(now).get(person)
        return Overview(asked, [ticket for ticket in waiting if ticket.asker != person], away)

    def timeline(self, ticket_id: int) -> tuple[Ticket, list]:
        with self.unit_of_work(read_only=True) as uow:
            ticket = uow.tickets.get(ticket_id)
            if ticket is None:
                raise UserError(f"There is no ticket #{ticket_id}.")
            return ticket, uow.events.for_ticket(ticket_id)

    def away_now(self, now: datetime) -> dict[str, datetime]:
        with self.unit_of_work(read_only=True) as uow:
            return uow.away.away_at(now)

    def _committed(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.on_recorded(outcome.ticket, outcome.events)
        deadlines = [outcome.ticket.next_due_at for outcome in outcomes if outcome.ticket.next_due_at]
        self.on_commit(min(deadlines, default=None))

    def set_away(self, person: str, until: datetime | None, *, by: str, now: datetime) -> None:
        """Away until `until` (not pinged, their rung skipped if everyone on it is away); None: back."""
        person = self.person_of(person)
        if until is not None and until <= now:
            raise UserError("Pick an 'away until' date in the future.")
        with self.unit_of_work() as uow:
            if until is None:
                uow.away.clear(person)
            else:
                uow.away.set(person, until, self.person_of(by), now)
            uow.commit()


class _Derived:
    """What one config settles for every call, worked out once per config: every ask needs a ladder and
    a policy, and some a Slack ID looked up."""

    def __init__(self, config: Config):
        self.config = config
        self.key_of_slack_id = {person.slack: key for key, person in config.people.items() if person.slack}
        self.with_slack = tuple(key for key, person in config.people.items() if person.slack)
        self._ladders: dict[str | None, tuple[Rung, ...]] = {}
        self._policies: dict[tuple[str | None, Kind], SlaPolicy] = {}

    def ladder(self, area: str | None) -> tuple[Rung, ...]:
        if area not in self._ladders:
            self._ladders[area] = ladder_for(self.config, area)
        return self._ladders[area]

    def policy(self, area: str | None, kind: Kind) -> SlaPolicy:
        if (area, kind) not in self._policies:
            self._policies[area, kind] = resolve_policy(self.config, area, kind)
        return self._policies[area, kind]


_INVISIBLE = {"reminded", "reminder_skipped", "parked"}  # events that change nothing the ping message shows


# What goes to Slack first when it cannot all go at once: a rung asked to act before a rung reminded,
# and both before the asker's notes and the refreshes of messages already posted.
_URGENT = {"ping", "escalated", "resolve_breach", "assigned"}


def _priority(notice) -> int:
    if not notice.to:  # the asker's note
        return LOW
    return URGENT if notice.kind in _URGENT else NORMAL


def record_outcomes(uow: SqlUnitOfWork, outcomes: list[Outcome], now: datetime, new: bool = False) -> None:
    """Persist outcomes in this transaction: the tickets, their events and one outbox row per notice
    (plus a "refresh" of every copy when what they show changed) — a few statements, however many.

    The refresh comes after the ticket's notices: rows of one ticket go out in order, and an escalation
    must not wait behind the update of a message already posted.
    """
    events, messages = [], []
    for outcome in outcomes:
        ticket = outcome.ticket
        events += [(ticket.id, event) for event in outcome.events]
        messages += [(notice.kind, {"ticket": ticket.id, "to": list(notice.to), "level": notice.level,
                                    "data": notice.data}, ticket.id, now, _priority(notice))
                     for notice in outcome.notices]
        if not new and any(event.kind not in _INVISIBLE for event in outcome.events):
            # The ticket's messages show its state and rung: bring each up to date in place.
            messages.append(("refresh", {"ticket": ticket.id}, ticket.id, now, LOW))
    if not new:
        uow.tickets.save_many([outcome.ticket for outcome in outcomes])
    uow.events.append_many(events)
    uow.outbox.add_many(messages)
