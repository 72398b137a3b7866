"""How Upline words a decision wherever it answers about one: `/vote`, the buttons, `/status #N`,
`/decisions` and App Home say the same thing the same way.

    where(config, decision)   "the nn maintainers vote on it until Mon 30 Nov at 09:00"
    tally_line(config, round) "For 1 · Against 0 · Abstain 0 · not voted: @Alban @Joel"
    describe(config, event)   "@Mikayla voted" · "vote closed early: passed"

People are mentions, user text (a proposal, a reason) is cut first and escaped after, so that a cut
never splits `&amp;` and `<!channel>` stays text.
"""

from __future__ import annotations

from datetime import datetime

from bot.config.schema import Config
from bot.domain.decision_record import CORE, LEAD, Decision, Kind, Purpose, Round, State
from bot.domain.tally import Result
from bot.domain.ticket import SYSTEM, Event
from handlers.views.text import escape, level_label, mention, mentions, when

RESULTS = {Result.PASSED.value: "passed", Result.REJECTED.value: "rejected", Result.NO_DECISION.value: "no decision"}
# What For and Against mean in a round on a dispute or a veto.
MEANING = {Purpose.DECIDE: "", Purpose.DISPUTE: " (For upholds the outcome, Against overturns it)",
           Purpose.VETO: " (For vetoes it)"}


def short(text: str | None, limit: int = 80) -> str:
    """The first line of user text, cut at `limit`, escaped."""
    lines = (text or "").strip().splitlines()
    first = lines[0] if lines else ""
    cut = len(first) > limit or len(lines) > 1
    return escape(first[:limit].rstrip()) + (" …" if cut else "")


def group(config: Config, level: str) -> str:
    """"nn maintainers", "core maintainers", "lead"."""
    return level_label(config, level)


def place(decision: Decision) -> str:
    """Whose matter it is, in a list: "nn", "core", "core (nn)" for a core vote on an nn ticket, "lead"."""
    if decision.kind is Kind.MODULE:
        return decision.area or "no area"
    name = CORE if decision.kind is Kind.CORE else LEAD
    return f"{name} ({decision.area})" if decision.area else name


def outcome_word(decision: Decision) -> str:
    if decision.state is State.VETOED:
        return "vetoed"
    return RESULTS.get(decision.outcome.value, "—") if decision.outcome else "—"


def asked(config: Config, people: tuple[str, ...], what: str) -> str:
    """"@a @b are asked to vote", "@a is asked to vote"."""
    return f"{mentions(config, people)} {'is' if len(people) == 1 else 'are'} asked to {what}"


def detail(config: Config, decision: Decision) -> str:
    """What its state means now, and who acts next: what follows "*Disputed* —" under `/status #N`."""
    state, current = decision.state, decision.current
    if state is State.VOTING:
        meaning = MEANING[current.purpose]
        return f"the {group(config, current.level)} vote on it until {when(current.closes_at)}{meaning}"
    if state is State.LEAD:
        return f"{mention(config, current.voters[0])}, the lead, approves or rejects it alone"
    if state is State.DECIDED:
        return (f"{outcome_word(decision)}; the {group(config, current.level)} write its rationale by "
                f"{when(decision.rationale_due_at)}")
    if state is State.PUBLISHED:
        return f"{outcome_word(decision)}; open to dispute and veto until {when(decision.settles_at)}"
    if state is State.DISPUTED:
        dispute, deciding = decision.disputes[-1], decision.deciding
        return (f"by {mention(config, dispute.by)}; the {group(config, deciding.level)} answer by "
                f"{when(dispute.answer_due_at)}, or the core votes on it")
    if state is State.FINAL:
        return f"{outcome_word(decision)}; nothing can change it now"
    return "published as vetoed, with the reason"


def where(config: Config, decision: Decision) -> str:
    """Where the decision stands and who acts next, as the end of a sentence."""
    said = detail(config, decision)
    return {
        State.VOTING: said,
        State.LEAD: f"it is with the lead, {mention(config, decision.current.voters[0])}, who approves or rejects it "
                    "alone",
        State.DECIDED: f"it is decided: {said}",
        State.PUBLISHED: f"it is published: {said}",
        State.DISPUTED: f"it is disputed {said}",
        State.FINAL: f"it is final: {said}",
        State.VETOED: "it is vetoed",
    }[decision.state]


