"""Nominations and removals: who may propose a change of maintainers, and how the core decides it.

    /nominate @kshitij12345 nn Reviews most nn PRs     → #41 nominated, kshitij12345 told
    /nominate remove @me jit                           → #42, a self-nomination for removal
    /nominate @ezyang core                             → #43, only a core or module maintainer may
    /nominate remove @lead core                        → #44, the lead's removal: a core vote of a share of all

A nomination waits for the core's review (`nomination_clocks.start_review`, every `review_every`, or
`/nominate review`), which puts it on the slate. There a core maintainer may **Desk-reject** it (the
reason is published), **Ask the maintainers** (each of the target's maintainers fills a form: depth
and breadth of the nominee's contributions, testimonials, support yes or no) and **Call the vote**:
a Decision of the core (Kind.CORE, under the core's `decisions.core` policy) for a module, of the
lead alone (Kind.LEAD) for the core's own membership, and for the lead's removal a core vote that
passes only with `governance.lead_removal` of all the core (Rule.SHARE_OF_ALL). When that decision
is published, `decided` confirms the nomination with its `HierarchyChange`, or rejects it; either
way the outcome is published with the decision's rationale.

Each function takes `now` and the groups as the config has them today, returns the nomination
after the change with its events and notices (a notice with no `to` is for the public record), and
never changes the nomination it is given. A move the rules do not allow raises `Refusal`.

Where DESIGN.md and PyTorch's text are silent:
- Nominating for the core — adding or removing — is for core and module maintainers; anyone may
  nominate for a module. Whoever may nominate may join an open nomination with their own reason.
- Nobody acts on their own nomination (desk-reject, ask, call the vote), is asked about it, or votes
  on it: they leave the vote's voters, as PyTorch leaves out "persons with conflict of interest".
  The lead's removal is voted by the core without the lead, and counts all of them.
- Desk-rejection is open until the vote is called; asking only once it is on the slate, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain import decisions as decision_rules
from bot.domain.decision_policy import DecisionSettings, Rule
from bot.domain.decision_record import Decision, DecisionOutcome, Groups, Kind
from bot.domain.errors import Refusal
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.domain.nomination_clocks import done, voters_of
from bot.domain.nomination_record import (
    CORE,
    OPEN,
    Action,
    Answer,
    Ask,
    Nomination,
    NominationOutcome,
    Nominator,
    State,
)
from bot.domain.tally import Result
from bot.domain.ticket import SYSTEM, Event, Notice


def nominate(*, action: Action, person: str, target: str, by: str, reason: str | None, groups: Groups,
             now: datetime) -> NominationOutcome:
    """A new nomination, waiting for the next review; the nominee is told (unless they nominated themselves)."""
    _refuse_unless_may_nominate(by, target, groups)
    holds = groups.is_core(person) if target == CORE else person in groups.of_area(target)
    where = "a core maintainer" if target == CORE else f"a maintainer of {target}"
    if action is Action.ADD and holds:
        raise Refusal(f"{{person}} is already {where}.", people={"person": person})
    if action is Action.REMOVE and not holds:
        raise Refusal(f"{{person}} is not {where} (emeritus maintainers hold no seat), so there is nothing to "
                      "remove.", people={"person": person})
    nomination = Nomination(action, person, target, (Nominator(by, _text(reason), now),), State.NOMINATED, now,
                            of_lead=action is Action.REMOVE and target == CORE and person == groups.lead)
    change = NominationOutcome(nomination)
    change.events.append(Event("nominated", by, now, nomination.level, _text(reason),
                               {"action": action.value, "person": person, "target": target}))
    if by != person:
        change.notices.append(Notice("nominated", (person,), nomination.level,
                                     {"action": action.value, "target": target, "by": by}))
    return done(change)


def join(nomination: Nomination, *, by: str, reason: str | None, groups: Groups, now: datetime) -> NominationOutcome:
    """A second nomination of the same person, for the same change, while the first is open: it joins it."""
    _refuse_unless_may_nominate(by, nomination.target, groups)
    if nomination.state not in OPEN:
        raise Refusal(f"{_name(nomination)} is closed: {_where(nomination)}.")
    if any(nominator.by == by for nominator in nomination.nominators):
        raise Refusal(f"You have already nominated {{person}} in {_name(nomination)}.",
                      people={"person": nomination.person})
    change = NominationOutcome(replace(nomination, nominators=(*nomination.nominators,
                                                               Nominator(by, _text(reason), now))))
    change.events.append(Event("joined", by, now, nomination.level, _text(reason)))
    return done(change)


def desk_reject(nomination: Nomination, *, by: str, reason: str, groups: Groups, now: datetime) -> NominationOutcome:
    """A core maintainer filters a nomination out (spam, or not ready), with a reason that is published."""
    _refuse_unless_core_acts(nomination, by, groups, "desk-reject")
    if nomination.state not in (State.NOMINATED, State.IN_REVIEW, State.ASKED):
        raise Refusal(f"{_name(nomination)} can no longer be desk-rejected: {_where(nomination)}.")
    reason = _required(reason, f"Say why {_name(nomination)} is desk-rejected: the reason is published.")
    closed = replace(nomination, state=State.DESK_REJECTED, closed_at=now, closed_by=by, reason=reason)
    change = NominationOutcome(closed)
    change.events.append(Event("desk_rejected", by, now, nomination.level, reason))
    _tell_outcome(change, "desk_rejected", by)
    return done(change)


def ask_maintainers(nomination: Nomination, *, by: str, groups: Groups, window: timedelta,
                    reminders: tuple[float, ...], now: datetime) -> NominationOutcome:
    """Ask the target's maintainers (the core's, for the core) for information and testimonials, each
    by a form, within `window`; those yet to answer are reminded at the `reminders` fractions of it."""
    _refuse_unless_core_acts(nomination, by, groups, "ask the maintainers about")
    if nomination.state is not State.IN_REVIEW:
        raise Refusal(f"{_name(nomination)} cannot be asked about now: {_where(nomination)}.")
    members = groups.of_core() if nomination.target == CORE else groups.of_area(nomination.target)
    people = tuple(person for person in members if person not in (nomination.person, groups.lead))
    if not people:
        raise Refusal(f"There is nobody to ask about {_name(nomination)}: call the vote instead.")
    ask = Ask(by, now, now + window, people, tuple(sorted(set(reminders))))
    change = NominationOutcome(replace(nomination, state=State.ASKED, ask=ask))
    change.events.append(Event("asked", by, now, nomination.level, data={"people": list(people),
                                                                          "due_at": ask.due_at.isoformat()}))
    change.notices.append(Notice("ask", people, nomination.level, {"due_at": ask.due_at.isoformat(), "by": by}))
    return done(change)


def answer(nomination: Nomination, *, by: str, depth: str, breadth: str, testimonials: str | None, support: bool,
           groups: Groups, now: datetime) -> NominationOutcome:
    """An asked maintainer's form; a second one replaces their first. Once everyone has answered, those
    who decide are told."""
    ask = nomination.ask
    if nomination.state is not State.ASKED:
        raise Refusal(f"{_name(nomination)} is not asking for answers: {_where(nomination)}.")
    if by not in ask.people:
        slots = {f"asked{index}": person for index, person in enumerate(ask.people)}
        raise Refusal(f"Only those asked about {_name(nomination)} can answer: "
                      + ", ".join(f"{{{slot}}}" for slot in slots) + ".", people=slots)
    depth = _required(depth, "Describe the depth of their code, review and design contributions.")
    breadth = _required(breadth, "Describe the breadth of their contributions.")
    form = Answer(by, depth, breadth, _text(testimonials) or "", bool(support), now)
    again = any(earlier.by == by for earlier in ask.answers)
    ask = replace(ask, answers=(*(earlier for earlier in ask.answers if earlier.by != by), form))
    change = NominationOutcome(replace(nomination, ask=ask))
    change.events.append(Event("answered", by, now, nomination.level, data={"support": form.support, "again": again}))
    if not ask.unanswered and not ask.closed:
        change.nomination = replace(change.nomination, ask=replace(ask, closed=True))
        change.notices.append(Notice("answers_in", voters_of(nomination, groups), nomination.level,
                                     {"complete": True}))
    return done(change)


def call_vote(nomination: Nomination, *, by: str, groups: Groups, policy: DecisionSettings, lead_removal: float,
              proposal: str, now: datetime) -> tuple[NominationOutcome, DecisionOutcome]:
    """Put it to the vote: the decision (not yet numbered) and the nomination waiting on it (`linked`
    gives it the decision's number once stored)."""
    _refuse_unless_core_acts(nomination, by, groups, "call the vote on")
    if nomination.state not in (State.IN_REVIEW, State.ASKED):
        raise Refusal(f"The vote on {_name(nomination)} cannot be called now: {_where(nomination)}.")
    voters = tuple(person for person in groups.of_core() if person != nomination.person)
    lead_decides = nomination.target == CORE and not nomination.of_lead
    if not lead_decides and not voters:
        raise Refusal(f"There is nobody in the core to vote on {_name(nomination)}.")
    if nomination.of_lead:
        policy = replace(policy, core=replace(policy.core, rule=Rule.SHARE_OF_ALL, quorum=lead_removal))
    vote = decision_rules.call_vote(
        kind=Kind.LEAD if lead_decides else Kind.CORE, area=None if nomination.target == CORE else nomination.target,
        proposal=proposal, by=by, groups=replace(groups, core=voters), policy=policy, now=now)
    change = NominationOutcome(replace(nomination, state=State.VOTING))
    change.events.append(Event("vote_called", by, now, nomination.level, data={"kind": vote.decision.kind.value}))
    return done(change), vote


def linked(change: NominationOutcome, decision: int) -> NominationOutcome:
    """The nomination with the number of the decision that votes on it (its "vote_called" event too)."""
    change.nomination = replace(change.nomination, decision=decision)
    change.events = [replace(event, data=event.data | {"decision": decision}) if event.kind == "vote_called" else event
                     for event in change.events]
    return change


def decided(nomination: Nomination, decision: Decision, *, now: datetime, slack: str | None = None,
            name: str | None = None) -> NominationOutcome:
    """Its decision was published: confirmed (with the change to the hierarchy) or rejected, published
    with the decision's rationale. The lead's removal, confirmed, leaves the lead's seat vacant."""
    if nomination.state is not State.VOTING or nomination.decision != decision.number:
        raise Refusal(f"{_name(nomination)} is not waiting on #{decision.number}: {_where(nomination)}.")
    passed = decision.outcome is Result.PASSED
    by = next((vote.rationale_by for vote in reversed(decision.rounds) if vote.rationale_by), SYSTEM)
    hierarchy = (_change_for(nomination, decision.number, now, slack, name)
                 if passed and not nomination.of_lead else None)
    closed = replace(nomination, state=State.CONFIRMED if passed else State.REJECTED, closed_at=now, closed_by=by,
                     reason=decision.rationale, change=hierarchy)
    change = NominationOutcome(closed)
    change.events.append(Event("confirmed" if passed else "rejected", by, now, nomination.level, decision.rationale,
                               {"decision": decision.number} | ({"change": hierarchy.kind.value} if hierarchy else {})))
    _tell_outcome(change, closed.state.value, by)
    if passed and nomination.of_lead:  # the core now elects a new lead by ranked choice
        change.notices.append(Notice("lead_vacant", decision.current.voters, CORE,
                                     {"removed": nomination.person, "next": "/elect lead"}))
    return done(change)


def proposal(nomination: Nomination, name: Callable[[str], str]) -> str:
    """What the decision puts to the vote, in words ("Nomination #41: add Kshitij to the nn maintainers")."""
    who, group = name(nomination.person), ("core" if nomination.target == CORE else nomination.target)
    if nomination.of_lead:
        what = f"remove {who} as the lead core maintainer"
    elif nomination.action is Action.ADD:
        what = f"add {who} to the {group} maintainers"
    elif nomination.emeritus:
        what = f"move {who} from the {group} maintainers to emeritus"
    else:
        what = f"remove {who} from the {group} maintainers"
    reasons = [f"{name(n.by) if n.by != SYSTEM else 'The review'}: {n.reason}" for n in nomination.nominators
               if n.reason]
    return "\n".join([f"Nomination {_name(nomination)}: {what}.", *reasons])


# -- helpers --------------------------------------------------------------------------------------


def _change_for(nomination: Nomination, number: int | None, now: datetime, slack: str | None,
                name: str | None) -> HierarchyChange:
    area = None if nomination.target == CORE else nomination.target
    if nomination.action is Action.ADD:
        kind = ChangeKind.ADD_MAINTAINER
    else:
        kind = ChangeKind.TO_EMERITUS if nomination.emeritus else ChangeKind.REMOVE
    return HierarchyChange(kind, nomination.person, area, decided_in=number, decided_at=now, name=name, slack=slack)


def _tell_outcome(change: NominationOutcome, outcome: str, by: str) -> None:
    nomination = change.nomination
    data = {"outcome": outcome, "by": by, "reason": nomination.reason, "decision": nomination.decision,
            "change": nomination.change.kind.value if nomination.change else None}
    change.notices.append(Notice("published", (), nomination.level, data))
    told = tuple(dict.fromkeys(person for person in (nomination.person, *(n.by for n in nomination.nominators))
                               if person != SYSTEM))
    change.notices.append(Notice("outcome", told, nomination.level, data))


def _refuse_unless_may_nominate(by: str, target: str, groups: Groups) -> None:
    if target != CORE and target not in groups.areas:
        raise Refusal(f"There is no area '{target}' to nominate for.")
    if target == CORE and not groups.is_maintainer(by):
        raise Refusal("Only core and module maintainers can nominate for the core; anyone can nominate for a "
                      "module: `/nominate @person <area> [why]`.")


def _refuse_unless_core_acts(nomination: Nomination, by: str, groups: Groups, doing: str) -> None:
    if not groups.is_core(by):
        raise Refusal(f"Only a core maintainer or the lead ({{lead}}) can {doing} {_name(nomination)}.",
                      people={"lead": groups.lead})
    if by == nomination.person:
        raise Refusal(f"You cannot {doing} {_name(nomination)}: it is about you.")


def _where(nomination: Nomination) -> str:
    return {
        State.NOMINATED: "it waits for the next review (`/nominate review` brings it forward)",
        State.IN_REVIEW: "it is on the core's slate",
        State.ASKED: "its maintainers are being asked for information",
        State.VOTING: f"#{nomination.decision} is voting on it",
        State.CONFIRMED: "it was confirmed",
        State.REJECTED: "it was rejected",
        State.DESK_REJECTED: "it was desk-rejected",
    }[nomination.state]


def _text(text: str | None) -> str | None:
    return (text or "").strip() or None


def _required(text: str | None, ask: str) -> str:
    text = _text(text)
    if text is None:
        raise Refusal(ask)
    return text


def _name(nomination: Nomination) -> str:
    return f"#{nomination.number}" if nomination.number is not None else "this nomination"
