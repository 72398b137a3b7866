"""The public record of a decision, and the lead's DM when a decision reaches them.

The record, posted to `decisions.channel` (else the area's channel and the core's) each time an
outcome is published, and kept current:

    :scroll: Decision #12 · nn · Passed
    Proposal from @caller
    > Deprecate nn.Container
    Outcome: passed, by the nn maintainers · published Thu 26 Nov at 10:00
    Now: passed; open to dispute and veto until Thu 3 Dec at 10:00
    Votes
    1. nn maintainers, on the proposal — majority · quorum 50% (2 of 3 votes): passed (closed early)
          For 2 · Against 1 · Abstain 0 — For: @a @b · Against: @c · Abstain: —
    Rationale, by @a
    > Nobody uses it since 2.0 …
    Dispute by @x: > … Upheld by @a: > …          (when there was one; a veto likewise)
    The vote · called by @caller on Mon 23 Nov at 09:00

Once a newer record is published in the same channel (a dispute upheld, a veto declined), an earlier
one shrinks to what it announced and a link to the record now, so the channel reads as a log.

The lead's DM:

    :scales: #12 is yours to decide
    Proposal from @caller  > …
    No decision by the core maintainers (a tie): the lead decides now.
    So far: 1. nn maintainers …: no decision (a tie) … 2. core maintainers …: no decision (a tie) …
    Approve passes the proposal, Reject rejects it. Your word is final: your rationale is published with it.
    [Approve] [Reject]

Its buttons go once the lead has decided.
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.decision_record import ENDED, Decision, Dispute, Round, State, Veto
from bot.domain.tally import Result
from handlers.views.blocks import context, excerpt, header, quoted_section, section
from handlers.views.decision_actions import LEAD_APPROVE, LEAD_REJECT
from handlers.views.decision_text import (
    group,
    name,
    outcome_word,
    place,
    round_line,
    standing,
    went_to_core,
    what_for_means,
    why_opened,
)
from handlers.views.text import mention, mentions, when
from handlers.views.ticket_actions import button
from handlers.views.vote import proposal_section

MAX_ROUNDS = 12  # two sections each at most: with 3 disputes and 3 vetoes (up to 3 each), under 50 blocks


def headline(decision: Decision) -> str:
    """"Passed", "Rejected", "Vetoed", "Upheld after a dispute", …"""
    outcome = outcome_word(decision).capitalize()
    last = decision.disputes[-1] if decision.disputes else None
    if decision.state is not State.VETOED and last is not None and last.resolution in ("upheld", "overturned"):
        return f"{outcome}, {last.resolution} after a dispute"
    return outcome


def decided_by(decision: Decision) -> str:
    """The level whose vote the outcome now rests on: a veto's, a dispute's resolution, else the deciding round's."""
    if decision.state is State.VETOED and decision.vetoes:
        return decision.vetoes[-1].resolved_by or decision.level
    last = decision.disputes[-1] if decision.disputes else None
    if last is not None and last.resolution in ("upheld", "overturned") and last.resolved_by:
        return last.resolved_by
    return decision.deciding.level if decision.deciding else decision.level


def record_text(config: Config, decision: Decision) -> str:
    subject = excerpt(decision.proposal, 150)
    return f"Decision {name(decision)} ({place(decision)}): {headline(decision).lower()} — {subject}"


def record_blocks(config: Config, decision: Decision, link: str | None = None) -> list[dict]:
    """The decision's public record as it stands now; `link` is the vote message's permalink."""
    outcome = f"*Outcome*: {headline(decision).lower()}, by the {group(config, decided_by(decision))}"
    if decision.published_at:
        outcome += f" · published {when(decision.published_at)}"
    outcome += f"\nNow: {standing(config, decision)}"
    blocks = [header(f":scroll: Decision {name(decision)} · {place(decision)} · {headline(decision)}"),
              proposal_section(config, decision), section(outcome)]
    earlier = max(len(decision.rounds) - MAX_ROUNDS, 0)
    if earlier:
        blocks.append(context(f"{earlier} earlier rounds are in `/status {name(decision)}`."))
    for number, round_ in enumerate(decision.rounds[earlier:], earlier + 1):
        blocks.append(section(("*Votes*\n" if number == 1 else "") + round_line(config, round_, number)))
        if round_.rationale:
            blocks.append(_rationale(config, round_)[0])
    for dispute in decision.disputes[-3:]:
        blocks += _dispute(config, dispute)
    for veto in decision.vetoes[-3:]:
        blocks += _veto(config, veto)
    blocks.append(_footer(config, decision, link))
    return blocks


