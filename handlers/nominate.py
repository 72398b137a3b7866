"""`/nominate`: propose a change of maintainers, for the core's next review — or bring the review forward.

    /nominate @Kshitij nn Reviews most nn PRs      (anyone, for a module; core and module maintainers, for the core)
    /nominate remove @Kshitij nn Inactive for a year
    /nominate remove @me jit                       (yourself, for removal)
    /nominate review                               (a core maintainer: the review starts now)

Whoever typed it is told privately: "#41: you nominated @Kshitij for the nn maintainers. The core
maintainers review nominations every 13 weeks; the next review is Mon 22 Feb at 09:00." A second
nomination of the same person for the same change joins the first: "@Kshitij is already nominated
for nn (#41): your reason was added." The rules refuse (and nothing is stored) someone who already
holds the seat, the removal of someone who does not, an unknown area, and a nomination for the core
by anyone but a maintainer; a missing person or area gets the usage.

The command is registered with `should_escape` (bot/manifest.py), so Slack sends a person picked from
its list as `<@U123|name>`; `<@U123>` is accepted too, and `@me` names whoever typed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_bolt.async_app import AsyncApp

from bot.config.decisions import governance_policy
from bot.domain.durations import format_duration
from bot.domain.errors import UserError
from bot.domain.nomination_record import CORE, Action, NominationOutcome, ReviewOutcome
from handlers.deps import Deps
from handlers.handover import MENTION
from handlers.payloads import command_text, command_user
from handlers.replies import answer_errors
from handlers.views.text import mention, when

# Refusals are escaped on their way to Slack (handlers.replies), so <…> here reads as typed.
USAGE = "/nominate [remove] @person <area|core> [why]` or `/nominate review"
ME = "@me"


@dataclass(frozen=True)
class Nominating:
    action: Action
    person: str  # a Slack user ID
    target: str  # as typed: an area's key or alias, or "core" (the service resolves it)
    reason: str | None


def parse_nominate(text: str, user: str) -> Nominating | None:
    """`<@U1|name> nn why` → add U1 to nn; `remove @me jit` → remove `user` from jit; `review` → None."""
    words = text.split(maxsplit=1)
    if words and words[0].casefold() == "review":
        if len(words) > 1:
            raise UserError("`/nominate review` takes nothing after it: it starts the nominations review now.")
        return None
    action = Action.ADD
    if words and words[0].casefold() == "remove":
        action, words = Action.REMOVE, words[1].split(maxsplit=1) if len(words) > 1 else []
    rest = words[1].split(maxsplit=1) if len(words) > 1 else []
    if not words or not rest:
        raise UserError(f"Whom, and for which area? Write it as `{USAGE}`, picking the person from the list Slack "
                        "offers when you type @.")
    if words[0].casefold() == ME:
        person = user
    elif match := MENTION.match(words[0]):
        person = match.group(1)
    else:
        raise UserError(f"Who is nominated? Write it as `{USAGE}`, picking the person from the list Slack offers "
                        "when you type @ (or `@me` for yourself), so that it names them.")
    return Nominating(action, person, rest[0], rest[1].strip() if len(rest) > 1 else None)


def every(period: timedelta) -> str:
    """13w → "13 weeks"; anything else as a duration ("12w6d")."""
    if period % timedelta(weeks=1) == timedelta(0):
        weeks = period // timedelta(weeks=1)
        return "week" if weeks == 1 else f"{weeks} weeks"
    if period % timedelta(days=1) == timedelta(0):
        days = period // timedelta(days=1)
        return "day" if days == 1 else f"{days} days"
    return format_duration(period)


def nominated(deps: Deps, outcome: NominationOutcome, user: str) -> str:
    nomination = outcome.nomination
    config, by = deps.config, deps.nominations.person_of(user)
    who = "yourself" if nomination.person == by else mention(config, nomination.person)
    group = "core maintainers" if nomination.target == CORE else f"{nomination.target} maintainers"
    if any(event.kind == "joined" for event in outcome.events):
        what = "for removal from" if nomination.action is Action.REMOVE else "for"
        said = "your reason was added" if outcome.nomination.nominators[-1].reason else "you were added as a nominator"
        subject = "You are" if nomination.person == by else f"{mention(config, nomination.person)} is"
        return f"{subject} already nominated {what} {nomination.target} (#{nomination.number}): {said}."
    change = f"for removal from the {group}" if nomination.action is Action.REMOVE else f"for the {group}"
    return f"#{nomination.number}: you nominated {who} {change}. {_next_review(deps)}"


def next_review_at(deps: Deps) -> datetime:
    """When the core next reviews the nominations (a database read)."""
    schedule = deps.nominations.slate().schedule
    # Before the first sweep there is no schedule yet; that sweep sets the first review `review_every` on.
    return schedule.next_due_at if schedule else deps.clock.now() + governance_policy(deps.config).review_every


def _next_review(deps: Deps) -> str:
    return (f"The core maintainers review nominations every {every(governance_policy(deps.config).review_every)}; "
            f"the next review is {when(next_review_at(deps))}.")


def reviewed(deps: Deps, review: ReviewOutcome) -> str:
    slate = [change.nomination for change in review.slate]
    waiting = [n for n in slate if not n.emeritus]
    suggested = len(slate) - len(waiting)
    numbers = ", ".join(f"#{n.number}" for n in waiting)
    said = (f"The nominations review starts now: {len(waiting)} nomination{'' if len(waiting) == 1 else 's'} "
            f"on the core's slate{f' ({numbers})' if numbers else ''}")
    if suggested:
        said += f", and {suggested} suggested move{'' if suggested == 1 else 's'} to emeritus"
    return said + f". The next review is {when(review.schedule.next_due_at)}."


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command("/nominate")
    async def nominate_command(ack, command):
        async def work():
            user, now = command_user(command), deps.clock.now()
            asked = parse_nominate(command_text(command), user)
            if asked is None:
                review = await deps.call(deps.nominations.start_review, by=user, now=now)
                await ack(text=reviewed(deps, review))
                return
            outcome = await deps.call(deps.nominations.nominate, by=user, person=asked.person, target=asked.target,
                                      reason=asked.reason, now=now, action=asked.action)
            await ack(text=await deps.call(nominated, deps, outcome, user))

        await answer_errors(lambda message: ack(text=message), work, f"/nominate by {command.get('user_id')}")
