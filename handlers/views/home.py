"""App Home: what one person sees on Upline's Home tab.

    Upline · PyTorch (demo)
    Your open asks
    • #3 How do I register a hook… — open, with the nn maintainers · ack 5h 20m left
    Waiting on you
    • #5 Which optimizer… — acknowledged, with the optim maintainers · resolve 6d 2h left
    Votes waiting on you
    • #12 nn · Deprecate nn.Container — vote by Mon 30 Nov at 09:00
    [For] [Against] [Abstain]
    Your areas
    nn, autograd · core maintainer
    Away
    [Away until… (date)]  [I'm back]
    You are away until Fri 27 Nov: you are not pinged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.config.schema import Config
from bot.domain.decision_record import Decision
from bot.domain.decision_record import State as DecisionState
from bot.domain.ticket import State, Ticket
from bot.services.tickets import Overview
from handlers.views.blocks import excerpt
from handlers.views.decision_buttons import button_block
from handlers.views.decision_text import place
from handlers.views.text import SECTION_LIMIT, escape, level_label, when

AWAY_UNTIL = "home_away_until"
BACK = "home_back"
MAX_LISTED = 10
MAX_BLOCKS = 100  # Slack's limit for a Home tab


@dataclass(frozen=True)
class Standing:
    """Where one person stands in the hierarchy, and what the away picker shows them."""

    areas: tuple[str, ...]  # area keys where they are an active maintainer
    core: bool
    lead: bool
    away_until: date | None = None  # the last day away, in their own time zone

    @property
    def on_a_rung(self) -> bool:
        return bool(self.areas) or self.core or self.lead

NO_ASKS = "_None. Ask with `/ask &lt;area&gt; &lt;question&gt;`._"  # escaped: Slack reads <…> as a link


def short(delta: timedelta) -> str:
    """`2d 3h`, `5h 20m`, `45m`: two units are enough to judge urgency."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join([part for part in parts if part][:2]) or "less than a minute"


def clock(ticket: Ticket, now: datetime) -> str:
    if ticket.state is State.WAITING:
        return "clocks paused: waiting on the asker"
    which, due = ("ack", ticket.ack_due_at) if ticket.ack_due_at else ("resolve", ticket.resolve_due_at)
    if due is None:
        return ""
    if due <= now:
        return f":rotating_light: {which} overdue by {short(now - due)}"
    return f"{which} {short(due - now)} left"


def ticket_line(config: Config, ticket: Ticket, now: datetime) -> str:
    summary = escape(ticket.text.strip().splitlines()[0] if ticket.text.strip() else "")[:80]
    time_left = clock(ticket, now)
    return (f"• *#{ticket.id}* {summary} — {ticket.state.value}, with the {level_label(config, ticket.level)}"
            + (f" · {time_left}" if time_left else ""))


def listing(config: Config, title: str, tickets: list[Ticket], now: datetime, empty: str) -> SectionBlock:
    lines = [ticket_line(config, ticket, now) for ticket in tickets[:MAX_LISTED]]
    if len(tickets) > MAX_LISTED:
        lines.append(f"… and {len(tickets) - MAX_LISTED} more: `/status` lists them")
    text = f"*{title}*\n" + ("\n".join(lines) or empty)
    return SectionBlock(text=MarkdownTextObject(text=text[: SECTION_LIMIT - 10]))


def roles_line(standing: Standing) -> str:
    parts = [", ".join(f"*{key}*" for key in standing.areas)] if standing.areas else []
    if standing.core:
        parts.append("core maintainer")
    if standing.lead:
        parts.append("the lead: the last word on everything")
    return " · ".join(parts) or "_You maintain no area: questions are not routed to you._"


def away_blocks(standing: Standing, overview: Overview) -> list:
    picker = DatePickerElement(action_id=AWAY_UNTIL, placeholder="Away until…",
                               initial_date=standing.away_until.isoformat() if standing.away_until else None)
    elements = [picker]
    if overview.away_until:
        elements.append(ButtonElement(text="I'm back", action_id=BACK, value="back", style="primary"))
    status = (f"You are away until {when(overview.away_until)}: you are not pinged, and your rung is "
              "skipped while everyone on it is away." if overview.away_until
              else "Going away? Pick your last day away: until its end you are not pinged.")
    return [SectionBlock(text=MarkdownTextObject(text="*Away*")),
            ActionsBlock(block_id="away", elements=elements),
            ContextBlock(elements=[MarkdownTextObject(text=status)])]


def asked_of_you(decision: Decision) -> str:
    """What the decision waits on you for, and by when."""
    state = decision.state
    if state is DecisionState.VOTING:
        return f"vote by {when(decision.current.closes_at)}"
    if state is DecisionState.LEAD:
        return "yours to approve or reject"
    if state is DecisionState.DECIDED:
        return f"write the rationale by {when(decision.rationale_due_at)}"
    return f"answer the dispute by {when(decision.disputes[-1].answer_due_at)}"


def votes_blocks(votes: list[Decision], person: str) -> list:
    """Each decision waiting on `person`, with the buttons that answer it."""
    blocks: list = [SectionBlock(text=MarkdownTextObject(
        text="*Votes waiting on you*" + ("" if votes else "\n_None._")))]
    for decision in votes[:MAX_LISTED]:
        line = f"• *#{decision.number}* {place(decision)} · {excerpt(decision.proposal)} — {asked_of_you(decision)}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line[: SECTION_LIMIT - 10])))
        if (buttons := button_block(decision, person)) is not None:
            blocks.append(buttons)
    if len(votes) > MAX_LISTED:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"… and {len(votes) - MAX_LISTED} more: `/decisions` lists them")]))
    return blocks


def home_view(config: Config, overview: Overview, standing: Standing, now: datetime, *,
              problem: str | None = None, note: str | None = None, votes: list[Decision] | tuple = (),
              person: str | None = None, agenda: list | tuple = ()) -> dict:
    """The tab; `agenda` (the triage agenda's blocks, for the core and the lead) comes first."""
    blocks = [HeaderBlock(text=f"Upline · {config.project}"[:150])]
    if problem:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f":warning: {escape(problem)}")))
    if note:  # already Slack markup: the answer to a click, naming people as mentions
        blocks.append(SectionBlock(text=MarkdownTextObject(text=note[: SECTION_LIMIT - 10])))
    if agenda:
        blocks += [*agenda, DividerBlock()]
    blocks += [
        listing(config, "Your open asks", overview.asked, now, NO_ASKS),
        listing(config, "Waiting on you", overview.waiting_on_me, now, "_Nothing: all clear._"),
    ]
    if votes or standing.on_a_rung:
        blocks += votes_blocks(list(votes), person or "")
    blocks += [
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text="*Your areas*\n" + roles_line(standing))),
    ]
    if standing.on_a_rung:
        blocks += [DividerBlock(), *away_blocks(standing, overview)]
    if len(blocks) > MAX_BLOCKS:  # never reached with today's lists; a refused view would show nothing
        blocks = [*blocks[: MAX_BLOCKS - 1], ContextBlock(elements=[MarkdownTextObject(
            text="… the rest does not fit here: `/status` and `/decisions` list everything")])]
    return View(type="home", callback_id="home", blocks=blocks).to_dict()
