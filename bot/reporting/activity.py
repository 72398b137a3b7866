"""Who took part, from Upline's own history: what `upline report --people` shows per person, and what
the nominations review asks (`last_active`: who has not taken part for their area's `inactive_after`).

Everything is computed from tickets and decisions with their events, as of `now` (anything later is
ignored); acts by `upline` itself (reminders, breaches, the sweeper's climbs) are nobody's. The counts
are of what a person did in the period [since, now]:

- acknowledged, resolved: the distinct tickets they acknowledged, resolved (a ticket resolved,
  reopened and resolved again by the same person is one ticket). A ticket resolved by a decision
  (`/vote #N`) counts for whoever wrote the decision's rationale.
- median ack: over each of their acknowledgements, the time from when the ticket **reached the rung it
  was acknowledged on** — its creation, a climb (by hand or by the sweeper), a rung skipped, a
  handover, or a reopen, whichever came last — to the acknowledgement. A ticket that sat a day on nn
  and was acknowledged by core an hour after it climbed is an hour for core, not a day. Time spent
  waiting on the asker is included: the clock on the wall, not the SLA's.
- open held: unresolved tickets they hold right now (`acknowledged_by` or `assignee`), whenever taken.
- votes: the (decision, round) pairs where their ballot was cast in the period; a changed vote is one.
  The lead's Approve or Reject is a ruling, not a vote (its rationale counts as a rationale).
- rationales: the rounds whose rationale they wrote, the lead's rulings included.

An asker closing or reopening their own ticket is not counted: closing your own question is not
answering one. **Last active** looks at the whole history given, not only the period: the latest of
their acknowledgements, resolutions, handovers, escalations by hand, reopens, votes, rationales, lead
rulings, disputes, answers to a dispute and vetoes asked (`TICKET_ACTS`, `DECISION_ACTS`).

**Inactive**: a maintainer of an area (or of the core) whose last activity — with none, the start of the
history Upline has, the first ticket or decision — lies longer ago than that area's
`governance.inactive_after` is suggested for emeritus there (`suggest_emeritus`). Upline cannot know
when someone joined (app.yaml's history is in git), so a maintainer added last week to a project with
a year of history shows as inactive until they first act. The lead is not suggested: the lead leaves
by the core's vote, not by going quiet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.config.decisions import governance_policy
from bot.config.schema import Config
from bot.domain.decision_policy import GovernancePolicy
from bot.domain.decision_record import LEAD, Decision
from bot.domain.ticket import SYSTEM, Event, State, Ticket
from bot.reporting.metrics import median

TICKET_ACTS = frozenset({"acknowledged", "resolved", "reassigned", "escalated", "reopened"})
DECISION_ACTS = frozenset({"voted", "rationale", "lead_decided", "disputed", "dispute_upheld", "revote",
                           "veto_asked"})
RUNG_REACHED = frozenset({"created", "escalated", "skipped", "reassigned", "reopened"})
_ASKERS_OWN = frozenset({"resolved", "reopened"})  # on their own ticket an asker's, not a maintainer's
CORE_LABEL = "core"  # how the core shows amongst a person's areas; suggest_emeritus takes None for it

Name = Callable[[str], str]


@dataclass(frozen=True)
class History:
    """What Upline has recorded: tickets and their events by ticket id, decisions and theirs by `#N`."""

    tickets: Sequence[Ticket] = ()
    ticket_events: Mapping[int, Sequence[Event]] = field(default_factory=dict)
    decisions: Sequence[Decision] = ()
    decision_events: Mapping[int, Sequence[Event]] = field(default_factory=dict)

    @property
    def started_at(self) -> datetime | None:
        """The first ticket's or decision's opening; None for an empty history."""
        opened = [ticket.created_at for ticket in self.tickets] + [decision.opened_at for decision in self.decisions]
        return min(opened, default=None)


@dataclass(frozen=True)
class Act:
    person: str
    kind: str  # the event's kind: acknowledged, voted, ...
    at: datetime
    number: int  # the ticket's or the decision's #N
    round: int | None = None  # a decision's round, for the kinds counted once per round


@dataclass(frozen=True)
class PersonActivity:
    person: str  # a `people` key (or a Slack ID app.yaml does not know)
    areas: tuple[str, ...]  # the areas they actively maintain, in app.yaml's order
    core: bool
    lead: bool
    acknowledged: int
    resolved: int
    median_ack: timedelta | None
    open_held: tuple[int, ...]  # ticket ids
    votes: int
    rationales: int
    last_active: datetime | None  # over the whole history
    inactive_since: datetime | None  # last_active, else the start of the history; None without history
    inactive_in: tuple[str, ...] = ()  # where suggest_emeritus holds: area keys, and CORE_LABEL

    @property
    def roles(self) -> tuple[str, ...]:
        """What the report's areas column shows: the area keys, then `core` and `lead`."""
        return (*self.areas, *((CORE_LABEL,) if self.core else ()), *((LEAD,) if self.lead else ()))


def person_key(config: Config | None) -> Name:
    """An actor as a `people` key: the Slack ID of someone app.yaml knows becomes their key."""
    if config is None:
        return str
    by_slack = {person.slack: key for key, person in config.people.items() if person.slack}
    return lambda actor: actor if actor in config.people else by_slack.get(actor, actor)


