"""Decisions: a proposal put to a vote, climbing the ladder when its group cannot settle it.

`/vote nn Deprecate nn.Container` opens a **module vote**: every nn maintainer is asked (**For**,
**Against**, **Abstain**) under the rule, quorum and duration copied onto the decision when it opens,
and may change their vote until it closes — at its deadline, or as soon as no remaining vote can
change the outcome (`tally.decided_early`).
- *Passed* or *rejected*: the group is asked to **Write the rationale**; once written, the outcome is
  published with it (the reminders and the overdue notice are in `decision_clocks`).
- *No decision* (a tie, a missed quorum): a **core vote** on the same proposal under `decisions.core`;
  a core *no decision* goes to **the lead**, who approves or rejects alone, with a rationale, published
  at once. The lead's word is final.
- A published module decision may be **disputed** (`/dispute #N <reason>`): the group that decided
  answers **Uphold** (with an explanation, published) or **Revote** (a fresh vote of the group) within
  its `duration`; unanswered, or when the disputer presses **Escalate to core**, it is a core vote
  (For upholds the outcome, Against overturns it), then the lead on *no decision*.
- A core maintainer may ask the core to **veto** it (`/veto #N <reason>`) within `veto_window` of its
  publication: a core vote (For vetoes), then the lead on *no decision*. A vetoed decision is
  published as vetoed, with the reason.

States (`decision_record.State`): `voting` (`level` says whose: `area:nn` or `core`) → `decided` (the
outcome stands, its rationale pending) → `published` → `final`; `lead` when no decision reached the
lead; `disputed`; `vetoed`. *No decision* is not a resting state: it opens the next rung's vote at once.

Each function takes `now` and the groups as the config has them today (`Groups`), returns the decision
after the change with exactly the events for its history and the notices for who must hear (a notice
with no `to` is for the public record: `decisions.channel`, else the area's channel and the core's),
and never changes the decision it is given. A move the rules do not allow raises `Refusal`, naming
who may make it; a refusal changes nothing.

Where DESIGN.md is silent:
- A module vote is called by the area's maintainers, a core maintainer or the lead; a core vote, or a
  question for the lead alone, by a core maintainer or the lead. Votes run around the clock.
- Any maintainer (of any area), a core maintainer or the lead may dispute. Only module decisions can be
  disputed or vetoed, and only once published (a dispute argues with the reasons); what the core or
  the lead decided — a proposal, a dispute, a veto — is final once published.
- A published module decision becomes final `veto_window` after its publication: no dispute after
  that. An **Uphold** gives the disputer at least the group's `duration` more to escalate. One dispute
  at a time; a disputer may not dispute the same outcome twice (they escalate instead); one veto vote
  per outcome; no veto while a dispute is open (the dispute reaches the core first).
- A **Revote** is a fresh vote of the area's maintainers as they are today.
- The rationale may be written by anyone of the group that decided, a core maintainer or the lead.
  A veto that passes is published with the reason it was asked with; a veto the core declines leaves
  the decision published, its window running; one the lead declines makes it final.
- Recusal is offered in core votes only; a core vote with nobody left to vote is a no decision at once.
- Pressing the choice already made is refused ("You already voted For"), so a retried click changes
  nothing; a ballot after the deadline is refused even before the sweeper has closed the vote.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.decision_clocks import (
    apply_result,
    close_if_settled,
    done,
    due,
    escalate_dispute,
    next_due_at,
    open_round,
    publish,
    tell,
    with_round,
)
from bot.domain.decision_policy import DecisionSettings
from bot.domain.decision_record import (
    CORE,
    LEAD,
    Decision,
    DecisionOutcome,
    Dispute,
    Groups,
    Kind,
    Purpose,
    Round,
    State,
    Veto,
    waiting_on,
)
from bot.domain.durations import format_duration
from bot.domain.errors import Refusal
from bot.domain.tally import Ballot, Choice, Result
from bot.domain.ticket import Event, Notice

__all__ = [
    "Decision", "DecisionOutcome", "Dispute", "Groups", "Kind", "Purpose", "Round", "State", "Veto",
    "answer_dispute", "ask_veto", "call_vote", "cast", "dispute", "due", "escalate_dispute_to_core",
    "lead_decides", "next_due_at", "recuse", "waiting_on", "write_rationale",
]


def call_vote(*, kind: Kind, area: str | None, proposal: str, by: str, groups: Groups,
              policy: DecisionSettings, now: datetime, ticket: int | None = None) -> DecisionOutcome:
    """Open a decision: the first group's vote (or the question to the lead), its people told."""
    proposal = _required(proposal, "Say what the vote is about: `/vote [area] <proposal>`.")
    if kind is Kind.MODULE:
        if not area or area not in groups.areas:
            raise Refusal(f"There is no area {area!r} to vote in." if area else "Name the area that votes: "
                          "`/vote <area> <proposal>`.")
        level = f"area:{area}"
        if not (by in groups.of_area(area) or groups.is_core(by)):
            raise Refusal(f"Only the {area} maintainers, a core maintainer or the lead ({{lead}}) can call a vote "
                          f"on {area}; `/escalate {area}` is yours to raise it with them.",
                          people={"lead": groups.lead})
        if not groups.of_area(area):
            raise Refusal(f"{area} has no active maintainers to vote; a core maintainer can call a core vote instead.")
    else:
        level = CORE if kind is Kind.CORE else LEAD
        if not groups.is_core(by):
            raise Refusal("Only a core maintainer or the lead ({lead}) can call a core vote or put a question to "
                          "the lead; `/escalate` is yours to raise it with them.", people={"lead": groups.lead})
    decision = Decision(kind=kind, area=area, proposal=proposal, caller=by, policy=policy, opened_at=now,
                        level=level, state=State.VOTING, ticket=ticket)
    change = DecisionOutcome(decision)
    change.events.append(Event("called", by, now, level, data={"kind": kind.value}))
    open_round(change, level, Purpose.DECIDE, now, groups)
    return done(change)


