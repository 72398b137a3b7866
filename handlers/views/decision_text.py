"""The words Upline uses about a decision, wherever Slack shows one — the vote message, its thread, the
lead's DM, a dispute, the public record, `/status #N`, `/decisions`, App Home and the answers to
commands and buttons — so that each thing is said once, the same way everywhere:

    nn maintainers · majority · quorum 50% (2 of 3 votes)
    For 2 · Against 1 · Abstain 0 · not voted yet: @d
    passed · rejected · no decision (a tie) · open until Mon 30 Nov at 09:00
    For: @a @b · Against: @c · Abstain: — · Did not vote: @d
    *passed*; open to dispute and veto until Thu 3 Dec at 10:00        (where it stands now)
    *For* upholds the outcome (*passed*), *Against* overturns it.       (a dispute's round)

and, for a round opened by something below it, why it was opened ("No decision by the nn
maintainers (a tie): the core maintainers decide now."). Block Kit pieces and user text cut to fit
are `handlers.views.blocks`; the lines of a decision's history, `handlers.views.decision_status`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.config.schema import Config
from bot.domain.decision_policy import Rule
from bot.domain.decision_record import CORE, LEAD, OUTCOMES, Decision, Dispute, Kind, Purpose, Round, State, Veto
from bot.domain.tally import Choice, Result
from handlers.views.text import level_label, mention, mentions, when

RULES = {Rule.MAJORITY: "majority", Rule.SUPERMAJORITY: "supermajority (2/3)", Rule.UNANIMOUS: "unanimous",
         Rule.LAZY_CONSENSUS: "lazy consensus"}
RESULTS = {Result.PASSED: "passed", Result.REJECTED: "rejected", Result.NO_DECISION: "no decision"}
EMOJI = {Result.PASSED: ":white_check_mark:", Result.REJECTED: ":x:", Result.NO_DECISION: ":heavy_minus_sign:"}
ABOUT = {Purpose.DECIDE: "the proposal", Purpose.DISPUTE: "the dispute", Purpose.VETO: "the veto"}


def name(decision: Decision) -> str:
    return f"#{decision.number}"


def group(config: Config, level: str) -> str:
    """"nn maintainers", "core maintainers", "lead"."""
    return level_label(config, level)


def deciders(config: Config, decision: Decision) -> str:
    """The group whose vote gave the decision its outcome (what a dispute argues with)."""
    deciding = decision.deciding
    return group(config, deciding.level if deciding else decision.level)


def decides(config: Config, level: str) -> str:
    """"the core maintainers decide", "the lead decides"."""
    return "the lead decides" if level == LEAD else f"the {group(config, level)} decide"


def place(decision: Decision) -> str:
    """Whose matter it is: "nn", "core", "core (nn)" for a core vote on an nn ticket, "lead"."""
    if decision.kind is Kind.MODULE:
        return decision.area or "no area"
    whose = CORE if decision.kind is Kind.CORE else LEAD
    return f"{whose} ({decision.area})" if decision.area else whose


# -- a round ---------------------------------------------------------------------------------------


def rule_line(round_: Round) -> str:
    """"majority · quorum 50% (2 of 3 votes)"; the lead decides alone."""
    if round_.level == LEAD:
        return "the lead decides alone"
    count = round_.count()
    share = round(round_.policy.quorum * 100)
    if round_.policy.rule is Rule.SHARE_OF_ALL:  # the quorum is the share of all voters who must vote For
        return f"passes with For from {share}% of all {len(round_.voters)} voters ({count.needed} needed)"
    return f"{RULES[round_.policy.rule]} · quorum {share}% ({count.needed} of {len(round_.voters)} votes)"


def counts(in_favour: int, against: int, abstain: int) -> str:
    return f"For {in_favour} · Against {against} · Abstain {abstain}"


def waiting(config: Config, round_: Round) -> str:
    """Who an open round still waits on: "not voted yet: @b @c", or "everyone has voted"."""
    missing = round_.count().not_voted
    return f"not voted yet: {mentions(config, missing)}" if missing else "everyone has voted"


def tally_line(config: Config, round_: Round) -> str:
    """"For 1 · Against 0 · Abstain 0 · not voted yet: @b @c" while the round is open; the counts once closed."""
    count = round_.count()
    line = counts(count.in_favour, count.against, count.abstain)
    return line if round_.result is not None else f"{line} · {waiting(config, round_)}"


def result_words(round_: Round) -> str:
    """"passed", "rejected", "no decision (a tie)"; "open until …" while the round runs."""
    if round_.result is None:
        return f"open until {when(round_.closes_at)}" if round_.closes_at else "not yet decided"
    why = round_.count().why_no_decision if round_.result is Result.NO_DECISION else None
    return f"{RESULTS[round_.result]} ({why})" if why else RESULTS[round_.result]


def choices(config: Config, round_: Round) -> str:
    """Who chose what in a closed round, "—" for a choice nobody made."""
    count = round_.count()
    parts = []
    for choice in Choice:
        people = [voter for voter, chosen in count.choices.items() if chosen is choice]
        parts.append(f"{choice.value.capitalize()}: {mentions(config, people) or '—'}")
    if count.not_voted:
        parts.append(f"Did not vote: {mentions(config, count.not_voted)}")
    if round_.recused:
        parts.append(f"Recused: {mentions(config, round_.recused)}")
    return " · ".join(parts)


def round_line(config: Config, round_: Round, number: int) -> str:
    """One vote held on the decision: who voted on what, under which rule, the result, and (once it
    closed) who chose what — only the tally and who has not voted while it is open."""
    if round_.level == LEAD:
        verdict = {Result.PASSED: "approved", Result.REJECTED: "rejected"}.get(round_.result, "not yet decided")
        return f"{number}. *the lead*, on {ABOUT[round_.purpose]}: *{verdict}*"
    head = f"{number}. *{group(config, round_.level)}*, on {ABOUT[round_.purpose]}"
    early = ", closed early" if round_.early else ""
    count = round_.count()
    below = choices(config, round_) if round_.result is not None else waiting(config, round_)
    return (f"{head} — {rule_line(round_)}: *{result_words(round_)}*{early}\n"
            f"      {counts(count.in_favour, count.against, count.abstain)} — {below}")


def dispute_of(decision: Decision, round_: Round) -> Dispute | None:
    """The dispute a round decides: the latest raised before it opened."""
    return next((d for d in reversed(decision.disputes) if d.at <= round_.opened_at), None)


def veto_of(decision: Decision, round_: Round) -> Veto | None:
    return next((v for v in reversed(decision.vetoes) if v.at <= round_.opened_at), None)


def argued_outcome(rounds: Sequence[Round]) -> str:
    """What a dispute or a veto argues with: the result of the latest of `rounds` that passed or rejected the
    proposal ("decided" if none did), whatever a dispute has made of it since."""
    return next((RESULTS[r.result] for r in reversed(rounds) if r.purpose is Purpose.DECIDE and r.result in OUTCOMES),
                "decided")


def what_for_means(decision: Decision, index: int, *, lead: bool = False) -> str:
    """What each choice does in round `index`: the question a dispute or a veto asks is not the proposal,
    but whether the outcome it argues with (the latest before it) stands."""
    yes, no = ("*Approve*", "*Reject*") if lead else ("*For*", "*Against*")
    round_, argued = decision.rounds[index], argued_outcome(decision.rounds[:index])
    if round_.purpose is Purpose.DISPUTE:
        return f"{yes} upholds the outcome (*{argued}*), {no} overturns it."
    if round_.purpose is Purpose.VETO:
        return f"{yes} vetoes the decision (*{argued}*), {no} lets it stand."
    return f"{yes} passes the proposal, {no} rejects it."


def went_to_core(dispute: Dispute) -> str:
    """How a dispute reached the core."""
    return ("it went to the core at the disputer's request" if dispute.escalated == "disputer"
            else "it went to the core, unanswered in time")


def why_opened(config: Config, decision: Decision, index: int) -> str | None:
    """Why round `index` was held, when something before it led there (None for the first vote)."""
    if index == 0:
        return None
    round_, before = decision.rounds[index], decision.rounds[index - 1]
    if before.result is Result.NO_DECISION:
        return f"No decision by the {group(config, before.level)}{_why(before)}: {decides(config, round_.level)} now."
    if round_.purpose is Purpose.DISPUTE and (dispute := dispute_of(decision, round_)):
        return (f"{mention(config, dispute.by)} disputed the outcome and {went_to_core(dispute)}: "
                f"{decides(config, round_.level)} whether it stands.")
    if round_.purpose is Purpose.VETO and (veto := veto_of(decision, round_)):
        return f"{mention(config, veto.by)} asked the core to veto the decision of the {group(config, before.level)}."
    if round_.purpose is Purpose.DECIDE and (dispute := dispute_of(decision, round_)):
        return (f"A revote: the {group(config, round_.level)} answered {mention(config, dispute.by)}'s dispute with "
                "a fresh vote.")
    return None


def _why(round_: Round) -> str:
    why = round_.count().why_no_decision
    return f" ({why})" if why else ""


# -- the decision now ------------------------------------------------------------------------------


def outcome_word(decision: Decision) -> str:
    """"passed", "rejected", "vetoed"; "no outcome yet" while nothing has settled it."""
    if decision.state is State.VETOED:
        return "vetoed"
    return RESULTS[decision.outcome] if decision.outcome else "no outcome yet"


def standing(config: Config, decision: Decision) -> str:
    """Where the decision stands now and who acts next, as the end of a sentence ("Now: …", "#12: …")."""
    state, current, outcome = decision.state, decision.current, f"*{outcome_word(decision)}*"
    if state is State.VOTING:
        return f"the {group(config, current.level)} vote on it until {when(current.closes_at)}"
    if state is State.LEAD:
        return f"{mention(config, current.voters[0])}, the lead, approves or rejects it alone"
    if state is State.DECIDED:
        return f"{outcome}; the {group(config, current.level)} write its rationale by {when(decision.rationale_due_at)}"
    if state is State.PUBLISHED:
        return f"{outcome}; open to dispute and veto until {when(decision.settles_at)}"
    if state is State.DISPUTED:
        dispute = decision.disputes[-1]
        return (f"{outcome}, disputed by {mention(config, dispute.by)}: the {deciders(config, decision)} answer by "
                f"{when(dispute.answer_due_at)}, or the core votes on it")
    if state is State.VETOED:
        return f"{outcome} by the {group(config, decision.level)}, and published with the reason"
    return f"{outcome}; nothing can change it now"


def opened(config: Config, decision: Decision) -> str:
    """What whoever opened a vote (a call, a dispute's escalation, a veto, a revote) is told next."""
    current = decision.current
    if decision.state is not State.VOTING:
        return f"{name(decision)}: {standing(config, decision)}."
    people = current.count().not_voted
    said = (f"{name(decision)} is open for the {group(config, current.level)} until {when(current.closes_at)}: "
            f"{mentions(config, people)} {'is' if len(people) == 1 else 'are'} asked to vote.")
    if current.purpose is not Purpose.DECIDE:
        said += " " + what_for_means(decision, len(decision.rounds) - 1)
    return said
