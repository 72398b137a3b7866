"""A decision's deadlines — what the sweeper does when its `next_due_at` comes — and the moves they
share with the actions in `decisions` (opening a vote, closing it, what its result does).

What people see, for an nn vote with `duration: 7d`, `rationale_within: 3d`, `reminders: [0.5, 0.9]`:
- after 3.5d and 6.3d, those who have not voted are reminded (nobody else);
- at 7d the vote closes: passed or rejected asks the group for the rationale; no decision opens a core
  vote under `decisions.core` (its people told), and a core no decision asks the lead;
- after 1.5d and 2.7d without a rationale the group is reminded; at 3d the core is told it is missing
  (the lead, for a rationale the core owes), once;
- the lead, while a decision waits on them, is reminded every core `duration`;
- a dispute unanswered within the group's `duration` becomes a core vote on it;
- a published module decision becomes final `veto_window` after publication.
`due` may run after days of downtime: it applies what fell due in time order, fires each missed
deadline once, counts the next window from `now`, and sends no reminder late once a later one (or
the deadline) is due: those are recorded as skipped. Every event a deadline causes records when it
was due (`due_at`), and `late` when it was acted on more than a minute after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.decision_policy import VotePolicy
from bot.domain.decision_record import (
    CORE,
    LEAD,
    Decision,
    DecisionOutcome,
    Groups,
    Purpose,
    Round,
    State,
)
from bot.domain.tally import Result, decided_early
from bot.domain.ticket import SYSTEM, Event, Notice

LATE = timedelta(minutes=1)  # a sweep comes within seconds of a deadline; later than this, it was missed
_MAX_STEPS = 100  # every step moves a deadline past `now` or ends its clock; this only guards against a bug


def due(decision: Decision, *, now: datetime, groups: Groups) -> DecisionOutcome:
    """Apply every deadline that has fallen due up to `now`, oldest first, each once."""
    change = DecisionOutcome(decision)
    for _ in range(_MAX_STEPS):
        step = _next_step(change.decision, now)
        if step is None:
            break
        step(change, now, groups)
    return done(change)


def next_due_at(decision: Decision) -> datetime | None:
    """The earliest moment `due` has something to do (None: nothing is pending)."""
    state = decision.state
    if state is State.VOTING:
        return _earliest(_vote_reminder_at(decision), decision.current.closes_at)
    if state is State.LEAD:
        return decision.lead_remind_at
    if state is State.DECIDED:
        missing = None if decision.rationale_missing_told else decision.rationale_due_at
        return _earliest(_rationale_reminder_at(decision), missing)
    if state is State.DISPUTED:
        return decision.disputes[-1].answer_due_at
    return decision.settles_at if state is State.PUBLISHED else None


def done(change: DecisionOutcome) -> DecisionOutcome:
    change.decision = replace(change.decision, next_due_at=next_due_at(change.decision))
    return change


# -- the steps of `due` ---------------------------------------------------------------------------

Step = Callable[[DecisionOutcome, datetime, Groups], None]


def _next_step(decision: Decision, now: datetime) -> Step | None:
    state = decision.state
    if state is State.VOTING:
        if decision.current.closes_at <= now:
            return _close_at_deadline
        return _remind_voters if _by(_vote_reminder_at(decision), now) else None
    if state is State.LEAD:
        return _remind_lead if _by(decision.lead_remind_at, now) else None
    if state is State.DECIDED:
        if not decision.rationale_missing_told and _by(decision.rationale_due_at, now):
            return _rationale_missing
        return _remind_rationale if _by(_rationale_reminder_at(decision), now) else None
    if state is State.DISPUTED:
        return _dispute_unanswered if decision.disputes[-1].answer_due_at <= now else None
    if state is State.PUBLISHED:
        return _settle if _by(decision.settles_at, now) else None
    return None


def _close_at_deadline(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    current = change.decision.current
    _skip(change, now, _vote_reminders_left(current), "the vote had already reached its deadline", "reminder_skipped")
    change.decision = with_round(change.decision, reminders_sent=len(fractions(current.policy)))
    close(change, now, groups, early=False, due_at=current.closes_at)


def _remind_voters(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    current = change.decision.current
    moments = _vote_reminders_left(current)
    latest = max(index for index, moment in enumerate(moments) if moment <= now)
    _skip(change, now, moments[:latest], "a later reminder was due", "reminder_skipped")
    fraction = fractions(current.policy)[current.reminders_sent + latest]
    change.decision = with_round(change.decision, reminders_sent=current.reminders_sent + latest + 1)
    level = change.decision.level
    change.events.append(Event("reminded", SYSTEM, now, level,
                               data={"fraction": fraction} | timing(moments[latest], now)))
    change.notices += tell("vote_reminder", current.count().not_voted, level, fraction=fraction,
                           closes_at=current.closes_at.isoformat())


def _remind_lead(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    decision = change.decision
    change.events.append(Event("reminded", SYSTEM, now, LEAD, data=timing(decision.lead_remind_at, now)))
    change.notices += tell("lead_reminder", (groups.lead,), LEAD, purpose=decision.current.purpose.value)
    change.decision = replace(decision, lead_remind_at=now + decision.policy.core.duration)


def _remind_rationale(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    decision = change.decision
    moments = _rationale_reminders_left(decision)
    latest = max(index for index, moment in enumerate(moments) if moment <= now)
    _skip(change, now, moments[:latest], "a later reminder was due", "rationale_reminder_skipped")
    change.decision = replace(decision, rationale_reminders_sent=decision.rationale_reminders_sent + latest + 1)
    change.events.append(Event("rationale_reminded", SYSTEM, now, decision.level, data=timing(moments[latest], now)))
    change.notices += tell("rationale_reminder", decision.current.voters, decision.level,
                           rationale_due_at=decision.rationale_due_at.isoformat())


def _rationale_missing(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    decision = change.decision
    _skip(change, now, _rationale_reminders_left(decision), "the rationale was already overdue",
          "rationale_reminder_skipped")
    told_level = LEAD if decision.current.level == CORE else CORE
    told = (groups.lead,) if told_level == LEAD else tuple(dict.fromkeys((*groups.of_core(), groups.lead)))
    change.decision = replace(decision, rationale_missing_told=True,
                              rationale_reminders_sent=len(fractions(decision.current.policy)))
    change.events.append(Event("rationale_missing", SYSTEM, now, decision.level,
                               data={"told": told_level} | timing(decision.rationale_due_at, now)))
    change.notices += tell("rationale_missing", told, told_level, deciding_level=decision.current.level)


def _dispute_unanswered(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    escalate_dispute(change, SYSTEM, "unanswered", now, groups, timing(change.decision.disputes[-1].answer_due_at, now))


def _settle(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    decision = change.decision
    change.events.append(Event("settled", SYSTEM, now, decision.level, data=timing(decision.settles_at, now)))
    change.decision = replace(decision, state=State.FINAL, settles_at=None)


# -- the moves the actions share ------------------------------------------------------------------


def open_round(change: DecisionOutcome, level: str, purpose: Purpose, now: datetime, groups: Groups, *,
               came_from: str | None = None, fallback: tuple[str, ...] = ()) -> None:
    """A new vote at `level` (or the lead's ruling), its people told; closed at once when it is
    already settled (nobody to vote: no decision, and it goes up)."""
    decision = change.decision
    extra = {"purpose": purpose.value} | ({"came_from": came_from} if came_from else {})
    if level == LEAD:
        ruling = Round(LEAD, purpose, (groups.lead,), decision.policy.core, now, None)
        change.decision = replace(decision, level=LEAD, state=State.LEAD, rounds=(*decision.rounds, ruling),
                                  lead_remind_at=now + decision.policy.core.duration)
        change.notices += tell("lead_asked", (groups.lead,), LEAD, **extra)
        return
    policy = decision.policy.core if level == CORE else decision.policy.vote
    voters = (groups.of_core() if level == CORE else groups.of_area(decision.area)) or fallback
    vote = Round(level, purpose, voters, policy, now, now + policy.duration)
    change.decision = replace(decision, level=level, state=State.VOTING, rounds=(*decision.rounds, vote),
                              rationale_due_at=None, rationale_reminders_sent=0, rationale_missing_told=False)
    change.notices += tell("vote", voters, level, closes_at=vote.closes_at.isoformat(), **extra)
    close_if_settled(change, now, groups)


def close_if_settled(change: DecisionOutcome, now: datetime, groups: Groups) -> None:
    current = change.decision.current
    if decided_early(current.policy.rule, current.policy.quorum, current.voters, current.ballots) is not None:
        close(change, now, groups, early=True)


def close(change: DecisionOutcome, now: datetime, groups: Groups, *, early: bool,
          due_at: datetime | None = None) -> None:
    count = change.decision.current.count()
    change.decision = with_round(change.decision, closed_at=now, result=count.result, early=early)
    data = {"result": count.result.value, "for": count.in_favour, "against": count.against,
            "abstain": count.abstain, "quorum_met": count.quorum_met, "early": early}
    change.events.append(Event("closed", SYSTEM, now, change.decision.level, count.why_no_decision,
                               data=data | (timing(due_at, now) if due_at else {})))
    apply_result(change, now, groups, SYSTEM, count.why_no_decision)


def apply_result(change: DecisionOutcome, now: datetime, groups: Groups, actor: str,
                 why: str | None = None) -> None:
    """What the current round's result does: no decision goes up; an outcome waits for its rationale,
    or is published at once when it is the lead's or a veto's."""
    decision = change.decision
    current = decision.current
    if current.result is Result.NO_DECISION:
        above = CORE if current.level.startswith("area:") else LEAD
        reason = f"no decision: {why}" if why else "no decision"
        change.events.append(Event("escalated", SYSTEM, now, above, reason, {"from": current.level}))
        open_round(change, above, current.purpose, now, groups, came_from=current.level)
        return
    if current.purpose is Purpose.VETO:
        _apply_veto(change, now, actor)
        return
    if current.purpose is Purpose.DECIDE:
        change.decision = replace(decision, outcome=current.result)
    else:  # a dispute: For upholds the standing outcome, Against overturns it
        upheld = current.result is Result.PASSED
        resolved = replace(decision.disputes[-1], resolution="upheld" if upheld else "overturned",
                           resolved_by=current.level)
        change.decision = replace(decision, outcome=decision.outcome if upheld else _flipped(decision.outcome),
                                  disputes=(*decision.disputes[:-1], resolved))
    if current.level == LEAD:
        publish(change, actor, now, State.FINAL)
        return
    rationale_due_at = now + current.policy.rationale_within
    change.decision = replace(change.decision, state=State.DECIDED, rationale_due_at=rationale_due_at,
                              rationale_reminders_sent=0, rationale_missing_told=False)
    change.notices += tell("decided", current.voters, current.level, result=current.result.value,
                           purpose=current.purpose.value, rationale_due_at=rationale_due_at.isoformat())


def _apply_veto(change: DecisionOutcome, now: datetime, actor: str) -> None:
    decision = change.decision
    current = decision.current
    vetoed = current.result is Result.PASSED
    resolved = replace(decision.vetoes[-1], resolution="vetoed" if vetoed else "declined", resolved_by=current.level)
    change.decision = replace(decision, vetoes=(*decision.vetoes[:-1], resolved))
    if vetoed:
        if current.rationale is None:  # the core voted on the reason the veto was asked with
            change.decision = with_round(change.decision, rationale=resolved.reason, rationale_by=resolved.by,
                                         rationale_at=now)
        publish(change, actor, now, State.VETOED)
    elif current.level == LEAD:
        publish(change, actor, now, State.FINAL)
    else:  # the decision stands as it was published, its window still running
        level = decision.deciding.level
        change.decision = replace(change.decision, level=level, state=State.PUBLISHED)
        change.events.append(Event("veto_declined", SYSTEM, now, level))
        change.notices.append(Notice("published", (), level, {"veto_declined": True}))


def publish(change: DecisionOutcome, actor: str, now: datetime, state: State) -> None:
    """The outcome, with its rationale, goes on the public record; a module decision stays open to
    dispute and veto for `veto_window` (`published`), anything else is `final` or `vetoed` at once."""
    decision = change.decision
    settles_at = now + decision.policy.vote.veto_window if state is State.PUBLISHED else None
    change.decision = replace(decision, state=state, published_at=now, settles_at=settles_at,
                              rationale_due_at=None, lead_remind_at=None)
    data = {"state": state.value, "outcome": decision.outcome.value if decision.outcome else None}
    change.events.append(Event("published", actor, now, decision.level, data=data))
    change.notices.append(Notice("published", (), decision.level, data))


def escalate_dispute(change: DecisionOutcome, by: str, why: str, now: datetime, groups: Groups,
                     timing_data: dict | None = None) -> DecisionOutcome:
    """The dispute goes to the core: a core vote on it (For upholds the outcome, Against overturns it)."""
    decision = change.decision
    escalated = replace(decision.disputes[-1], escalated=why, resolution=None, resolved_by=None)
    change.decision = replace(decision, disputes=(*decision.disputes[:-1], escalated), settles_at=None)
    reason = "the disputer escalated it" if why == "disputer" else "the group did not answer in time"
    change.events.append(Event("dispute_escalated", by, now, CORE, reason,
                               {"from": decision.level} | (timing_data or {})))
    open_round(change, CORE, Purpose.DISPUTE, now, groups, came_from=decision.level)
    return change


def with_round(decision: Decision, **changes) -> Decision:
    """The decision with its current round changed."""
    return replace(decision, rounds=(*decision.rounds[:-1], replace(decision.current, **changes)))


def tell(kind: str, people: tuple[str, ...], level: str, **data) -> list[Notice]:
    """A notice for `people`, or none when there is nobody (an empty `to` means the public record)."""
    return [Notice(kind, people, level, data)] if people else []


def timing(due_at: datetime, now: datetime) -> dict:
    """When the deadline behind an event was due, and whether it was acted on late."""
    return {"due_at": due_at.isoformat()} | ({"late": True} if now - due_at > LATE else {})


# -- moments ------------------------------------------------------------------------------------


def fractions(policy: VotePolicy) -> tuple[float, ...]:
    """The reminder points in the order they come (the config sorts them; a hand-built policy may not)."""
    return tuple(sorted(set(policy.reminders)))


def _vote_reminders_left(vote: Round) -> list[datetime]:
    """The moments of the reminders the vote has not sent yet: fractions of its duration."""
    duration = vote.closes_at - vote.opened_at
    return [vote.opened_at + duration * fraction for fraction in fractions(vote.policy)[vote.reminders_sent:]]


def _vote_reminder_at(decision: Decision) -> datetime | None:
    moments = [moment for moment in _vote_reminders_left(decision.current) if moment < decision.current.closes_at]
    return moments[0] if moments else None


def _rationale_reminders_left(decision: Decision) -> list[datetime]:
    within = decision.current.policy.rationale_within
    start = decision.rationale_due_at - within
    reminders = fractions(decision.current.policy)
    return [start + within * fraction for fraction in reminders[decision.rationale_reminders_sent:]]


def _rationale_reminder_at(decision: Decision) -> datetime | None:
    if decision.rationale_due_at is None or decision.rationale_missing_told:
        return None
    moments = [moment for moment in _rationale_reminders_left(decision) if moment < decision.rationale_due_at]
    return moments[0] if moments else None


def _skip(change: DecisionOutcome, now: datetime, moments: list[datetime], why: str, kind: str) -> None:
    """Record reminders whose moment has passed as skipped: dropped, not sent late."""
    for moment in moments:
        if moment <= now:
            change.events.append(Event(kind, SYSTEM, now, change.decision.level, why, timing(moment, now)))


def _by(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment <= now


def _earliest(*moments: datetime | None) -> datetime | None:
    return min((moment for moment in moments if moment is not None), default=None)


def _flipped(outcome: Result | None) -> Result | None:
    return {Result.PASSED: Result.REJECTED, Result.REJECTED: Result.PASSED}.get(outcome, outcome)
