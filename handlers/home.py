"""App Home: opening Upline's Home tab shows your open asks, what waits on you and how long is left,
the areas you maintain, and the away switch.

Picking a date in "Away until…" makes you away until the end of that day in your own time zone (from
`people` in app.yaml, else UTC): you are not pinged, and a rung where everyone is away is skipped.
"I'm back" ends it at once. Either way the tab is redrawn; a date in the past is refused with a line
at the top of the tab, and nothing changes.

A core maintainer and the lead see the triage agenda first (`handlers.views.agenda`): what breached,
what the core has not decided, what waits on the lead, each line with its buttons.

"Votes waiting on you" lists the decisions that wait on you, each with its buttons right there
(For / Against / Abstain, Write the rationale, Approve / Reject, Uphold / Revote); a click there is
answered by redrawing the tab with the answer at the top (`handlers.decision_clicks`).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp

from bot.config.schema import Config
from bot.domain.errors import UserError
from bot.services.agenda import read_agenda
from handlers.deps import Deps
from handlers.payloads import clicker, event_user, selected_date
from handlers.replies import answer_errors, request_reference
from handlers.views.agenda import agenda_blocks
from handlers.views.home import AWAY_UNTIL, BACK, Standing, home_view

log = logging.getLogger(__name__)


def time_zone(config: Config, person: str) -> ZoneInfo:
    known = config.people.get(person)
    return ZoneInfo(known.tz if known and known.tz else "UTC")


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of the next day there, in UTC: "away until Friday" covers all of Friday."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def last_day(until: datetime, zone: ZoneInfo) -> date:
    return (until.astimezone(zone) - timedelta(microseconds=1)).date()


def picked_date(action: dict) -> date:
    try:
        return date.fromisoformat(selected_date(action) or "")
    except ValueError:
        raise UserError("Pick a date in the calendar to say until when you are away.") from None


def standing(config: Config, person: str, away_until: datetime | None) -> Standing:
    areas = tuple(area.key for area in config.areas if person in area.maintainers)
    last = last_day(away_until, time_zone(config, person)) if away_until else None
    return Standing(areas, person in config.core.maintainers, person == config.lead, last)


async def publish_home(deps: Deps, client, user: str, *, problem: str | None = None,
                       note: str | None = None) -> None:
    """Draw `user`'s Home tab as it stands now; `problem` (plain text) or `note` (Slack markup, such as
    the answer to a click on the tab) goes at the top."""
    now = deps.clock.now()
    overview = await deps.call(deps.tickets.overview, user, now)
    votes = await deps.call(deps.decisions.waiting_on, user) if deps.decisions is not None else []
    person = deps.tickets.person_of(user)
    where = standing(deps.config, person, overview.away_until)
    agenda = []
    if (where.core or where.lead) and deps.decisions is not None:
        found = await deps.call(read_agenda, deps.unit_of_work, now)
        agenda = agenda_blocks(deps.config, found, person, now)
    view = home_view(deps.config, overview, where, now, problem=problem, note=note, votes=votes, person=person,
                     agenda=agenda)
    await client.views_publish(user_id=user, view=view)


def register(app: AsyncApp, deps: Deps) -> None:
    async def publish(client, user: str, problem: str | None = None) -> None:
        await publish_home(deps, client, user, problem=problem)

    def show_problem(client, user: str):
        async def show(problem: str) -> None:
            try:
                await publish(client, user, problem)
            except Exception:  # the tab cannot be drawn (database down): the log is all that is left
                log.exception("request %s: could not show %r on %s's App Home", request_reference(), problem, user)
        return show

    @app.event("app_home_opened")
    async def opened(ack, event, client):
        await ack()
        if event.get("tab", "home") != "home":  # the Messages tab opens this event too
            return
        user = event_user(event)
        await answer_errors(show_problem(client, user), lambda: publish(client, user), f"App Home for {user}")

    @app.action(AWAY_UNTIL)
    async def away_until(ack, body, action, client):
        await ack()
        user = clicker(body)

        async def work() -> None:
            zone = time_zone(deps.config, deps.tickets.person_of(user))
            until = end_of_day(picked_date(action), zone)
            await deps.call(deps.tickets.set_away, user, until, by=user, now=deps.clock.now())
            await publish(client, user)

        await answer_errors(show_problem(client, user), work, f"away until by {user}")

    @app.action(BACK)
    async def back(ack, body, client):
        await ack()
        user = clicker(body)

        async def work() -> None:
            await deps.call(deps.tickets.set_away, user, None, by=user, now=deps.clock.now())
            await publish(client, user)

        await answer_errors(show_problem(client, user), work, f"back by {user}")