def cast(decision: Decision, *, by: str, choice: Choice, now: datetime, groups: Groups) -> DecisionOutcome:
    """A voter's ballot; a changed vote replaces their earlier one. The vote closes once it is settled."""
    current = _open_vote(decision, now, "vote on")
    if by not in current.voters:
        if by in current.recused:
            raise Refusal(f"You recused yourself from the vote on {_name(decision)}.")
        names, people = _listing("voter", current.voters)
        raise Refusal(f"Only {names} can vote on {_name(decision)}; nothing was changed.", people=people)
    previous = next((ballot.choice for ballot in current.ballots if ballot.voter == by), None)
    if previous is choice:
        raise Refusal(f"You already voted {_label(choice)} on {_name(decision)}; press another button to change "
                      "your vote.")
    ballots = (*(ballot for ballot in current.ballots if ballot.voter != by), Ballot(by, choice, now))
    change = DecisionOutcome(with_round(decision, ballots=ballots))
    data = {"choice": choice.value} | ({"previous": previous.value} if previous else {})
    change.events.append(Event("voted", by, now, decision.level, data=data))
    close_if_settled(change, now, groups)
    return done(change)


def recuse(decision: Decision, *, by: str, now: datetime, groups: Groups) -> DecisionOutcome:
    """A core maintainer steps out of a core vote (a conflict of interest): no longer a voter on it."""
    current = _open_vote(decision, now, "recuse from")
    if current.level != CORE:
        raise Refusal(f"Only a core vote offers recusal; {_name(decision)} is a vote of the {_group(current.level)}.")
    if by not in current.voters:
        raise Refusal(f"You are not a voter on {_name(decision)}, so there is nothing to recuse from.")
    change = DecisionOutcome(with_round(
        decision, voters=tuple(voter for voter in current.voters if voter != by), recused=(*current.recused, by),
        ballots=tuple(ballot for ballot in current.ballots if ballot.voter != by)))
    change.events.append(Event("recused", by, now, decision.level))
    close_if_settled(change, now, groups)
    return done(change)