def acts(history: History, now: datetime, key: Name = str) -> list[Act]:
    """Every act of a person in the history up to `now`, from the events and from the decisions' records
    (a ballot, a rationale, a dispute, a veto: the record keeps who and when even without its event)."""
    found = []
    for ticket in history.tickets:
        for event in history.ticket_events.get(ticket.id, ()):
            if event.kind in TICKET_ACTS and event.actor != SYSTEM and event.at <= now and not (
                    event.kind in _ASKERS_OWN and key(event.actor) == key(ticket.asker)):
                found.append(Act(key(event.actor), event.kind, event.at, ticket.id))
    for decision in history.decisions:
        records = [Act(key(event.actor), event.kind, event.at, decision.number)
                   for event in history.decision_events.get(decision.number, ())
                   if event.kind in DECISION_ACTS and event.actor != SYSTEM]
        records += _recorded(decision, key)
        found += [act for act in records if act.at <= now]
    return found


def last_active(history: History, now: datetime, config: Config | None = None) -> dict[str, datetime | None]:
    """Each person's latest act; every active maintainer of `config` is there, None when they never acted."""
    latest: dict[str, datetime | None] = dict.fromkeys(maintainers(config))
    for act in acts(history, now, person_key(config)):
        if latest.get(act.person) is None or act.at > latest[act.person]:
            latest[act.person] = act.at
    return latest


def inactive_since(last: datetime | None, history_started_at: datetime | None) -> datetime | None:
    return last if last is not None else history_started_at


def suggest_emeritus(person: PersonActivity, area: str | None, now: datetime, policy: GovernancePolicy) -> bool:
    """True when `person` actively maintains `area` (None: the core) and has been quiet longer than
    `policy.inactive_after` (the policy as `governance_policy(config, area)` resolves it). The lead is
    never suggested for the core, even when app.yaml lists them amongst it."""
    maintains = (person.core and not person.lead) if area is None else area in person.areas
    quiet_since = person.inactive_since
    return maintains and quiet_since is not None and now - quiet_since > policy.inactive_after


def people_activity(config: Config | None, history: History, *, since: datetime,
                    now: datetime) -> list[PersonActivity]:
    """One entry per active maintainer of `config` and per anyone else who acted in the period or holds
    a ticket now, ordered by key."""
    key = person_key(config)
    by_person: dict[str, list[Act]] = {}
    for act in acts(history, now, key):
        if act.at >= since:
            by_person.setdefault(act.person, []).append(act)
    held = _open_held(history.tickets, key)
    ack_times = _ack_times(history, since, now, key)
    latest = last_active(history, now, config)
    started_at = history.started_at
    people = sorted({*maintainers(config), *by_person, *held})
    entries = []
    for person in people:
        mine = by_person.get(person, [])
        entry = PersonActivity(
            person=person,
            areas=tuple(area.key for area in (config.areas if config else ()) if person in area.maintainers),
            core=config is not None and person in config.core.maintainers,
            lead=config is not None and person == config.lead,
            acknowledged=len({act.number for act in mine if act.kind == "acknowledged"}),
            resolved=len({act.number for act in mine if act.kind == "resolved"}),
            median_ack=median(ack_times.get(person, [])),
            open_held=tuple(held.get(person, ())),
            votes=len({(act.number, act.round) for act in mine if act.kind == "ballot"}),
            rationales=len({(act.number, act.round) for act in mine if act.kind == "rationale_written"}),
            last_active=latest.get(person),
            inactive_since=inactive_since(latest.get(person), started_at),
        )
        entries.append(_with_inactivity(entry, config, now))
    return entries


def maintainers(config: Config | None) -> list[str]:
    """Every active maintainer: the lead, the core, then each area's, once each."""
    if config is None:
        return []
    everyone = [config.lead, *config.core.maintainers, *(key for area in config.areas for key in area.maintainers)]
    return list(dict.fromkeys(everyone))


def _with_inactivity(entry: PersonActivity, config: Config | None, now: datetime) -> PersonActivity:
    if config is None:
        return entry
    where = [*entry.areas, *((None,) if entry.core else ())]
    inactive = tuple(area or CORE_LABEL for area in where
                     if suggest_emeritus(entry, area, now, governance_policy(config, area)))
    return replace(entry, inactive_in=inactive)


def _recorded(decision: Decision, key: Name) -> list[Act]:
    """The acts a decision's record keeps, the counted ones among them: `ballot` (a voter's latest choice
    in a round, not the lead's ruling) and `rationale_written`, each once per round. A moment the record
    lacks is the round's opening."""
    found = []
    for index, vote in enumerate(decision.rounds):
        for ballot in vote.ballots if vote.level != LEAD else ():
            found.append(Act(key(ballot.voter), "ballot", ballot.at or vote.opened_at, decision.number, index))
        if vote.rationale_by is not None:
            found.append(Act(key(vote.rationale_by), "rationale_written", vote.rationale_at or vote.opened_at,
                             decision.number, index))
    found += [Act(key(dispute.by), "disputed", dispute.at, decision.number) for dispute in decision.disputes]
    found += [Act(key(veto.by), "veto_asked", veto.at, decision.number) for veto in decision.vetoes]
    return found


def _open_held(tickets: Iterable[Ticket], key: Name) -> dict[str, list[int]]:
    held: dict[str, list[int]] = {}
    for ticket in tickets:
        if ticket.state is State.RESOLVED:
            continue
        for holder in dict.fromkeys(key(p) for p in (ticket.acknowledged_by, ticket.assignee) if p):
            held.setdefault(holder, []).append(ticket.id)
    return held


def _ack_times(history: History, since: datetime, now: datetime, key: Name) -> dict[str, list[timedelta]]:
    """Per person, each acknowledgement's time from the ticket's arrival on its rung (see the module doc)."""
    times: dict[str, list[timedelta]] = {}
    for ticket in history.tickets:
        reached = ticket.created_at
        for event in history.ticket_events.get(ticket.id, ()):
            if event.kind in RUNG_REACHED:
                reached = event.at
            elif event.kind == "acknowledged" and event.actor != SYSTEM and since <= event.at <= now:
                times.setdefault(key(event.actor), []).append(event.at - reached)
    return times
