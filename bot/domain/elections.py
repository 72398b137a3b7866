"""Electing the lead core maintainer: who may open an election, stand, rank; and what its clocks do.

    /elect lead            → #57: the core maintainers say whether they stand (Stand / Not standing)
    (everyone answered, or the core's vote `duration` later)
                           → the ballot: each ranks the candidates (a modal), until `duration` later
    (everyone ranked, or the deadline)
                           → counted by instant runoff; the winner is the lead, the rounds published

Each function takes `now`, returns the election after the change with its events and notices (a
notice with no `to` is for the public record), and never changes the election it is given. A move
the rules do not allow raises `Refusal`.

Notices, for the delivery to render:
    opened          the voters: stand or not, until `stand_until`
    stand_reminder  the voters yet to answer
    ballot          the voters: rank `candidates` until `closes_at` (`tie`: again, among the tied)
    vote_reminder   the voters yet to rank
    elected         the public record: `winner` (`unopposed`, or the count of poll `poll`)
    failed          the voters: nobody stood, or nobody voted; the seat stays vacant

Where DESIGN.md and PyTorch's text are silent:
- The seat is vacant when the core removed the lead, when the lead is away for longer than a
  nominations review period (PyTorch's "permanent unavailability"), or when the lead steps down by
  opening the election themselves. The caller finds out which (`Vacancy`); None means it is not.
- The voters are the active core maintainers less the departing lead; any of them may stand.
- Each phase lasts the core's vote `duration` and reminds at its `reminders`, like a core vote.
- One candidate is elected unopposed when standing closes. A tie the count cannot break goes to
  another poll among the tied, as `runoff` says ("the core decides by another vote").
- Nothing is decided by lot: a poll nobody voted in fails the election, and a new one may be opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.domain.decision_clocks import fractions, timing
from bot.domain.decision_policy import VotePolicy
from bot.domain.decision_record import Groups
from bot.domain.election_record import (
    LEVEL,
    Candidacy,
    Election,
    ElectionOutcome,
    Failure,
    Phase,
    Poll,
    RankedBallot,
    Vacancy,
)
from bot.domain.errors import Refusal
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.domain.ticket import SYSTEM, Event, Notice

NOT_VACANT = ("The lead's seat is not vacant, so there is no election to hold. `/elect lead` opens once the core "
              "has removed the lead (`/nominate remove @lead core`), while the lead is away for longer than a "
              "nominations review, or when the lead ({lead}) steps down by opening it.")


def electors(groups: Groups, departing: str | None) -> tuple[str, ...]:
    """The core maintainers who elect the next lead: the active core with the lead, less the departing one."""
    return tuple(person for person in dict.fromkeys((*groups.of_core(), groups.lead)) if person != departing)


def open_election(*, by: str, vacancy: Vacancy | None, departing: str | None, groups: Groups, policy: VotePolicy,
                  now: datetime) -> ElectionOutcome:
    """`/elect lead`: the standing phase opens; every voter is asked whether they stand."""
    if not groups.is_core(by):
        raise Refusal("Only the core maintainers elect the lead; a core maintainer, or the lead ({lead}), opens "
                      "the election.", people={"lead": groups.lead})
    if vacancy is None:
        raise Refusal(NOT_VACANT, people={"lead": groups.lead})
    voters = electors(groups, departing)
    if not voters:
        raise Refusal("There is no core maintainer left to elect the lead; add core maintainers to app.yaml first.")
    election = Election(vacancy, departing, by, now, voters, now + policy.duration, policy)
    change = ElectionOutcome(election)
    change.events.append(Event("election_opened", by, now, LEVEL, data={
        "vacancy": vacancy.value, "previous_lead": departing, "stand_until": election.stand_until.isoformat()}))
    change.notices.append(Notice("opened", voters, LEVEL, {
        "by": by, "vacancy": vacancy.value, "previous_lead": departing,
        "stand_until": election.stand_until.isoformat()}))
    return done(change)


def stand(election: Election, *, by: str, stands: bool, now: datetime) -> ElectionOutcome:
    """**Stand** / **Not standing**: a voter's answer, which they may change while candidates stand."""
    _refuse_unless_voter(election, by, "stand")
    if election.phase is not Phase.STANDING:
        raise Refusal(f"#{election.number}: candidates stood until {_when(election.stand_until)}; "
                      + ("the ballot is open now." if election.phase is Phase.VOTING else "the election is over."))
    previous = next((candidacy for candidacy in election.candidacies if candidacy.person == by), None)
    if previous is not None and previous.stands == stands:
        return done(ElectionOutcome(election))  # a retried click: nothing changes
    answer = Candidacy(by, stands, now)
    candidacies = (tuple(answer if candidacy.person == by else candidacy for candidacy in election.candidacies)
                   if previous else (*election.candidacies, answer))
    change = ElectionOutcome(replace(election, candidacies=candidacies))
    change.events.append(Event("stands" if stands else "not_standing", by, now, LEVEL))
    if not change.election.unanswered:
        _open_voting(change, now, early=True)
    return done(change)


