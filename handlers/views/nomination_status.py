"""`/status #N` for a nomination: where it stands, who proposed what and why, what the maintainers said,
the vote that decides it, the outcome with its reasons, and its history.

    #41 · nomination · nn
    *Add @Kshitij to the nn maintainers*
    :mag: Asked — the nn maintainers are asked for information until Mon 30 Nov at 09:00
    Nominated by: • @Fan: Reviews most nn PRs • @Joel (no reason given)
    Answers: 1 of 2 asked · 1 supports · waiting on @Joel
    Vote: #42 decides it                         (once called)
    Outcome: *confirmed* by @Soumith: …          (once closed)
    History: • … — nominated by @Fan • … — on the core's slate • …

What each maintainer wrote (depth, breadth, testimonials) is shown to those who decide — the core and
the lead — alone: PyTorch's process gathers it for their decision, and testimonials may be frank;
everyone else reads who answered and how many support it. User text is escaped, dates are Slack date
tokens, and each section stays within Slack's 3,000 characters.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, SectionBlock

from bot.config.schema import Config
from bot.domain.nomination_record import CORE, Nomination, State
from bot.domain.ticket import SYSTEM, Event
from handlers.views.blocks import excerpt
from handlers.views.decision_status import HISTORY_LINES, markdown, sections
from handlers.views.nomination_modals import change_words, nominator_line
from handlers.views.text import escape, mention, mentions, when

STATE_ICONS = {State.NOMINATED: ":hourglass_flowing_sand:", State.IN_REVIEW: ":clipboard:", State.ASKED: ":mag:",
               State.VOTING: ":ballot_box_with_ballot:", State.CONFIRMED: ":white_check_mark:",
               State.REJECTED: ":x:", State.DESK_REJECTED: ":wastebasket:"}
TITLES = {State.NOMINATED: "Nominated", State.IN_REVIEW: "In review", State.ASKED: "Asked",
          State.VOTING: "Voting", State.CONFIRMED: "Confirmed", State.REJECTED: "Rejected",
          State.DESK_REJECTED: "Desk-rejected"}


def group(nomination: Nomination) -> str:
    return "core maintainers" if nomination.target == CORE else f"{nomination.target} maintainers"


def where(config: Config, nomination: Nomination, next_review) -> str:
    """Where it stands, in one line after its state."""
    if nomination.state is State.NOMINATED:
        return f"waits for the core's next review, {when(next_review)} (`/nominate review` brings it forward)"
    if nomination.state is State.IN_REVIEW:
        return "on the core's slate: it may be desk-rejected, its maintainers asked, or the vote called"
    if nomination.state is State.ASKED:
        ask = nomination.ask
        return (f"the {group(nomination)} were asked for information until {when(ask.due_at)}"
                + (" (closed)" if ask.closed else ""))
    if nomination.state is State.VOTING:
        return f"#{nomination.decision} decides it"
    by = "Upline" if nomination.closed_by in (None, SYSTEM) else mention(config, nomination.closed_by)
    return f"{when(nomination.closed_at)}, by {by}"


def answers_lines(config: Config, nomination: Nomination, deciders: bool) -> list[str]:
    ask = nomination.ask
    supports = sum(1 for answer in ask.answers if answer.support)
    summary = (f"{len(ask.answers)} of {len(ask.people)} asked · {supports} support"
               f"{'s' if supports == 1 else ''}")
    if ask.unanswered:
        summary += f" · waiting on {mentions(config, ask.unanswered)}"
    lines = [summary]
    for answer in ask.answers:
        line = f"• {mention(config, answer.by)} {'supports it' if answer.support else 'does not support it'}"
        if deciders:
            line += (f"\n   _Depth:_ {excerpt(answer.depth, 300)}\n   _Breadth:_ {excerpt(answer.breadth, 300)}"
                     + (f"\n   _Testimonials:_ {excerpt(answer.testimonials, 300)}" if answer.testimonials else ""))
        lines.append(line)
    return lines


def nomination_blocks(config: Config, nomination: Nomination, events: list[Event], *, next_review=None,
                      deciders: bool = False) -> list[dict]:
    """The status of `nomination`; `deciders` when whoever asked is a core maintainer or the lead."""
    state = f"{STATE_ICONS[nomination.state]} *{TITLES[nomination.state]}* — {where(config, nomination, next_review)}"
    blocks: list[Block] = [
        HeaderBlock(text=f"#{nomination.number} · nomination · {nomination.target}"[:150]),
        SectionBlock(text=markdown(f"*{change_words(config, nomination)}*")),
        SectionBlock(text=markdown(state)),
    ]
    blocks += sections("Nominated by", [f"• {nominator_line(config, n.by, n.reason)} · {when(n.at)}"
                                        for n in nomination.nominators])
    if nomination.ask is not None:
        blocks += sections("Answers", answers_lines(config, nomination, deciders))
    if nomination.decision is not None:
        blocks.append(SectionBlock(text=markdown(f"*Vote:* #{nomination.decision} decides it "
                                                 f"(`/status #{nomination.decision}`)")))
    if nomination.state in (State.CONFIRMED, State.REJECTED, State.DESK_REJECTED):
        outcome = TITLES[nomination.state].lower()
        reason = f": {excerpt(nomination.reason, 1500)}" if nomination.reason else ""
        blocks.append(SectionBlock(text=markdown(f"*Outcome:* *{outcome}*{reason}")))
    lines = [f"• {when(event.at)} — {describe(config, event)}" for event in events]
    shown = lines[-HISTORY_LINES:]
    if len(lines) > len(shown):
        shown.insert(0, f"• … {len(lines) - len(shown)} earlier events")
    blocks += sections("History", shown)
    blocks.append(ContextBlock(elements=[markdown(f"Opened {when(nomination.opened_at)}")]))
    return [block.to_dict() for block in blocks]


def nomination_text(nomination: Nomination) -> str:
    """The notification text beside the blocks."""
    return f"#{nomination.number}: {TITLES[nomination.state].lower()}"


def describe(config: Config, event: Event) -> str:
    """One line of a nomination's history."""
    actor = "Upline" if event.actor == SYSTEM else mention(config, event.actor)
    reason = f": {excerpt(event.reason, 150)}" if event.reason else ""
    data = event.data
    words = {
        "nominated": (f"suggested by the review{reason}" if data.get("suggested") else f"nominated by {actor}{reason}"),
        "joined": f"{actor} joined the nomination{reason}",
        "in_review": "on the core's slate",
        "asked": f"{actor} asked {mentions(config, data.get('people', []))} for information",
        "answered": f"{actor} {'answered again' if data.get('again') else 'answered'}"
                    f" ({'supports' if data.get('support') else 'does not support'} it)",
        "reminded": "those yet to answer were reminded",
        "reminder_skipped": f"a reminder was not sent{reason}",
        "ask_closed": "the time to answer ended",
        "vote_called": f"{actor} called the vote: #{data.get('decision')}",
        "desk_rejected": f"desk-rejected by {actor}{reason}",
        "confirmed": f"confirmed by #{data.get('decision')}",
        "rejected": f"rejected by #{data.get('decision')}",
    }
    return words.get(event.kind, f"{escape(event.kind)}{reason}")
