"""The nomination messages without buttons: the nominee's DM, the review's opening, the answers being in,
the public record, the outcome's DMs and the lead's seat falling vacant. Each returns (text, blocks).

    nominated      DM to the nominee: who nominated them and why, or that the review suggests emeritus
    review         the core's channel: "Nominations review: 2 on the slate, 1 suggested for emeritus" —
                   each nomination follows as its own message (handlers/views/nomination.py)
    answers_in     to whoever decides (the core, or the lead): each answer, and who did not answer
    published      decisions.channel: the outcome, its reasons, the nominators
    outcome        DMs to the nominee and nominators
    lead_vacant    the core's channel: the lead was removed, `/elect lead` may start
"""

from __future__ import annotations

from datetime import datetime

from bot.config.schema import Config
from bot.domain.nomination_record import Nomination, State
from bot.domain.ticket import SYSTEM
from handlers.views.blocks import context, fit, header, quoted, section
from handlers.views.nomination import answers_line, group_of, nominators, subject, what, who
from handlers.views.text import escape, mention, mentions, when

Rendered = tuple[str, list[dict]]
OUTCOMES = {State.CONFIRMED: "confirmed", State.REJECTED: "rejected", State.DESK_REJECTED: "desk-rejected"}


def nominated(config: Config, nomination: Nomination, data: dict) -> Rendered:
    """The nominee's DM: nominated (with the reason), or suggested for emeritus by the review."""
    person, number = mention(config, nomination.person), nomination.number
    if data.get("emeritus"):
        since = _date(data.get("last_active"))
        text = (f"{person}, the nominations review suggests moving you to emeritus in {group_of(nomination)} "
                f"(#{number}): no activity in Upline since {since}. The core maintainers decide; if you are "
                "still active, tell them.")
        return text, [section(text)]
    by = data.get("by")
    text = (f"{person}, {who(config, by) if by else 'someone'} nominated you (#{number}): {what(nomination)}. "
            "The core maintainers review nominations at their next review, ask the maintainers, and decide; "
            "you will hear the outcome.")
    blocks = [section(text)]
    reason = next((n.reason for n in nomination.nominators if n.by == by and n.reason), None)
    if reason:
        blocks.append(section(quoted(reason, 2000)[0]))
    return text, blocks


def review(config: Config, data: dict, to: tuple[str, ...], slate: list[int]) -> Rendered:
    """The review's opening in the core's channel: what is on the slate; each nomination follows."""
    by = data.get("by")
    held = f" brought forward by {who(config, by)}" if by and by != SYSTEM else ""
    on_slate, suggested = data.get("on_slate", 0), data.get("suggested", 0)
    count = (f"{on_slate} nomination{'s' if on_slate != 1 else ''} on the slate, {suggested} suggested for emeritus"
             if slate else "nothing on the slate")
    text = f"Nominations review{held}: {count} — {mentions(config, to)}"
    body = (f"{mentions(config, to)} — each nomination follows with *Ask the maintainers*, *Desk-reject* and "
            "*Call the vote*." if slate else f"{mentions(config, to)} — no nomination waits for you.")
    blocks = [header(":clipboard: Nominations review"), section(f"*{count.capitalize()}*{held}.\n{body}")]
    if data.get("next_due_at"):
        blocks.append(context(f"Next review {when(datetime.fromisoformat(data['next_due_at']))} · "
                              "`/nominate review` brings it forward"))
    return text, blocks