def cast(election: Election, *, by: str, ranking: Sequence[str], now: datetime) -> ElectionOutcome:
    """The ballot modal: `by` ranks the candidates, most preferred first; a later ballot replaces theirs."""
    _refuse_unless_voter(election, by, "vote")
    poll = election.poll
    if election.phase is not Phase.VOTING or poll is None:
        if election.phase is Phase.STANDING:
            raise Refusal(f"#{election.number}: the ballot opens once candidates have stood, by "
                          f"{_when(election.stand_until)}.")
        raise Refusal(f"#{election.number}: the election is over; ballots are no longer counted.")
    if not ranking:
        raise Refusal("Rank at least one candidate: your first choice.")
    unknown = [person for person in ranking if person not in poll.candidates]
    if unknown:
        raise Refusal("Only the candidates on this ballot can be ranked; {person} is not one of them.",
                      people={"person": unknown[0]})
    if len(set(ranking)) != len(ranking):
        raise Refusal("Rank each candidate once: the same candidate appears at two places.")
    ballot = RankedBallot(by, tuple(ranking), now)
    previous = poll.ballot_of(by)
    if previous is not None and previous.ranking == ballot.ranking:
        return done(ElectionOutcome(election))  # the same ballot again: nothing changes
    ballots = (*(each for each in poll.ballots if each.voter != by), ballot)
    change = ElectionOutcome(_with_poll(election, replace(poll, ballots=ballots)))
    # Who voted is public, how they ranked is not: the event says only that a ballot was (re)cast.
    change.events.append(Event("ranked", by, now, LEVEL, data={"poll": len(election.polls),
                                                                "changed": previous is not None}))
    if not change.election.not_voted:
        _close_poll(change, now, early=True)
    return done(change)


def due(election: Election, *, now: datetime) -> ElectionOutcome:
    """Apply what fell due up to `now`: the latest reminder (earlier ones skipped), or the phase's end."""
    change = ElectionOutcome(election)
    if election.phase is Phase.STANDING:
        start, end, sent = election.opened_at, election.stand_until, election.stand_reminders_sent
    elif election.phase is Phase.VOTING and election.poll is not None:
        start, end, sent = election.poll.opened_at, election.poll.closes_at, election.poll.reminders_sent
    else:
        return done(change)
    moments = _reminders_left(election.policy, start, end, sent)
    passed = [moment for moment in moments if moment <= now]
    closing = end <= now
    for moment in passed if closing else passed[:-1]:
        why = "the phase had already ended" if closing else "a later reminder was due"
        change.events.append(Event("reminder_skipped", SYSTEM, now, LEVEL, why, timing(moment, now)))
    if closing:
        if election.phase is Phase.STANDING:
            _open_voting(change, now, early=False, due_at=end)
        else:
            _close_poll(change, now, early=False, due_at=end)
    elif passed:
        _remind(change, len(passed), passed[-1], now)
    return done(change)


def next_due_at(election: Election) -> datetime | None:
    """The earliest moment `due` has something to do (None once it is over)."""
    if election.phase is Phase.STANDING:
        start, end, sent = election.opened_at, election.stand_until, election.stand_reminders_sent
    elif election.phase is Phase.VOTING and election.poll is not None:
        start, end, sent = election.poll.opened_at, election.poll.closes_at, election.poll.reminders_sent
    else:
        return None
    return min((*_reminders_left(election.policy, start, end, sent)[:1], end))


def done(change: ElectionOutcome) -> ElectionOutcome:
    change.election = replace(change.election, next_due_at=next_due_at(change.election))
    return change


# -- the phases ---------------------------------------------------------------------------------


