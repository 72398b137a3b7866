"""Opening a ticket from what someone typed: shared by `/ask`, `/escalate` and `@Upline ask`.

The area is found by `bot.config.routing` — by name, keyword or path — or not at all: then the asker
gets the area picker (`handlers.views.area_picker`): the areas that come close as buttons, every
area in a list, and no ticket is opened in a place they did not pick.
"""

from __future__ import annotations

from bot.config.routing import find_area
from bot.domain.ticket import Kind, Outcome
from bot.services.drafts import Draft, keep_draft
from bot.services.tickets import NewTicket
from handlers.deps import Deps
from handlers.payloads import trigger
from handlers.views.area_picker import area_picker, listed_areas
from handlers.views.ask_modal import ask_modal
from handlers.views.text import escape, level_label, mentions, when

MAX_QUESTION = 12_000  # beyond this, a link to a gist or an issue serves everyone better


def too_long(text: str) -> str | None:
    if len(text) <= MAX_QUESTION:
        return None
    return (f"Your message is {len(text):,} characters long; Upline takes up to {MAX_QUESTION:,}. "
            "Put long logs or code in a gist or an issue and ask with the link.")


async def open_form(client, deps: Deps, command: dict, kind: Kind) -> None:
    """`/ask` or `/escalate` with no text: the ask form, set to that kind."""
    await client.views_open(trigger_id=trigger(command), view=ask_modal(deps.config, kind))


async def open_from_text(deps: Deps, *, user: str, kind: Kind, text: str,
                         thread: tuple[str, str] | None = None) -> dict:
    """Find the area and open the ticket, or return the area picker; the result is what to answer."""
    if problem := too_long(text):
        return {"text": problem}
    match = find_area(deps.config, text)
    if match.area is None:
        return await picker(deps, user=user, kind=kind, text=text, close=match.suggestions, thread=thread)
    question = match.question or text
    if not match.question and match.how in ("key", "alias"):
        return {"text": f"What is your {kind.value} about? Write it after the area: `/ask {match.area.key} …`"}
    outcome = await deps.open_ticket(NewTicket(user, kind, match.area.key, question, thread))
    return {"text": confirmation(deps, outcome, sunset=match.sunset, found_by=match.how, matched=match.matched)}


async def open_in_area(deps: Deps, *, user: str, kind: Kind, area: str | None, text: str,
                       thread: tuple[str, str] | None = None) -> dict:
    """The asker picked the area (a button, the list or the modal): open it there."""
    if problem := too_long(text):
        return {"text": problem}
    outcome = await deps.open_ticket(NewTicket(user, kind, area, text, thread))
    sunset = bool(area and deps.config.area(area) and deps.config.area(area).sunset)
    return {"text": confirmation(deps, outcome, sunset=sunset, found_by="key", matched=area)}


def confirmation(deps: Deps, outcome: Outcome, *, sunset: bool, found_by: str, matched: str | None) -> str:
    ticket = outcome.ticket
    pinged = [person for notice in outcome.notices if notice.kind == "ping" for person in notice.to]
    where = ticket.area or "no area"
    lines = [f"*#{ticket.id}* opened in *{where}* ({ticket.kind.value})."]
    if found_by in ("keyword", "path"):
        lines.append(f"Routed to {where} because it mentions `{escape(matched or '')}`.")
    if sunset:
        lines.append(f":warning: {where} is a sunset module: its questions go to the core maintainers.")
    if pinged:
        lines.append(f"Pinged {mentions(deps.config, pinged)} ({level_label(deps.config, ticket.level)}); "
                     f"acknowledgement due {when(ticket.ack_due_at)}.")
    else:
        lines.append(f"Nobody on the {level_label(deps.config, ticket.level)} can be pinged right now; "
                     "they will see it when they are back.")
    return "\n".join(lines)


async def picker(deps: Deps, *, user: str, kind: Kind, text: str, close: tuple[str, ...],
                 thread: tuple[str, str] | None) -> dict:
    """The area picker; its list of every area reads the question back from a draft kept for it."""
    draft = None
    if listed_areas(deps.config):
        draft = await deps.call(keep_draft, deps.unit_of_work, Draft(user, kind, text, thread), deps.clock.now())
    return area_picker(deps.config, kind, text, close, draft)
