"""The words every decision message shares, so that the vote message, its thread, the lead's DM and
the public record describe a round the same way:

    nn maintainers · majority · quorum 50% (2 of 3 votes)
    For 2 · Against 1 · Abstain 0
    passed · rejected · no decision (a tie)
    For: @a @b · Against: @c · Abstain: — · Not voted: @d

and, for a round opened by something below it, why it was opened ("No decision by the nn
maintainers (a tie): the core maintainers decide now.").
"""

from __future__ import annotations

import re

from bot.config.schema import Config
from bot.domain.decision_policy import Rule
from bot.domain.decision_record import Decision, Dispute, Purpose, Round, State, Veto
from bot.domain.tally import Choice, Result, Tally
from handlers.views.text import SECTION_LIMIT, escape, level_label, mention, mentions, when

RULES = {Rule.MAJORITY: "majority", Rule.SUPERMAJORITY: "supermajority (2/3)", Rule.UNANIMOUS: "unanimous",
         Rule.LAZY_CONSENSUS: "lazy consensus"}
EMOJI = {Result.PASSED: ":white_check_mark:", Result.REJECTED: ":x:", Result.NO_DECISION: ":heavy_minus_sign:"}
_ENTITY_TAIL = re.compile(r"&[a-z]*$")  # a cut that split "&amp;" leaves "&am": drop it


def name(decision: Decision) -> str:
    return f"#{decision.number}"


def group(config: Config, level: str) -> str:
    return level_label(config, level)


def decides(config: Config, level: str) -> str:
    """"the core maintainers decide", "the lead decides"."""
    return "the lead decides" if level == "lead" else f"the {group(config, level)} decide"


def rule_line(round_: Round) -> str:
    """"majority · quorum 50% (2 of 3 votes)"; the lead decides alone."""
    if round_.level == "lead":
        return "the lead decides alone"
    count = round_.count()
    return (f"{RULES[round_.policy.rule]} · quorum {round(round_.policy.quorum * 100)}% "
            f"({count.needed} of {len(round_.voters)} votes)")


def tally_line(count: Tally) -> str:
    return f"For {count.in_favour} · Against {count.against} · Abstain {count.abstain}"


def result_words(round_: Round) -> str:
    """"passed", "rejected", "no decision (a tie)"; "open" while the round runs."""
    if round_.result is None:
        return "open"
    if round_.result is Result.NO_DECISION:
        why = round_.count().why_no_decision
        return f"no decision ({why})" if why else "no decision"
    return round_.result.value


def choices(config: Config, round_: Round) -> str:
    """Who chose what in one round, "—" for a choice nobody made."""
    count = round_.count()
    parts = []
    for choice in Choice:
        people = [voter for voter, chosen in count.choices.items() if chosen is choice]
        parts.append(f"{choice.value.capitalize()}: {mentions(config, people) or '—'}")
    if count.not_voted:
        parts.append(f"Not voted: {mentions(config, count.not_voted)}")
    if round_.recused:
        parts.append(f"Recused: {mentions(config, round_.recused)}")
    return " · ".join(parts)


def round_summary(config: Config, round_: Round, number: int) -> str:
    """One round of the history: what it decided, under which rule, and who chose what."""
    verb = {Purpose.DECIDE: "", Purpose.DISPUTE: " on the dispute", Purpose.VETO: " on the veto"}[round_.purpose]
    head = f"{number}. *{group(config, round_.level)}*{verb} — {rule_line(round_)}: *{result_words(round_)}*"
    if round_.level == "lead":
        return head
    return f"{head}\n      {tally_line(round_.count())} — {choices(config, round_)}"


def dispute_of(decision: Decision, round_: Round) -> Dispute | None:
    """The dispute a round decides: the latest raised before it opened."""
    return next((d for d in reversed(decision.disputes) if d.at <= round_.opened_at), None)


def veto_of(decision: Decision, round_: Round) -> Veto | None:
    return next((v for v in reversed(decision.vetoes) if v.at <= round_.opened_at), None)


