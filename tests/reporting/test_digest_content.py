"""What a digest says over a seeded history: exactly the week's breaches, what is open and undecided."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from textwrap import dedent

from bot.config import load_config_text
from bot.domain.decision_record import State
from bot.domain.nomination_record import Action
from bot.domain.nomination_record import State as NominationState
from bot.domain.tally import Choice
from bot.domain.ticket import SYSTEM, Event
from bot.domain.ticket import State as TicketState
from bot.reporting.digest_content import DigestData, area_digest, core_digest, trend
from bot.reporting.metrics import report
from bot.reporting.periods import Period
from tests.domain.decision_helpers import decided, opened
from tests.domain.nomination_helpers import nominated
from tests.storage.conftest import make_ticket

UNTIL = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WEEK = Period.ending(UNTIL, timedelta(weeks=1))
NOW = UNTIL + timedelta(seconds=3)
DAY = timedelta(days=1)
CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: boss
    core: {maintainers: [core1, core2, core3]}
    areas:
      - {key: nn, maintainers: [nn1, nn2, nn3]}
      - {key: optim, maintainers: [opt1]}
      - {key: old, maintainers: [], sunset: true}
    people:
      boss: {slack: U0BOSS}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      core3: {slack: U0CORE3}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      nn3: {slack: U0NN3}
      opt1: {slack: U0OPT1}
    """)).config


def _escalated(at):
    return Event("escalated", SYSTEM, at, "area:nn", "no acknowledgement in time", {"from": "area:nn"})


def _history():
    # #1 breached this week and still with core, held by core1; #2 breached last week (not this one);
    # #3 breached this week and was resolved; #4 open, never breached; #5 optim, open.
    one = make_ticket(id=1, created_at=WEEK.since + DAY, level="core", state=TicketState.ACKNOWLEDGED,
                      acknowledged_by="core1", ack_due_at=None, resolve_due_at=UNTIL + 2 * DAY)
    two = make_ticket(id=2, created_at=WEEK.since - 3 * DAY, level="core", ack_due_at=UNTIL + 4 * DAY)
    three = make_ticket(id=3, created_at=WEEK.since + DAY, level="core", state=TicketState.RESOLVED,
                        resolved_at=WEEK.since + 3 * DAY, acknowledged_by="core2")
    four = make_ticket(id=4, created_at=WEEK.since - 10 * DAY, text="Oldest <!channel> question",
                       ack_due_at=UNTIL + DAY, resolve_due_at=UNTIL + 3 * DAY)
    five = make_ticket(id=5, area="optim", level="area:optim", created_at=WEEK.since + 2 * DAY,
                       ack_due_at=UNTIL + DAY)
    events = {1: [_escalated(WEEK.since + 2 * DAY)], 2: [_escalated(WEEK.since - 2 * DAY)],
              3: [_escalated(WEEK.since + 2 * DAY), Event("resolved", "core2", WEEK.since + 3 * DAY, "core")]}
    breaches = sorted(((n, e) for n, es in events.items() for e in es if e.kind == "escalated"),
                      key=lambda item: item[1].at)
    tickets = {t.id: t for t in (one, two, three, four, five)}
    return DigestData(
        open_tickets=[one, two, four, five], breaches=breaches, tickets=tickets,
        reported=list(tickets.values()), events=events)


def test_the_core_digest_lists_exactly_this_weeks_breaches_and_where_they_are_now():
    content = core_digest(_history(), CONFIG, WEEK, now=NOW, late=False)
    assert [(b["ticket"], b["state"], b["level"], b["holder"]) for b in content["breached"]["items"]] == [
        (1, "acknowledged", "core", "core1"), (3, "resolved", "core", "core2")]


def test_the_oldest_open_tickets_per_area_with_who_holds_them():
    content = core_digest(_history(), CONFIG, WEEK, now=NOW, late=False)
    assert [(a["area"], a["total"], [(t["ticket"], t["holder"]) for t in a["tickets"]])
            for a in content["oldest_open"]] == [("nn", 3, [(4, None), (2, None), (1, "core1")]),
                                                 ("optim", 1, [(5, None)])]


def test_compliance_is_the_reports_own_number_for_each_week():
    data = _history()
    content = core_digest(data, CONFIG, WEEK, now=NOW, late=False)
    by_area = {row["area"]: row for row in content["compliance"]}
    assert set(by_area) == {"nn", "optim"}  # a sunset area is left out
    this = report(data.reported, data.events, since=WEEK.since, now=WEEK.until, area="nn")[-1].compliance
    last = report(data.reported, data.events, since=WEEK.previous().since, now=WEEK.since, area="nn")[-1].compliance
    assert (by_area["nn"]["this"], by_area["nn"]["last"]) == (this, last) == (0.0, 0.0)
    assert by_area["optim"] == {"area": "optim", "this": 100.0, "last": None, "trend": "→"}
    assert (trend(80.0, 60.0), trend(60.0, 80.0), trend(70.0, 70.2)) == ("↑", "↓", "→")


def test_votes_open_rationales_missing_and_nominations_waiting():
    voting = replace(opened(now=UNTIL - DAY), number=20)
    unexplained = replace(decided(("nn1", Choice.FOR), ("nn2", Choice.FOR), now=UNTIL - 5 * DAY), number=21)
    assert unexplained.state is State.DECIDED
    waiting = nominated(number=41)
    asked = replace(nominated(Action.ADD, "someone", number=42), state=NominationState.ASKED)
    suggested = replace(nominated(Action.REMOVE, "nn3", number=None), emeritus=True)
    data = replace(_history(), open_decisions=[voting, unexplained], nominations=[waiting, asked],
                   suggested=[suggested], next_review_at=UNTIL + 30 * DAY)
    content = core_digest(data, CONFIG, WEEK, now=NOW, late=True)
    assert content["late"] is True
    assert [(v["decision"], v["waiting_on"]) for v in content["votes_open"]["items"]] == [(20, ["nn1", "nn2", "nn3"])]
    assert [(r["decision"], r["overdue"], r["owed_by"]) for r in content["rationales_missing"]["items"]] == [
        (21, True, ["nn1", "nn2", "nn3"])]
    assert [n["nomination"] for n in content["nominations"]["items"]] == [41]
    assert [(e["person"], e["target"]) for e in content["emeritus"]["items"]] == [("nn3", "nn")]


def test_an_area_digest_lists_its_open_tickets_oldest_first_and_its_decisions_of_the_week():
    this_week = replace(decided(("nn1", Choice.FOR), ("nn2", Choice.FOR), now=WEEK.since + DAY), number=30)
    long_ago = replace(opened(now=WEEK.since - 10 * DAY), number=31)
    data = replace(_history(), recent_decisions=[this_week, long_ago])
    content = area_digest(data, "nn", WEEK, now=NOW, late=False)
    assert [(t["ticket"], t["due_at"]) for t in content["open"]["items"]] == [
        (4, (UNTIL + DAY).isoformat()), (2, datetime(2026, 12, 3, 12, 0, tzinfo=UTC).isoformat()),
        (1, (UNTIL + 2 * DAY).isoformat())]
    assert [(d["decision"], d["outcome"]) for d in content["decisions"]["items"]] == [(30, "passed")]