def write_rationale(decision: Decision, *, by: str, text: str, now: datetime, groups: Groups,
                    for_round: int | None = None) -> DecisionOutcome:
    """The reasoning behind the outcome: once written, the outcome is published with it. `for_round` is
    the round the writer was shown (a form opened before a revote must not give reasons to its outcome)."""
    if decision.state is not State.DECIDED:
        raise Refusal(f"{_name(decision)} has no rationale to write now: {_where(decision)}.")
    _refuse_if_moved_on(decision, for_round, "Write the rationale")
    current = decision.current
    if not (by in current.voters or groups.is_core(by)):
        raise Refusal(f"Only the {_group(current.level)} who decided {_name(decision)}, a core maintainer or the "
                      "lead ({lead}) can write its rationale.", people={"lead": groups.lead})
    text = _required(text, "Write the reasoning behind the outcome: it is published with it.")
    change = DecisionOutcome(with_round(decision, rationale=text, rationale_by=by, rationale_at=now))
    change.events.append(Event("rationale", by, now, decision.level, text))
    open_to_challenge = current.purpose is Purpose.DECIDE and current.level.startswith("area:")
    publish(change, by, now, State.PUBLISHED if open_to_challenge else State.FINAL)
    return done(change)


def lead_decides(decision: Decision, *, by: str, approve: bool, rationale: str, now: datetime,
                 groups: Groups, for_round: int | None = None) -> DecisionOutcome:
    """The lead's Approve or Reject of what reached them, with the reasoning: final, published at once.
    `for_round` is the round the lead was shown, as in `write_rationale`."""
    if decision.state is not State.LEAD:
        raise Refusal(f"{_name(decision)} is not waiting on the lead: {_where(decision)}.")
    _refuse_if_moved_on(decision, for_round, "Approve or Reject")
    if by != groups.lead:
        raise Refusal(f"Only the lead ({{lead}}) decides {_name(decision)} now.", people={"lead": groups.lead})
    text = _required(rationale, "Write the reasoning behind your decision: it is published with it.")
    choice = Choice.FOR if approve else Choice.AGAINST
    change = DecisionOutcome(with_round(
        decision, voters=(by,), ballots=(Ballot(by, choice, now),), closed_at=now,
        result=Result.PASSED if approve else Result.REJECTED, rationale=text, rationale_by=by, rationale_at=now))
    change.events.append(Event("lead_decided", by, now, LEAD, text, {"approve": approve}))
    apply_result(change, now, groups, by)
    return done(change)


def dispute(decision: Decision, *, by: str, reason: str, now: datetime, groups: Groups) -> DecisionOutcome:
    """A maintainer disputes a published module decision: the group that decided must answer."""
    if not groups.is_maintainer(by):
        raise Refusal("Only maintainers can dispute a decision; `/escalate` is yours to raise it with them.")
    _refuse_unless_open_to_challenge(decision, "disputed", now)
    reason = _required(reason, f"Say why you dispute {_name(decision)}: `/dispute {_name(decision)} <reason>`.")
    deciding = decision.deciding
    if any(earlier.by == by and earlier.at >= deciding.closed_at for earlier in decision.disputes):
        raise Refusal(f"You have disputed this outcome of {_name(decision)} already; press Escalate to core on "
                      "your dispute to take it further.")
    answer_due_at = now + decision.policy.vote.duration
    change = DecisionOutcome(replace(decision, state=State.DISPUTED,
                                     disputes=(*decision.disputes, Dispute(by, reason, now, answer_due_at))))
    change.events.append(Event("disputed", by, now, decision.level, reason,
                               {"answer_due_at": answer_due_at.isoformat()}))
    change.notices += tell("disputed", deciding.voters, decision.level, by=by, reason=reason,
                            answer_due_at=answer_due_at.isoformat())
    return done(change)