def what_for_means(decision: Decision, index: int, *, lead: bool = False) -> str:
    """What each choice does in round `index`: the question a dispute or a veto asks is not the proposal,
    but whether the outcome it argues with (the latest before it) stands."""
    yes, no = ("*Approve*", "*Reject*") if lead else ("*For*", "*Against*")
    round_ = decision.rounds[index]
    argued = next((r.result.value for r in reversed(decision.rounds[:index])
                   if r.purpose is Purpose.DECIDE and r.result in (Result.PASSED, Result.REJECTED)), "decided")
    if round_.purpose is Purpose.DISPUTE:
        return f"{yes} upholds the outcome (*{argued}*), {no} overturns it."
    if round_.purpose is Purpose.VETO:
        return f"{yes} vetoes the decision (*{argued}*), {no} lets it stand."
    return f"{yes} passes the proposal, {no} rejects it."


def why_opened(config: Config, decision: Decision, index: int) -> str | None:
    """Why round `index` was held, when something before it led there (None for the first vote)."""
    if index == 0:
        return None
    round_, before = decision.rounds[index], decision.rounds[index - 1]
    here = group(config, round_.level)
    if before.result is Result.NO_DECISION:
        why = f" ({before.count().why_no_decision})" if before.count().why_no_decision else ""
        return f"No decision by the {group(config, before.level)}{why}: {decides(config, round_.level)} now."
    if round_.purpose is Purpose.DISPUTE and (dispute := dispute_of(decision, round_)):
        how = "the disputer took it to the core" if dispute.escalated == "disputer" else "it was not answered in time"
        return f"{mention(config, dispute.by)} disputed the outcome ({how}): {decides(config, round_.level)} " \
               "whether it stands."
    if round_.purpose is Purpose.VETO and (veto := veto_of(decision, round_)):
        return f"{mention(config, veto.by)} asked the core to veto the decision of the {group(config, before.level)}."
    if round_.purpose is Purpose.DECIDE and (dispute := dispute_of(decision, round_)):
        return f"A revote: the {here} answered {mention(config, dispute.by)}'s dispute with a fresh vote."
    return None


def outcome_words(decision: Decision) -> str:
    return decision.outcome.value if decision.outcome else "no outcome yet"


def standing(config: Config, decision: Decision) -> str:
    """Where the decision stands now, in a few words."""
    state = decision.state
    if state is State.VOTING:
        return f"the {group(config, decision.level)} are voting on it"
    if state is State.LEAD:
        return "it is with the lead"
    if state is State.DECIDED:
        return f"*{outcome_words(decision)}*, its rationale due {when(decision.rationale_due_at)}"
    if state is State.PUBLISHED:
        return f"*{outcome_words(decision)}*, published; open to dispute and veto until {when(decision.settles_at)}"
    if state is State.DISPUTED:
        return f"*{outcome_words(decision)}*, disputed by {mention(config, decision.disputes[-1].by)}"
    if state is State.VETOED:
        return "*vetoed* by the core" if decision.level != "lead" else "*vetoed* by the lead"
    return f"*{outcome_words(decision)}*, final"


def quoted(text: str, room: int) -> tuple[str, bool]:
    """User text escaped as a mrkdwn quote in at most `room` characters; True when it had to be cut."""
    lines = escape(text.strip()).splitlines() or [""]
    full = "\n".join("> " + line for line in lines)
    if len(full) <= room:
        return full, False
    cut = _ENTITY_TAIL.sub("", full[:max(room - 2, 0)].rsplit(" ", 1)[0])
    return cut + " …", True


def quoted_section(heading: str, text: str) -> tuple[dict, bool]:
    """`heading` over user text quoted whole when the two fit one section; True when the text was cut."""
    quote, cut = quoted(text, SECTION_LIMIT - len(heading) - 1)
    return section(f"{heading}\n{quote}"), cut


def fit(markdown: str, limit: int = SECTION_LIMIT) -> str:
    """A section's text within Slack's limit (only lists of people and rounds can run that long)."""
    return markdown if len(markdown) <= limit else _ENTITY_TAIL.sub("", markdown[:limit - 2]) + " …"


def section(markdown: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": fit(markdown)}}


def context(markdown: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": fit(markdown)}]}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}
