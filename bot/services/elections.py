"""The election use cases: `/elect lead` opens one, the core maintainers stand (or not) and rank the
candidates — and the sweeper moves its phases on when their deadlines fall due.

    service = ElectionService(config, unit_of_work, decisions, tickets)
    opened = service.open(by="U0CORE1", now=now)                         # /elect lead → #57
    service.stand(57, by="U0CORE2", stands=True, now=now)
    service.cast(57, by="U0CORE3", ranking=["U0CORE2", "core1"], now=now)   # most preferred first

Each is one transaction, as for tickets and decisions: the election (its row locked), its events and
the outbox rows `election.<notice kind>` and `election.refresh` (bot.services.election_records) are
committed together; an election elected stores its NEW_LEAD change in `uow.hierarchy` in that same
transaction, for `upline governance apply`. The rules are `bot.domain.elections`.

Where DESIGN.md is silent:
- The seat is vacant (`Vacancy`) when a removal of the lead was confirmed (a nomination `of_lead`) and
  no election has elected a lead since — the departing lead is the one removed; when the lead opens the
  election themselves (stepping down); or when the lead is away with no end, or until more than a
  nominations review period (`governance.review_every`) from now. Otherwise the rules refuse.
- Each phase takes the core's vote policy as the election opens (`decisions.core`): its duration
  and its reminders.
- One election is open at a time; another `/elect lead` is told which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.config.decisions import decision_settings, governance_policy
from bot.config.schema import SLACK_USER_ID, Config
from bot.domain import elections as rules
from bot.domain.decision_record import Groups
from bot.domain.election_record import Election, ElectionOutcome, Phase, Vacancy
from bot.domain.errors import UserError
from bot.domain.nomination_record import CORE
from bot.domain.nomination_record import State as NominationState
from bot.services.decisions import DecisionService
from bot.services.election_records import record
from bot.services.sweeping import sweep_batches
from bot.services.tickets import TicketService
from storage.election_repository import ElectionTaken
from storage.unit_of_work import SqlUnitOfWork


@dataclass
class ElectionService:
    config: Config
    unit_of_work: Callable[..., SqlUnitOfWork]
    decisions: DecisionService  # who stands where (its `groups`, kept current on reload)
    tickets: TicketService  # who is who
    on_commit: Callable[[datetime | None], None] = field(default=lambda due: None)

    def reload(self, config: Config) -> None:
        self.config = config

    @property
    def groups(self) -> Groups:
        return self.decisions.groups

    def person_of(self, user: str) -> str:
        return self.tickets.person_of(user)

    # -- the use cases ----------------------------------------------------------------------------

    def open(self, *, by: str, now: datetime) -> ElectionOutcome:
        """`/elect lead`: the standing phase opens, once the seat is vacant and no election is open."""
        by = self.person_of(by)
        policy = decision_settings(self.config, None).core
        for attempt in range(2):
            try:
                with self.unit_of_work() as uow:
                    _refuse_if_open(uow.elections.open())
                    vacancy, departing = self._vacancy(uow, by, now)
                    change = rules.open_election(by=by, vacancy=vacancy, departing=departing, groups=self.groups,
                                                 policy=policy, now=now)
                    change.election = uow.elections.add(change.election)
                    record(uow, [change], now, new=True)
                    uow.commit()
                self._committed([change])
                return change
            except ElectionTaken:  # opened by someone else meanwhile: the second try names it
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def stand(self, number: int, *, by: str, stands: bool, now: datetime) -> ElectionOutcome:
        """**Stand** / **Not standing**; a retried click changes nothing."""
        return self._apply(number, now, lambda e: rules.stand(e, by=self.person_of(by), stands=stands, now=now))

    def cast(self, number: int, *, by: str, ranking: Sequence[str], now: datetime) -> ElectionOutcome:
        """The ballot: `ranking` as people keys or Slack IDs, most preferred first; the same again changes nothing."""
        ranking = [self.person_of(person) for person in ranking]
        return self._apply(number, now, lambda e: rules.cast(e, by=self.person_of(by), ranking=ranking, now=now))

    def sweep_due(self, now: datetime, batch: int = 500) -> datetime | None:
        """Apply every deadline of an election due at `now`; return when the next one (of anything) falls due."""
        def settle(uow: SqlUnitOfWork, due: list[Election]) -> list[ElectionOutcome]:
            changes = [self._identified(rules.due(election, now=now)) for election in due]
            record(uow, changes, now)
            return changes

        return sweep_batches(self.unit_of_work, batch, claim=lambda uow, limit: uow.elections.claim_due(now, limit),
                             settle=settle, committed=self._committed)

    # -- views ------------------------------------------------------------------------------------

    def get(self, number: int) -> tuple[Election, list]:
        """The election and its history (`/status #N`)."""
        with self.unit_of_work(read_only=True) as uow:
            election = uow.elections.get(number)
            if election is None:
                raise UserError(f"There is no election #{number}.")
            return election, uow.events.for_ticket(number)

    def is_election(self, number: int) -> bool:
        with self.unit_of_work(read_only=True) as uow:
            return uow.elections.exists(number)

    def current(self) -> Election | None:
        """The open election, if any."""
        with self.unit_of_work(read_only=True) as uow:
            return uow.elections.open()

    def latest(self) -> Election | None:
        """The election opened last, open or over."""
        with self.unit_of_work(read_only=True) as uow:
            return uow.elections.latest()

    # -- helpers ----------------------------------------------------------------------------------

    def _vacancy(self, uow: SqlUnitOfWork, by: str, now: datetime) -> tuple[Vacancy | None, str | None]:
        """Why the lead's seat is vacant, and whose it was; (None, None) when it is not."""
        elected = uow.elections.latest(Phase.ELECTED)
        removals = [nomination for nomination in uow.nominations.in_states([NominationState.CONFIRMED], CORE)
                    if nomination.of_lead and (elected is None or nomination.closed_at > elected.closed_at)]
        if removals:
            return Vacancy.REMOVED, removals[-1].person
        lead = self.groups.lead
        if elected is not None and elected.winner != lead:
            # The seat is filled; app.yaml just does not say so yet. Another election would unseat the winner.
            raise UserError(f"#{elected.number} elected {{winner}} as the lead; app.yaml does not say so yet. "
                            "`upline governance apply` writes it (then reload Upline with SIGHUP).",
                            people={"winner": elected.winner})
        if by == lead:
            return Vacancy.STEPPED_DOWN, lead
        away = uow.away.away_at(now)
        if lead in away:
            until = away[lead]
            if until is None or until > now + governance_policy(self.config).review_every:
                return Vacancy.UNAVAILABLE, lead
        return None, None

    def _apply(self, number: int, now: datetime, rule: Callable[[Election], ElectionOutcome]) -> ElectionOutcome:
        with self.unit_of_work() as uow:
            election = uow.elections.get_for_update(number)
            if election is None:
                raise UserError(f"There is no election #{number}.")
            change = self._identified(rule(election))
            record(uow, [change], now)
            uow.commit()
        self._committed([change])
        return change

    def _identified(self, change: ElectionOutcome) -> ElectionOutcome:
        """The new lead's Slack ID on the change an election confirmed, for `governance apply`."""
        lead = change.election.change
        if lead is not None and lead.id is None and lead.slack is None:
            person = self.config.people.get(lead.person)
            slack = person.slack if person else (lead.person if SLACK_USER_ID.match(lead.person) else None)
            change.election = replace(change.election, change=replace(lead, slack=slack))
        return change

    def _committed(self, changes: list[ElectionOutcome]) -> None:
        # Always: the outbox has the rows just committed, even when no deadline came with them.
        deadlines = [change.election.next_due_at for change in changes if change.election.next_due_at]
        self.on_commit(min(deadlines, default=None))


def _refuse_if_open(election: Election | None) -> None:
    if election is not None:
        raise UserError(f"#{election.number} is already electing the lead — `/status #{election.number}` shows "
                        "where it stands.")


__all__ = ["ElectionService"]
