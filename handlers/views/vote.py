"""The vote message — one per round a group votes, in its channel (else in each voter's DM), updated in
place after every vote — and the notes its thread gets:

    :ballot_box_with_ballot: Vote #12 · nn maintainers
    Proposal from @caller
    > Deprecate nn.Container
    Voters: @a @b @c (nn maintainers) · majority · quorum 50% (2 of 3 votes) · closes Mon 30 Nov at 09:00
    For 1 · Against 0 · Abstain 0 · not voted yet: @b @c
    [For] [Against] [Abstain]                                   ([Recuse] too on a core vote)

A round opened by something below it says why ("No decision by the nn maintainers (a tie): the core
maintainers decide now."); a dispute's or a veto's round says what For and Against mean there. Once
closed it shows the result, and while the rationale is owed, **Write the rationale** in place of the
vote buttons; a past round shows its result and where the decision stands now, with no buttons.
The thread gets reminders (mentioning only those who have not voted), the result asking the group
for the rationale, and its reminders.

Plain Block Kit dicts, as the ping: every vote re-renders each copy (tests/handlers/views checks
that slack_sdk's models read them back unchanged).
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.decision_record import Decision, Purpose, State
from bot.domain.tally import Result
from handlers.views.blocks import context, excerpt, header, quoted, quoted_section, section
from handlers.views.decision_actions import RECUSE, VOTE_ABSTAIN, VOTE_AGAINST, VOTE_FOR, WRITE_RATIONALE
from handlers.views.decision_text import (
    EMOJI,
    counts,
    dispute_of,
    group,
    name,
    result_words,
    rule_line,
    standing,
    tally_line,
    veto_of,
    waiting,
    what_for_means,
    why_opened,
)
from handlers.views.text import mention, mentions, when
from handlers.views.ticket_actions import button

VOTE_BUTTONS = {VOTE_FOR: "For", VOTE_AGAINST: "Against", VOTE_ABSTAIN: "Abstain"}


def vote_text(config: Config, decision: Decision, index: int) -> str:
    """The notification: what is voted on, mentioning every voter."""
    round_ = decision.rounds[index]
    return (f"Vote {name(decision)} ({group(config, round_.level)}): {excerpt(decision.proposal, 150)} — "
            f"{mentions(config, round_.voters)}")


def vote_blocks(config: Config, decision: Decision, index: int) -> list[dict]:
    """Round `index`'s vote message as the decision stands now."""
    round_ = decision.rounds[index]
    blocks = [header(f":ballot_box_with_ballot: Vote {name(decision)} · {group(config, round_.level)}"),
              proposal_section(config, decision)]
    if round_.purpose is not Purpose.DECIDE:
        blocks += _question(config, decision, index)
    if why := why_opened(config, decision, index):
        blocks.append(context(why))
    closes = f" · closes {when(round_.closes_at)}" if round_.result is None else ""
    blocks.append(context(f"Voters: {mentions(config, round_.voters) or 'nobody'} ({group(config, round_.level)}) · "
                          f"{rule_line(round_)}{closes}"))
    blocks += _status(config, decision, index)
    return blocks


def proposal_section(config: Config, decision: Decision) -> dict:
    return quoted_section(f"*Proposal* from {mention(config, decision.caller)}", decision.proposal)[0]


def proposal_cut(config: Config, decision: Decision) -> bool:
    """Whether the vote message shows only the start of the proposal (the whole goes in its thread)."""
    return quoted_section(f"*Proposal* from {mention(config, decision.caller)}", decision.proposal)[1]


def rationale_owed(decision: Decision, index: int) -> bool:
    """Round `index` decided and the group still owes its rationale: Write the rationale is offered."""
    return (decision.state is State.DECIDED and index == len(decision.rounds) - 1
            and decision.current.rationale is None)


def _question(config: Config, decision: Decision, index: int) -> list[dict]:
    """A dispute's or a veto's round asks whether the outcome stands: its reason, and what each choice does."""
    round_ = decision.rounds[index]
    if round_.purpose is Purpose.DISPUTE and (dispute := dispute_of(decision, round_)):
        asked = quoted_section(f"*Does the outcome stand?* {mention(config, dispute.by)} disputes it:",
                               dispute.reason)[0]
    elif (veto := veto_of(decision, round_)) is not None:
        asked = quoted_section(f"*Veto it?* {mention(config, veto.by)} asks the core to veto it:", veto.reason)[0]
    else:
        asked = section("*The question*")
    return [asked, section(what_for_means(decision, index))]