def opened(config: Config, decision: Decision) -> str:
    """What whoever opened a vote (a call, a dispute's escalation, a veto, a revote) is told next."""
    current = decision.current
    if decision.state is State.VOTING:
        people = current.count().not_voted
        return (f"#{decision.number} is open for the {group(config, current.level)} until {when(current.closes_at)}"
                f"{MEANING[current.purpose]}: {asked(config, people, 'vote')}.")
    return f"#{decision.number}: {where(config, decision)}."


def tally_line(config: Config, vote: Round) -> str:
    count = vote.count()
    line = f"For {count.in_favour} · Against {count.against} · Abstain {count.abstain}"
    if vote.result is None and count.not_voted:
        line += f" · not voted: {mentions(config, count.not_voted)}"
    return line


def choices_line(config: Config, vote: Round) -> str:
    """Who voted how in a closed round (the published record shows it too)."""
    count = vote.count()
    parts = [f"{label}: {mentions(config, people)}" for label, people in (
        ("For", _voted(count, "for")), ("Against", _voted(count, "against")), ("Abstain", _voted(count, "abstain")),
        ("did not vote", count.not_voted), ("recused", vote.recused)) if people]
    return " · ".join(parts) or "nobody voted"


def _voted(count, choice: str) -> tuple[str, ...]:
    return tuple(voter for voter, chosen in count.choices.items() if chosen.value == choice)


def round_line(config: Config, vote: Round) -> str:
    """"nn maintainers, on the proposal: passed (closed early) — For 2 · Against 1 · Abstain 0"."""
    about = {Purpose.DECIDE: "the proposal", Purpose.DISPUTE: "the dispute", Purpose.VETO: "a veto"}[vote.purpose]
    if vote.level == LEAD:
        ruling = "approved" if vote.result is Result.PASSED else "rejected" if vote.result else "not yet decided"
        return f"*the lead*, on {about}: {ruling}"
    result = RESULTS[vote.result.value] if vote.result else f"open until {when(vote.closes_at)}"
    early = " (closed early)" if vote.early else ""
    return f"*{group(config, vote.level)}*, on {about}: {result}{early} — {tally_line(config, vote)}"


def describe(config: Config, event: Event) -> str:
    """One line of a decision's history."""
    actor = "Upline" if event.actor == SYSTEM else mention(config, event.actor)
    reason = f": {short(event.reason, 150)}" if event.reason else ""
    data = event.data
    told = "the lead was" if data.get("told") == LEAD else "the core maintainers were"
    words = {
        "called": (f"called by {actor}, a vote of the {group(config, event.level)}" if event.level != LEAD
                   else f"put to the lead by {actor}"),
        "voted": f"{actor} {'changed their vote' if data.get('previous') else 'voted'}",
        "recused": f"{actor} recused themselves",
        "closed": (f"vote closed{' early' if data.get('early') else ''}: {RESULTS.get(data.get('result'), '?')}"
                   f" (For {data.get('for', 0)} · Against {data.get('against', 0)} · Abstain {data.get('abstain', 0)})"
                   + (f", {escape(event.reason)}" if event.reason else "")),
        "escalated": f"went to the {group(config, event.level)}{reason}",
        "rationale": f"rationale written by {actor}",
        "lead_decided": f"{actor}, the lead, {'approved' if data.get('approve') else 'rejected'} it",
        "published": f"published: {RESULTS.get(data.get('outcome') or '', data.get('state', ''))}"
                     + (" (vetoed)" if data.get("state") == State.VETOED.value else ""),
        "disputed": f"disputed by {actor}{reason}",
        "dispute_upheld": f"{actor} upheld it{reason}",
        "revote": f"{actor} asked for a revote{reason}",
        "dispute_escalated": f"the dispute went to the core maintainers{reason}",
        "veto_asked": f"{actor} asked the core to veto it{reason}",
        "veto_declined": "the veto was declined: it stands as published",
        "settled": "final: its window for disputes and vetoes closed",
        "reminded": f"the {group(config, event.level)} {'was' if event.level == LEAD else 'were'} reminded",
        "reminder_skipped": f"a reminder was not sent{reason}",
        "rationale_reminded": f"the {group(config, event.level)} were reminded to write the rationale",
        "rationale_reminder_skipped": f"a rationale reminder was not sent{reason}",
        "rationale_missing": f"the rationale is overdue: {told} told",
    }
    line = words.get(event.kind, f"{escape(event.kind)}{reason}")
    if data.get("late") and data.get("due_at"):
        line += f" · due {when(datetime.fromisoformat(data['due_at']))} · Upline was not running"
    return line


def history_lines(config: Config, events: list[Event]) -> list[str]:
    return [f"• {when(event.at)} — {describe(config, event)}" for event in events]
