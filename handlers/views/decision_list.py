"""`/decisions [area]`: the decisions under way and the latest outcomes.

    Decisions under way (2)
    • #12 nn · Deprecate nn.Container — For 1 · Against 0 · Abstain 0 · not voted yet: @Alban @Joel · closes Mon 30 Nov
    • #14 core · Adopt the RFC process — @Soumith, the lead, approves or rejects it alone
    … and 3 more under way: `/decisions <area>` lists one area's
    Recent outcomes
    • #9 optim · Drop the legacy LBFGS — passed · published Fri 20 Nov

Past a vote, a decision under way says where it stands as `/status #N` and the vote message do
(`handlers.views.decision_text.standing`). One section per line, so that a long list never breaks
Slack's 3,000 characters a section; past `MAX_LINES` the rest is a count.
"""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.config.schema import Config
from bot.domain.decision_record import Decision, State
from bot.services.decisions import Listing
from handlers.views.blocks import excerpt, fit
from handlers.views.decision_text import outcome_word, place, standing, tally_line
from handlers.views.text import when

MAX_LINES = 15


def open_line(config: Config, decision: Decision) -> str:
    current = decision.current
    head = f"• *#{decision.number}* {place(decision)} · {excerpt(decision.proposal)} — "
    if decision.state is State.VOTING:
        return head + f"{tally_line(config, current)} · closes {when(current.closes_at)}"
    return head + standing(config, decision)


def recent_line(decision: Decision) -> str:
    return (f"• *#{decision.number}* {place(decision)} · {excerpt(decision.proposal)} — {outcome_word(decision)}"
            f" · published {when(decision.published_at)}")


def _listed(title: str, lines: list[str], empty: str, room: int) -> tuple[list, int]:
    """The title, up to `room` lines (one section each), and how many were left out."""
    blocks = [SectionBlock(text=MarkdownTextObject(text=f"*{title}*" + ("" if lines else f"\n{empty}")))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=fit(line, 2990))) for line in lines[:room]]
    return blocks, max(0, len(lines) - room)


def listing_blocks(config: Config, listing: Listing, area: str | None) -> list[dict]:
    where = f" in {area}" if area else ""
    under_way, left_open = _listed(f"Decisions under way{where} ({len(listing.open)})",
                                   [open_line(config, decision) for decision in listing.open],
                                   "_None: `/vote [area] <proposal>` calls one._", MAX_LINES)
    recent, left_recent = _listed(f"Recent outcomes{where}", [recent_line(decision) for decision in listing.recent],
                                  "_None yet._", max(3, MAX_LINES - min(len(listing.open), MAX_LINES)))
    blocks = under_way
    if left_open:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"… and {left_open} more under way" + ("" if area else ": `/decisions <area>` lists one area's"))]))
    blocks += recent
    if left_recent:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"… and {left_recent} more recent outcomes")]))
    return [block.to_dict() for block in blocks]


def listing_text(listing: Listing) -> str:
    return f"{len(listing.open)} decisions under way, {len(listing.recent)} recent outcomes"