def answer_dispute(decision: Decision, *, by: str, uphold: bool, explanation: str | None, now: datetime,
                   groups: Groups, for_dispute: int | None = None) -> DecisionOutcome:
    """The group that decided answers a dispute: Uphold (the explanation is published) or Revote.
    `for_dispute` is the number (1, 2, …) of the dispute the answer was written to, when it was written
    in a form: an explanation written to one dispute never answers a later one."""
    if decision.state is not State.DISPUTED:
        raise Refusal(f"{_name(decision)} has no open dispute to answer: {_where(decision)}.")
    deciding, open_dispute = decision.deciding, decision.disputes[-1]
    if for_dispute is not None and for_dispute != len(decision.disputes):
        raise Refusal(f"The dispute this answers was settled already; {{disputer}}'s dispute of {_name(decision)} is "
                      "open now: press Uphold again to answer it.", people={"disputer": open_dispute.by})
    if by not in deciding.voters:
        names, people = _listing("member", deciding.voters)
        raise Refusal(f"Only the {_group(deciding.level)} who decided {_name(decision)} ({names}) can answer its "
                      "dispute; the disputer can escalate it to the core.", people=people)
    if uphold:
        text = _required(explanation, "Explain why the outcome stands: the dispute, the arguments and the "
                                      "resolution are published.")
        answered = replace(open_dispute, answer="uphold", answered_by=by, explanation=text, resolution="upheld",
                           resolved_by=decision.level)
        settles_at = max(decision.settles_at or now, now + decision.policy.vote.duration)
        change = DecisionOutcome(replace(decision, state=State.PUBLISHED, settles_at=settles_at,
                                         disputes=(*decision.disputes[:-1], answered)))
        change.events.append(Event("dispute_upheld", by, now, decision.level, text))
        change.notices += [Notice("dispute_answered", (open_dispute.by,), decision.level, {"answer": "uphold"}),
                           Notice("published", (), decision.level, {"dispute_upheld": True, "by": by})]
        return done(change)
    note = (explanation or "").strip() or None
    answered = replace(open_dispute, answer="revote", answered_by=by, explanation=note, resolution="revote",
                       resolved_by=decision.level)
    change = DecisionOutcome(replace(decision, outcome=None, published_at=None, settles_at=None,
                                     disputes=(*decision.disputes[:-1], answered)))
    change.events.append(Event("revote", by, now, decision.level, note))
    change.notices.append(Notice("dispute_answered", (open_dispute.by,), decision.level, {"answer": "revote"}))
    open_round(change, deciding.level, Purpose.DECIDE, now, groups, fallback=deciding.voters)
    return done(change)


def escalate_dispute_to_core(decision: Decision, *, by: str, now: datetime, groups: Groups) -> DecisionOutcome:
    """The disputer takes their dispute to the core, unanswered or after an Uphold: a core vote on it."""
    last = decision.disputes[-1] if decision.disputes else None
    escalable = last is not None and last.escalated is None and (
        decision.state is State.DISPUTED or (decision.state is State.PUBLISHED and last.answer == "uphold"))
    if not escalable:
        raise Refusal(f"{_name(decision)} has no dispute to escalate: {_where(decision)}.")
    if by != last.by:
        raise Refusal(f"Only {{disputer}}, who disputed {_name(decision)}, can escalate the dispute to the core.",
                      people={"disputer": last.by})
    return done(escalate_dispute(DecisionOutcome(decision), by, "disputer", now, groups))