def answers_in(config: Config, nomination: Nomination, to: tuple[str, ...], link: str | None) -> Rendered:
    """To whoever decides: the maintainers' answers, in full as far as a message holds them."""
    number = nomination.number
    text = f"The answers about #{number} are in — {mentions(config, to)}: call the vote, or desk-reject it"
    blocks = [header(f":inbox_tray: Nomination #{number}: the answers are in"), section(subject(config, nomination)),
              section(fit(answers_line(config, nomination)))]
    for answer in (nomination.ask.answers if nomination.ask else ())[:10]:
        stance = "supports it" if answer.support else "does not support it"
        parts = [f"*{who(config, answer.by)}* {stance}", f"_Depth_\n{quoted(answer.depth, 800)[0]}",
                 f"_Breadth_\n{quoted(answer.breadth, 800)[0]}"]
        if answer.testimonials:
            parts.append(f"_Testimonials_\n{quoted(answer.testimonials, 800)[0]}")
        blocks.append(section(fit("\n".join(parts))))
    where = f"<{link}|the slate>" if link else "the slate"
    blocks.append(section(f"{mentions(config, to)} — call the vote (or desk-reject it) on {where}."))
    return text, blocks


def published(config: Config, nomination: Nomination) -> Rendered:
    """The public record: the outcome, its reasons, the nominators."""
    outcome = OUTCOMES.get(nomination.state, nomination.state.value)
    number = nomination.number
    text = f"Nomination #{number} ({group_of(nomination)}): {outcome} — {who(config, nomination.person)}, " \
           f"{what(nomination)}"
    blocks = [header(f":scroll: Nomination #{number} · {group_of(nomination)} · {outcome.capitalize()}"),
              section(subject(config, nomination)), section(_outcome_line(config, nomination))]
    if nomination.reason:
        by = f", by {who(config, nomination.closed_by)}" if nomination.closed_by else ""
        blocks.append(section(f"*Reasons*{by}\n{quoted(nomination.reason, 2800)[0]}"))
    blocks.append(section(fit(nominators(config, nomination))))
    if nomination.decision:
        blocks.append(context(f"The vote: decision #{nomination.decision} · `/status #{nomination.decision}`"))
    return text, blocks


def outcome(config: Config, nomination: Nomination, person: str) -> Rendered:
    """The DM to the nominee or a nominator."""
    result = OUTCOMES.get(nomination.state, nomination.state.value)
    about = "your nomination" if person == nomination.person else f"the nomination you made of " \
                                                                   f"{who(config, nomination.person)}"
    text = (f"{mention(config, person)}, {about} (#{nomination.number}: {what(nomination)}) was *{result}*"
            + (f" by {who(config, nomination.closed_by)}" if nomination.state is State.DESK_REJECTED else "") + ".")
    blocks = [section(text)]
    if nomination.reason:
        blocks.append(section(f"*Reasons*\n{quoted(nomination.reason, 2800)[0]}"))
    return text, blocks


def lead_vacant(config: Config, nomination: Nomination, to: tuple[str, ...], data: dict) -> Rendered:
    removed = who(config, data.get("removed", nomination.person))
    command = escape(data.get("next", "/elect lead"))
    text = (f":rotating_light: The lead's seat is vacant: {removed} was removed as the lead core maintainer "
            f"(#{nomination.number}). {mentions(config, to)} — the core elects a new lead by ranked-choice vote: "
            f"`{command}` may start.")
    return text, [section(text)]


def _outcome_line(config: Config, nomination: Nomination) -> str:
    state = nomination.state
    if state is State.DESK_REJECTED:
        return f"*Outcome*: desk-rejected by {who(config, nomination.closed_by)} · {when(nomination.closed_at)}"
    verdict = OUTCOMES.get(state, state.value)
    deciders = "the lead" if nomination.target == "core" and not nomination.of_lead else "the core maintainers"
    line = f"*Outcome*: {verdict} by {deciders} in #{nomination.decision} · {when(nomination.closed_at)}"
    if state is State.CONFIRMED and nomination.change is not None:
        line += "\nThe change goes into app.yaml with `upline governance apply`."
    return line


def _date(moment: str | None) -> str:
    if not moment:
        return "a long while"
    return datetime.fromisoformat(moment).date().isoformat()


__all__ = ["answers_in", "lead_vacant", "nominated", "outcome", "published", "review"]