def _status(config: Config, decision: Decision, index: int) -> list[dict]:
    round_ = decision.rounds[index]
    current = index == len(decision.rounds) - 1
    value = str(decision.number)
    count = round_.count()
    if round_.result is None:
        blocks = [section(f"*{counts(count.in_favour, count.against, count.abstain)}* · {waiting(config, round_)}")]
        if current and decision.state is State.VOTING:
            labels = VOTE_BUTTONS | ({RECUSE: "Recuse"} if round_.level == "core" else {})
            blocks.append({"type": "actions", "block_id": f"decision_vote:{value}",
                           "elements": [button(label, action, value) for action, label in labels.items()]})
        return blocks
    early = " early" if round_.early else ""
    lines = [f"{EMOJI[round_.result]} *{result_words(round_).capitalize()}* — {tally_line(config, round_)} · "
             f"closed{early} {when(round_.closed_at)}"]
    if round_.result is Result.NO_DECISION and not current:
        lines.append(f"It went to the {group(config, decision.rounds[index + 1].level)}.")
    if round_.rationale:
        rationale, _ = quoted(round_.rationale, 1200)
        lines.append(f"*Rationale* by {mention(config, round_.rationale_by)}:\n{rationale}")
    blocks = [section("\n".join(lines))]
    if rationale_owed(decision, index):
        blocks.append(context(f"The rationale is due {when(decision.rationale_due_at)}: the outcome is published "
                              "with it."))
        blocks.append(_rationale_button(value))
    else:
        blocks.append(context(f"Now: {standing(config, decision)}"))
    return blocks


def _rationale_button(value: str) -> dict:
    return {"type": "actions", "block_id": f"decision_rationale:{value}",
            "elements": [button("Write the rationale", WRITE_RATIONALE, value, primary=True)]}


# -- notes in the vote's thread, and the core's notice of a missing rationale ------------------------

NOTES = ("vote_reminder", "decided", "rationale_reminder", "rationale_missing")


def note(config: Config, decision: Decision, kind: str, index: int, people: tuple[str, ...],
         link: str | None = None) -> tuple[str, list[dict]]:
    """A note about round `index` for `people` (text and blocks, both mentioning them); the notes about
    the rationale carry Write the rationale while it is owed."""
    round_ = decision.rounds[index]
    who, them = mentions(config, people), group(config, round_.level)
    result = f"*{result_words(round_)}* ({tally_line(config, round_)})"
    if kind == "vote_reminder":
        text = (f":hourglass: Reminder: the vote on {name(decision)} closes {when(round_.closes_at)} — {who}, "
                "you have not voted yet.")
    elif kind == "decided":
        text = f"{EMOJI.get(round_.result, '')} The vote on {name(decision)} closed: {result}. {who} — "
        text += (f"write the rationale by {when(decision.rationale_due_at)}: the outcome is published with it."
                 if rationale_owed(decision, index) else _written(config, decision, index))
    elif kind == "rationale_reminder":
        text = (f":memo: Reminder: {name(decision)}'s rationale is due {when(decision.rationale_due_at)} — {who}."
                if rationale_owed(decision, index) else
                f"{name(decision)}'s rationale: {_written(config, decision, index)} {who}")
    else:  # rationale_missing
        vote = f"<{link}|The vote>" if link else "The vote"
        text = (f":warning: {name(decision)}'s rationale is overdue: the {them} decided it ({result}) and have not "
                f"written it. {who} — you can write it. {vote}.")
        if not rationale_owed(decision, index):
            text = f"{name(decision)}'s rationale was overdue; {_written(config, decision, index)} {who}"
    blocks = [section(text)]
    if kind != "vote_reminder" and rationale_owed(decision, index):
        blocks.append(_rationale_button(str(decision.number)))
    return text, blocks


def _written(config: Config, decision: Decision, index: int) -> str:
    by = decision.rounds[index].rationale_by
    return f"the rationale was written by {mention(config, by)}." if by else f"now: {standing(config, decision)}."
