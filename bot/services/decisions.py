"""The decision use cases: call a vote, vote, recuse, write the rationale, the lead's ruling, dispute,
answer, escalate, veto — and sweep the decisions whose deadlines fell due.

Each is one transaction, as for tickets: the decision's new state, its ballots, its events and the
outbox rows for what people must hear are committed together or not at all. The rules are
`bot.domain.decisions`; this module finds the decision, takes who stands where from the config
(`groups`), and records what the rules decided. People arrive as Slack user IDs (or people keys) and
are translated at the door, as tickets' are.

Where DESIGN.md is silent:
- `/vote <proposal>` without an area: the caller's area when they maintain exactly one; a core
  maintainer's or the lead's is a core vote; `/vote core <proposal>` asks for one by name.
- `/vote #N` works on any open ticket: a ticket with an area rung is voted on by that area's
  maintainers, one that reached the core or the lead by the core. One open vote per ticket. The ticket
  resolves when the outcome is first published, with the rationale as its note.
- A proposal is at most `PROPOSAL_MAX` characters, a rationale or a reason `REASON_MAX`: both must
  fit the messages that carry them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.config.decisions import decision_settings
from bot.config.schema import Config
from bot.domain import actions
from bot.domain import decisions as rules
from bot.domain.decision_record import Decision, DecisionOutcome, Groups, Kind, State, waiting_on
from bot.domain.errors import Refusal, UserError
from bot.domain.tally import Choice
from bot.domain.ticket import State as TicketState
from bot.services import storable
from bot.services.process_outbox import notice_rows, refresh_rows
from bot.services.sweeping import sweep_batches
from bot.services.tickets import TicketService, record_outcomes
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)

PROPOSAL_MAX = 2_000  # quoted whole in the vote message and the published record (a section holds 3,000)
REASON_MAX = 2_900  # a rationale, a dispute's reason, an explanation: one section of a message each
RECENT = 10  # decided outcomes `/decisions` shows beside the open votes

# Events that change nothing the vote message shows: no refresh for them.
_INVISIBLE = frozenset({"reminded", "reminder_skipped", "rationale_reminded", "rationale_reminder_skipped",
                        "rationale_missing"})
_SETTLED = (State.PUBLISHED, State.FINAL, State.VETOED)  # listed among the outcomes, not the open votes
_URGENT = frozenset({"vote", "lead_asked", "disputed", "rationale_missing"})  # someone is asked to act


@dataclass(frozen=True)
class Listing:
    """What `/decisions` shows: the votes under way and the latest outcomes."""

    open: list[Decision]
    recent: list[Decision]


@dataclass
class DecisionService:
    config: Config
    unit_of_work: Callable[..., SqlUnitOfWork]
    tickets: TicketService  # who is who, and the tickets a vote was called on
    on_commit: Callable[[datetime | None], None] = field(default=lambda due: None)
    # Called in the transaction that publishes decisions, with those decisions: another process whose
    # matter a decision settles (a nomination) records its own outcome in that same transaction.
    published_hooks: list[Callable[[SqlUnitOfWork, list[Decision], datetime], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reload(self.config)

    def reload(self, config: Config) -> None:
        """Serve with `config` from the next call on: who stands in each group, and each group's rules.

        A decision already open keeps the settings it was called with, and each round the voters it opened
        with (both copied); a round opened later (a core vote, a revote) takes its voters from `config`."""
        self.groups = Groups(lead=config.lead, core=tuple(config.core.maintainers),
                             areas={area.key: tuple(area.maintainers) for area in config.areas})
        self.config = config

    def person_of(self, user: str) -> str:
        return self.tickets.person_of(user)

    # -- calling a vote ---------------------------------------------------------------------------

    def call(self, *, by: str, area: str | None, proposal: str, now: datetime) -> DecisionOutcome:
        """`/vote [area] <proposal>`: `area` is the word typed before the proposal, when it names an area
        (or "core"); None when the caller typed none."""
        by = self.person_of(by)
        proposal = _checked(proposal, "Your proposal", PROPOSAL_MAX)
        kind, area_key = self._where_to_vote(by, area)
        return self._open(kind, area_key, proposal, by, now)

    def call_on_ticket(self, ticket_id: int, *, by: str, now: datetime) -> DecisionOutcome:
        """`/vote #N`: a vote on an open ticket's question, which resolves with the outcome's rationale."""
        by = self.person_of(by)
        with self.unit_of_work(read_only=True) as uow:
            ticket = uow.tickets.get(ticket_id)
            already = uow.decisions.open_on_ticket(ticket_id)
            if ticket is None and uow.decisions.exists(ticket_id):
                raise UserError(f"#{ticket_id} is a decision, not a ticket: `/status #{ticket_id}` shows it.")
        if ticket is None:
            raise UserError(f"There is no ticket #{ticket_id}.")
        if ticket.state is TicketState.RESOLVED:
            raise UserError(f"#{ticket_id} is resolved: reopen it (`/reopen #{ticket_id}`) before calling a vote "
                            "on it.")
        if already and already[0].state is State.PUBLISHED:  # decided, still open to dispute and veto
            number, outcome = already[0].number, already[0].outcome
            raise UserError(f"#{number} already decided #{ticket_id} ({outcome.value if outcome else 'published'}) and "
                            f"may still be disputed: `/dispute #{number} <reason>` challenges it, and `/status "
                            f"#{number}` says until when.")
        if already:
            number = already[0].number
            raise UserError(f"#{number} is already the vote on #{ticket_id}: `/status #{number}`.")
        on_area = ticket.level.startswith("area:")
        kind, area_key = (Kind.MODULE, ticket.level.removeprefix("area:")) if on_area else (Kind.CORE, ticket.area)
        proposal = _checked(ticket.text[:PROPOSAL_MAX], "The ticket's question", PROPOSAL_MAX)
        return self._open(kind, area_key, proposal, by, now, ticket=ticket_id)

    def _where_to_vote(self, by: str, area: str | None) -> tuple[Kind, str | None]:
        if area is not None and area.casefold() == "core":
            return Kind.CORE, None
        if area is not None:
            found = self.config.area(area)
            if found is None:
                raise UserError(f"There is no area '{area}'.")
            return Kind.MODULE, found.key
        mine = [key for key, people in self.groups.areas.items() if by in people]
        if len(mine) == 1:
            return Kind.MODULE, mine[0]
        if self.groups.is_core(by):
            return Kind.CORE, None
        if mine:
            raise UserError(f"You maintain {', '.join(sorted(mine))}: name the area that votes, "
                            f"`/vote {sorted(mine)[0]} <proposal>`.")
        raise Refusal("Only an area's maintainers, a core maintainer or the lead ({lead}) can call a vote; "
                            "`/escalate` is yours to raise a matter with them.", people={"lead": self.groups.lead})

    def _open(self, kind: Kind, area: str | None, proposal: str, by: str, now: datetime,
              ticket: int | None = None) -> DecisionOutcome:
        policy = decision_settings(self.config, area)
        change = rules.call_vote(kind=kind, area=area if kind is Kind.MODULE else None, proposal=proposal, by=by,
                                 groups=self.groups, policy=policy, now=now, ticket=ticket)
        with self.unit_of_work() as uow:
            self.open_in(uow, change, now)
            uow.commit()
        self._committed([change])
        return change

    def open_in(self, uow: SqlUnitOfWork, change: DecisionOutcome, now: datetime) -> DecisionOutcome:
        """Store a decision the rules just opened, with its events and messages, in `uow`'s transaction
        (another process's, such as a nomination's vote); it comes back numbered. The caller commits,
        then tells `on_commit` the decision's `next_due_at`."""
        change.decision = uow.decisions.add(change.decision)
        self._record(uow, change, now, new=True)
        return change

    # -- acting on a decision ---------------------------------------------------------------------

    def cast(self, number: int, *, by: str, choice: Choice, now: datetime) -> DecisionOutcome:
        return self._apply(number, now, lambda d: rules.cast(d, by=self.person_of(by), choice=choice, now=now,
                                                            groups=self.groups))

    def recuse(self, number: int, *, by: str, now: datetime) -> DecisionOutcome:
        return self._apply(number, now, lambda d: rules.recuse(d, by=self.person_of(by), now=now, groups=self.groups))

    def write_rationale(self, number: int, *, by: str, text: str, now: datetime,
                        for_round: int | None = None) -> DecisionOutcome:
        text = _checked(text, "The rationale", REASON_MAX)
        return self._apply(number, now, lambda d: rules.write_rationale(d, by=self.person_of(by), text=text, now=now,
                                                                        groups=self.groups, for_round=for_round))

    def lead_decides(self, number: int, *, by: str, approve: bool, rationale: str, now: datetime,
                     for_round: int | None = None) -> DecisionOutcome:
        rationale = _checked(rationale, "The rationale", REASON_MAX)
        return self._apply(number, now, lambda d: rules.lead_decides(
            d, by=self.person_of(by), approve=approve, rationale=rationale, now=now, groups=self.groups,
            for_round=for_round))

    def dispute(self, number: int, *, by: str, reason: str, now: datetime) -> DecisionOutcome:
        reason = _checked(reason, "The reason", REASON_MAX)
        return self._apply(number, now, lambda d: rules.dispute(d, by=self.person_of(by), reason=reason, now=now,
                                                                groups=self.groups))

    def answer_dispute(self, number: int, *, by: str, uphold: bool, explanation: str | None, now: datetime,
                       for_dispute: int | None = None) -> DecisionOutcome:
        explanation = _checked(explanation, "The explanation", REASON_MAX) if explanation else explanation
        return self._apply(number, now, lambda d: rules.answer_dispute(
            d, by=self.person_of(by), uphold=uphold, explanation=explanation, now=now, groups=self.groups,
            for_dispute=for_dispute))

    def escalate_dispute(self, number: int, *, by: str, now: datetime) -> DecisionOutcome:
        return self._apply(number, now, lambda d: rules.escalate_dispute_to_core(d, by=self.person_of(by), now=now,
                                                                                 groups=self.groups))

    def veto(self, number: int, *, by: str, reason: str, now: datetime) -> DecisionOutcome:
        reason = _checked(reason, "The reason", REASON_MAX)
        return self._apply(number, now, lambda d: rules.ask_veto(d, by=self.person_of(by), reason=reason, now=now,
                                                                 groups=self.groups))

    def _apply(self, number: int, now: datetime, rule: Callable[[Decision], DecisionOutcome]) -> DecisionOutcome:
        with self.unit_of_work() as uow:
            decision = uow.decisions.get_for_update(number)
            if decision is None:
                raise self._missing(uow, number)
            change = rule(decision)
            self._record(uow, change, now)
            uow.commit()
        self._committed([change])
        return change

    @staticmethod
    def _missing(uow: SqlUnitOfWork, number: int) -> UserError:
        if uow.tickets.get(number) is not None:
            return UserError(f"#{number} is a ticket, not a decision: `/vote #{number}` calls a vote on it.")
        return UserError(f"There is no decision #{number}.")

    def sweep_due(self, now: datetime, batch: int = 500) -> datetime | None:
        """Apply every deadline of a decision due at `now`; return when the next one (of anything) falls due."""
        def settle(uow: SqlUnitOfWork, due: list[Decision]) -> list[DecisionOutcome]:
            changes = [rules.due(decision, now=now, groups=self.groups) for decision in due]
            self._record_many(uow, changes, now)
            return changes

        return sweep_batches(self.unit_of_work, batch, claim=lambda uow, limit: uow.decisions.claim_due(now, limit),
                             settle=settle, committed=self._committed)

    # -- views ------------------------------------------------------------------------------------

    def get(self, number: int) -> tuple[Decision, list]:
        """The decision and its history (`/status #N`)."""
        with self.unit_of_work(read_only=True) as uow:
            decision = uow.decisions.get(number)
            if decision is None:
                raise self._missing(uow, number)
            return decision, uow.events.for_ticket(number)

    def is_decision(self, number: int) -> bool:
        with self.unit_of_work(read_only=True) as uow:
            return uow.decisions.exists(number)

    def listing(self, area: str | None = None, recent: int = RECENT) -> Listing:
        """Open votes (oldest first) and the latest published outcomes (newest first), for `/decisions [area]`."""
        if area is not None:
            found = self.config.area(area)
            if found is None:
                raise UserError(f"There is no area '{area}'.")
            area = found.key
        with self.unit_of_work(read_only=True) as uow:
            unsettled = uow.decisions.open(area)
            ended = uow.decisions.latest_published(recent, area)
        return Listing(open=[d for d in unsettled if d.state not in _SETTLED], recent=ended)

    def waiting_on(self, user: str) -> list[Decision]:
        """The decisions waiting on this person now: a vote to cast, a rationale, the lead's ruling, a dispute."""
        person = self.person_of(user)
        with self.unit_of_work(read_only=True) as uow:
            unsettled = uow.decisions.open()
        return [decision for decision in unsettled if person in waiting_on(decision)]

    def log(self, since: datetime, area: str | None = None) -> list[tuple[Decision, list]]:
        """The decision log: each decision opened or published since `since`, newest first, with its history."""
        with self.unit_of_work(read_only=True) as uow:
            found = uow.decisions.since(since, area)
            return [(decision, uow.events.for_ticket(decision.number)) for decision in reversed(found)]

    # -- recording --------------------------------------------------------------------------------

    def _record(self, uow: SqlUnitOfWork, change: DecisionOutcome, now: datetime, new: bool = False) -> None:
        self._record_many(uow, [change], now, new)

    def _record_many(self, uow: SqlUnitOfWork, changes: list[DecisionOutcome], now: datetime,
                     new: bool = False) -> None:
        """The decisions, their events, one outbox row per notice and a refresh of each one's messages
        (a few statements, however many); and the tickets they were called on, resolved once their
        outcome is published."""
        events, messages = [], []
        for change in changes:
            number = change.decision.number
            events += [(number, event) for event in change.events]
            messages += notice_rows("decision", number, change.notices, now, _URGENT)
            if not new:
                messages += refresh_rows("decision", number, change.events, now, _INVISIBLE)
        if not new:
            uow.decisions.save_many([change.decision for change in changes])
        uow.events.append_many(events)
        uow.outbox.add_many(messages)
        for change in changes:
            decision = change.decision
            if decision.ticket is not None and any(notice.kind == "published" for notice in change.notices):
                self._resolve_ticket(uow, decision, now)
        published = [change.decision for change in changes if any(n.kind == "published" for n in change.notices)]
        for hook in self.published_hooks if published else ():
            hook(uow, published, now)

    def _resolve_ticket(self, uow: SqlUnitOfWork, decision: Decision, now: datetime) -> None:
        ticket = uow.tickets.get_for_update(decision.ticket)
        if ticket is None:
            return
        by = decision.rationale and next((r.rationale_by for r in reversed(decision.rounds) if r.rationale), None)
        outcome = decision.outcome.value.replace("_", " ") if decision.outcome else decision.state.value
        note = actions.decision_note(decision.number, outcome, decision.rationale)
        resolved = actions.resolve_by_decision(ticket, decision=decision.number, by=by or decision.caller,
                                               note=note, now=now)
        if resolved is not None:
            record_outcomes(uow, [resolved], now)

    def _committed(self, changes: list[DecisionOutcome]) -> None:
        deadlines = [change.decision.next_due_at for change in changes if change.decision.next_due_at]
        self.on_commit(min(deadlines, default=None))


def _checked(text: str | None, what: str, limit: int) -> str:
    text = (text or "").strip()
    if problem := storable.text_problem(text, what, limit):
        raise problem
    return text