def _open_voting(change: ElectionOutcome, now: datetime, *, early: bool, due_at: datetime | None = None) -> None:
    election = change.election
    candidates = election.candidates
    data = timing(due_at, now) if due_at else {"early": True}
    change.events.append(Event("standing_closed", SYSTEM, now, LEVEL, data={"candidates": list(candidates)} | data))
    if not candidates:
        _fail(change, Failure.NOBODY_STOOD, now)
    elif len(candidates) == 1:
        _elect(change, candidates[0], now, unopposed=True)
    else:
        _open_poll(change, candidates, now, tie=False)


def _open_poll(change: ElectionOutcome, candidates: tuple[str, ...], now: datetime, *, tie: bool) -> None:
    election = change.election
    poll = Poll(candidates, now, now + election.policy.duration)
    change.election = replace(election, phase=Phase.VOTING, polls=(*election.polls, poll))
    number = len(change.election.polls)
    change.events.append(Event("ballot_opened", SYSTEM, now, LEVEL, data={
        "poll": number, "candidates": list(candidates), "closes_at": poll.closes_at.isoformat(), "tie": tie}))
    change.notices.append(Notice("ballot", election.voters, LEVEL, {
        "poll": number, "candidates": list(candidates), "closes_at": poll.closes_at.isoformat(), "tie": tie}))


def _close_poll(change: ElectionOutcome, now: datetime, *, early: bool, due_at: datetime | None = None) -> None:
    election = change.election
    poll = replace(election.poll, closed_at=now, early=early)
    change.election = _with_poll(election, poll)
    number = len(election.polls)
    change.events.append(Event("ballot_closed", SYSTEM, now, LEVEL, data={"poll": number, "ballots": len(poll.ballots)}
                               | (timing(due_at, now) if due_at else {"early": True})))
    if not poll.ballots:
        _fail(change, Failure.NO_BALLOTS, now)
        return
    result = poll.count()
    if result.winner is not None:
        _elect(change, result.winner, now, unopposed=False)
    else:
        _open_poll(change, result.tied, now, tie=True)


def _elect(change: ElectionOutcome, winner: str, now: datetime, *, unopposed: bool) -> None:
    election = change.election
    lead = HierarchyChange(ChangeKind.NEW_LEAD, winner, None, election.number, now)
    change.election = replace(election, phase=Phase.ELECTED, winner=winner, closed_at=now, change=lead)
    poll = len(election.polls) if not unopposed else None
    change.events.append(Event("elected", SYSTEM, now, LEVEL, data={"winner": winner, "unopposed": unopposed,
                                                                     "poll": poll}))
    change.notices.append(Notice("elected", (), LEVEL, {"winner": winner, "unopposed": unopposed, "poll": poll}))


def _fail(change: ElectionOutcome, failure: Failure, now: datetime) -> None:
    election = change.election
    change.election = replace(election, phase=Phase.FAILED, failure=failure, closed_at=now)
    change.events.append(Event("election_failed", SYSTEM, now, LEVEL, failure.value))
    change.notices.append(Notice("failed", election.voters, LEVEL, {"failure": failure.value}))


def _remind(change: ElectionOutcome, sent: int, moment: datetime, now: datetime) -> None:
    election = change.election
    if election.phase is Phase.STANDING:
        change.election = replace(election, stand_reminders_sent=election.stand_reminders_sent + sent)
        waiting, kind, until = election.unanswered, "stand_reminder", election.stand_until
    else:
        change.election = _with_poll(election, replace(election.poll,
                                                       reminders_sent=election.poll.reminders_sent + sent))
        waiting, kind, until = election.not_voted, "vote_reminder", election.poll.closes_at
    change.events.append(Event("reminded", SYSTEM, now, LEVEL, data=timing(moment, now)))
    if waiting:
        change.notices.append(Notice(kind, waiting, LEVEL, {"until": until.isoformat()}))


# -- helpers ------------------------------------------------------------------------------------


def _with_poll(election: Election, poll: Poll) -> Election:
    return replace(election, polls=(*election.polls[:-1], poll))


def _reminders_left(policy: VotePolicy, start: datetime, end: datetime, sent: int) -> list[datetime]:
    moments = [start + (end - start) * fraction for fraction in fractions(policy)[sent:]]
    return [moment for moment in moments if moment < end]


def _refuse_unless_voter(election: Election, by: str, what: str) -> None:
    if by not in election.voters:
        slots = {f"voter{index}": voter for index, voter in enumerate(election.voters)}
        names = ", ".join(f"{{{slot}}}" for slot in slots)
        raise Refusal(f"Only the core maintainers who elect the lead can {what} in #{election.number}: {names}.",
                      people=slots)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