def ask_veto(decision: Decision, *, by: str, reason: str, now: datetime, groups: Groups) -> DecisionOutcome:
    """A core maintainer asks the core to veto a published module decision, within `veto_window`."""
    if not groups.is_core(by):
        raise Refusal("Only a core maintainer or the lead ({lead}) can ask the core to veto a decision.",
                      people={"lead": groups.lead})
    _refuse_unless_open_to_challenge(decision, "vetoed", now)
    window = decision.policy.vote.veto_window
    if now > decision.published_at + window:
        raise Refusal(f"The veto window of {_name(decision)} has closed: the core may veto a module decision "
                      f"within {format_duration(window)} of its publication.")
    if any(veto.at >= decision.deciding.closed_at for veto in decision.vetoes):
        raise Refusal(f"The core has already voted on a veto of this outcome of {_name(decision)}.")
    reason = _required(reason, f"Say why {_name(decision)} should be vetoed: `/veto {_name(decision)} <reason>`.")
    change = DecisionOutcome(replace(decision, vetoes=(*decision.vetoes, Veto(by, reason, now))))
    change.events.append(Event("veto_asked", by, now, decision.level, reason))
    open_round(change, CORE, Purpose.VETO, now, groups, came_from=decision.level)
    return done(change)


# -- helpers --------------------------------------------------------------------------------------


def _refuse_if_moved_on(decision: Decision, for_round: int | None, button: str) -> None:
    """Refuse an answer written to an earlier round than the decision's current one (a form kept open
    while the decision was disputed, revoted and decided again)."""
    if for_round is not None and for_round != len(decision.rounds):
        settled = decision.outcome in (Result.PASSED, Result.REJECTED)
        now_is = f" and is {decision.outcome.value} now" if settled else ""  # said in a form: plain text
        raise Refusal(f"{_name(decision)} was voted on again since this was opened{now_is}: press {button} again to "
                      "answer it as it stands.")


def _open_vote(decision: Decision, now: datetime, doing: str) -> Round:
    if decision.state is not State.VOTING:
        raise Refusal(f"There is no vote open on {_name(decision)}: {_where(decision)}.")
    if now >= decision.current.closes_at:
        raise Refusal(f"The vote on {_name(decision)} has reached its deadline; it is too late to {doing} it.")
    return decision.current


def _refuse_unless_open_to_challenge(decision: Decision, done_to: str, now: datetime) -> None:
    if decision.state is State.PUBLISHED and now < decision.settles_at:
        return
    if decision.state is State.DISPUTED:
        raise Refusal(f"{_name(decision)} is already disputed, by {{disputer}}; the group that decided answers "
                      "first, and the dispute goes to the core if they do not.",
                      people={"disputer": decision.disputes[-1].by})
    if decision.state in (State.FINAL, State.PUBLISHED):  # published, past its window: final once swept
        why = {LEAD: "the lead decided it", CORE: "the core decided it"}.get(
            decision.level, f"its window ({format_duration(decision.policy.vote.veto_window)} from publication) closed")
        raise Refusal(f"{_name(decision)} is final and can no longer be {done_to}: {why}.")
    raise Refusal(f"{_name(decision)} cannot be {done_to} now: {_where(decision)}.")


def _where(decision: Decision) -> str:
    """Where a decision stands, for a refusal."""
    if decision.state is State.VOTING:
        return f"the {_group(decision.level)} are voting on it"
    return {
        State.LEAD: "it is with the lead",
        State.DECIDED: "it is decided and waits for its rationale",
        State.PUBLISHED: "it is published",
        State.DISPUTED: "it is disputed",
        State.FINAL: "it is final" + (" (decided by the lead)" if decision.level == LEAD else ""),
        State.VETOED: "it was vetoed",
    }[decision.state]


def _group(level: str) -> str:
    return f"{level.removeprefix('area:')} maintainers" if level.startswith("area:") else {
        CORE: "core maintainers", LEAD: "lead"}.get(level, level)


def _listing(slot: str, people: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """"{voter0}, {voter1} and {voter2}" and who stands behind each placeholder."""
    slots = {f"{slot}{index}": person for index, person in enumerate(people)}
    names = [f"{{{name}}}" for name in slots]
    if not names:
        return "nobody", {}
    return (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]), slots


def _required(text: str | None, ask: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Refusal(ask)
    return text


def _label(choice: Choice) -> str:
    return choice.value.capitalize()


def _name(decision: Decision) -> str:
    return f"#{decision.number}" if decision.number is not None else "this decision"