def superseded_blocks(config: Config, decision: Decision, announced: str, latest: str | None,
                      link: str | None = None) -> list[dict]:
    """An earlier record, once a newer one was published: what it announced, and where the record is now."""
    now = f"<{latest}|the record now>" if latest else "the newest record"
    return [header(f":scroll: Decision {name(decision)} · {place(decision)} · {announced}"),
            proposal_section(config, decision),
            section(f"Published as *{announced.lower()}*; it has changed since: *{headline(decision).lower()}* — "
                    f"see {now}."),
            _footer(config, decision, link)]


def cut_rationales(config: Config, decision: Decision) -> list[str]:
    """The rationales the record shows only the start of (each goes whole in its thread)."""
    return [r.rationale for r in decision.rounds[-MAX_ROUNDS:] if r.rationale and _rationale(config, r)[1]]


def _rationale(config: Config, round_: Round) -> tuple[dict, bool]:
    return quoted_section(f"*Rationale*, by {mention(config, round_.rationale_by)}", round_.rationale)


def _footer(config: Config, decision: Decision, link: str | None) -> dict:
    vote = f"<{link}|The vote>" if link else "The vote was held in Slack"
    return context(f"{vote} · called by {mention(config, decision.caller)} on {when(decision.opened_at)}")


def _dispute(config: Config, dispute: Dispute) -> list[dict]:
    """A dispute's reason, the group's explanation when it upheld, and how it ended: each quote its own section."""
    blocks = [quoted_section(f"*Dispute* by {mention(config, dispute.by)} on {when(dispute.at)}:", dispute.reason)[0]]
    if dispute.answer == "uphold":
        upheld_by = f"Upheld by {mention(config, dispute.answered_by)}:"
        blocks.append(quoted_section(upheld_by, dispute.explanation or "")[0])
    notes = []
    if dispute.answer == "revote":
        notes.append(f"{mention(config, dispute.answered_by)} called a revote.")
    if dispute.escalated:
        notes.append(f"{went_to_core(dispute).capitalize()}.")
        if dispute.resolution in ("upheld", "overturned"):
            notes.append(f"*{dispute.resolution.capitalize()}* by the {group(config, dispute.resolved_by)}.")
    return blocks + ([context(" ".join(notes))] if notes else [])


def _veto(config: Config, veto: Veto) -> list[dict]:
    blocks = [quoted_section(f"*Veto* asked by {mention(config, veto.by)} on {when(veto.at)}:", veto.reason)[0]]
    if veto.resolution:
        blocks.append(context(f"*{veto.resolution.capitalize()}* by the {group(config, veto.resolved_by)}."))
    return blocks


# -- the lead's DM --------------------------------------------------------------------------------


def lead_offered(decision: Decision, index: int) -> bool:
    """The lead may still Approve or Reject in the DM about round `index`."""
    return decision.state is State.LEAD and index == len(decision.rounds) - 1


def lead_text(config: Config, decision: Decision, index: int, *, reminder: bool = False) -> str:
    again = "Reminder: " if reminder else ""
    lead = mentions(config, decision.rounds[index].voters)
    return f"{again}{name(decision)} waits for your decision, {lead}: Approve or Reject, with your rationale"


def lead_blocks(config: Config, decision: Decision, index: int, *, reminder: bool = False) -> list[dict]:
    """The lead's DM about round `index`: the proposal, every round so far, and Approve / Reject while
    it waits on them."""
    round_ = decision.rounds[index]
    title = f":scales: {'Reminder: ' if reminder else ''}{name(decision)} is yours to decide"
    blocks = [header(title), proposal_section(config, decision)]
    if why := why_opened(config, decision, index):
        blocks.append(context(why))
    past = [round_line(config, earlier, number) for number, earlier in enumerate(decision.rounds[:index], 1)]
    if past:
        blocks.append(section("*So far*\n" + "\n".join(past[-MAX_ROUNDS:])))
    if lead_offered(decision, index):
        blocks.append(section(f"{mention(config, round_.voters[0])} — {what_for_means(decision, index, lead=True)} "
                              "Your word is final: your rationale is published with it."))
        value = str(decision.number)
        blocks.append({"type": "actions", "block_id": f"decision_lead:{value}", "elements": [
            button("Approve", LEAD_APPROVE, value, primary=True), button("Reject", LEAD_REJECT, value)]})
    elif round_.result is not None:
        verdict = "approved" if round_.result is Result.PASSED else "rejected"
        settled = "" if decision.state in ENDED else f" Now: {standing(config, decision)}."
        blocks.append(section(f":white_check_mark: {mention(config, round_.voters[0])} {verdict} it "
                              f"{when(round_.closed_at)}.{settled}"))
    else:
        blocks.append(section(f"Now: {standing(config, decision)}."))
    return blocks
