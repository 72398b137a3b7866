"""The html report's four charts, as inline SVG drawn by pygal (no JavaScript, no network).

- `ack_distribution`: per area, a box of the hours from creation to the first acknowledgement of the
  period's tickets (the same times as the report's p50 and p90).
- `compliance_by_week`: per area, the share of the tickets opened each week that kept every promise,
  as it stood at the end of that week — `metrics.report` over each week, as the weekly digest reads it.
- `ladder_load`: per maintainer, the tickets they acknowledged and resolved in the period, and the open
  tickets they hold now (`activity.people_activity`, as `upline report --people` shows them).
- `decisions_by_outcome`: the period's decisions by where they stand now, one stack per area.

pygal builds the SVG with ElementTree, so every label (an area, a person's name) is escaped as XML
text; its JavaScript (tooltips, loaded from a CDN) is switched off with `js=[]`, and the config it
still writes for that script, and its comments (its URL, the date), are dropped: the page has no
script at all.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

import pygal
from pygal.style import Style

from bot.domain.decision_record import CORE, Decision, State
from bot.domain.ticket import Event, Ticket
from bot.reporting.activity import PersonActivity
from bot.reporting.metrics import report, ticket_facts
from bot.reporting.periods import Period

# pygal appends a `sys.meta_path` finder for its map plugins that has only the old `find_module`; any
# importer that calls `find_spec` on every finder (pytest's, for one) then fails. No map is drawn here.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder) is not pygal.PluginImportFixer]

NO_AREA = "(no area)"
WEEK = timedelta(weeks=1)
LOAD_SHOWN = 30  # maintainers in the load chart, busiest first
OUTCOMES = ("passed", "rejected", "vetoed", "no decision yet")
_INSTANT = timedelta(microseconds=1)  # a week holds its start, not its end (periods.py)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal always writes its config for its JavaScript into a <script>, even with js=[]: nothing reads it here.
_CONFIG_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.DOTALL)
STYLE = Style(font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", background="white",
              plot_background="white", title_font_size=16, legend_font_size=13, label_font_size=12,
              major_label_font_size=12, value_font_size=11,
              colors=("#3b6fb6", "#e0883b", "#4e9a57", "#c0504d", "#8064a2", "#4bacc6", "#9b8a3b", "#777777"))


def _options(**extra) -> dict:
    return {"js": [], "disable_xml_declaration": True, "style": STYLE, "width": 860, "height": 380,
            "legend_at_bottom": True, "truncate_legend": -1, "truncate_label": -1, **extra}


def svg(chart) -> str:
    return _CONFIG_SCRIPT.sub("", _COMMENT.sub("", chart.render(is_unicode=True)))


def ack_distribution(tickets: Sequence[Ticket], events: Mapping[int, Sequence[Event]], span: Period) -> str:
    hours: dict[str, list[float]] = {}
    for ticket in tickets:
        if not span.since <= ticket.created_at <= span.until:
            continue
        to_ack = ticket_facts(ticket, events.get(ticket.id, ()), span.until).to_ack
        if to_ack is not None:
            hours.setdefault(ticket.area or NO_AREA, []).append(round(to_ack.total_seconds() / 3600, 2))
    chart = pygal.Box(**_options(title="Time to acknowledge, per area (hours)", box_mode="tukey",
                                 y_title="hours from creation to the first acknowledgement",
                                 no_data_text="no ticket was acknowledged in the period"))
    for area in sorted(hours, key=_area_order):
        chart.add(f"{area} ({len(hours[area])})", hours[area])
    return svg(chart)


def weeks(span: Period) -> list[Period]:
    """The weeks of the period, counted back from its end; the first may be shorter."""
    found, end = [], span.until
    while end > span.since:
        found.append(Period(max(end - WEEK, span.since), end))
        end -= WEEK
    return found[::-1] or [span]


def compliance_by_week(tickets: Sequence[Ticket], events: Mapping[int, Sequence[Event]], span: Period,
                       areas: Sequence[str | None], kind: str | None = None) -> str:
    periods = weeks(span)
    chart = pygal.Line(**_options(title="SLA compliance per week, per area (%)", range=(0, 100),
                                  x_title="week starting", y_title="% of the week's tickets with no breach",
                                  dots_size=4, allow_interruptions=True, x_label_rotation=0,
                                  no_data_text="no ticket was opened in the period"))
    chart.x_labels = [week.since.strftime("%b %d") for week in periods]
    for area in sorted(areas, key=lambda area: _area_order(area or NO_AREA)):
        points = []
        for week in periods:
            end = week.until if week.until == span.until else week.until - _INSTANT
            rows = [row for row in report(tickets, events, since=week.since, now=end, kind=kind)
                    if not row.total and row.area == area]  # one per kind
            opened = sum(row.opened for row in rows)
            points.append(round(100 * sum(row.compliant for row in rows) / opened, 1) if opened else None)
        chart.add(area or NO_AREA, points)
    return svg(chart)


def ladder_load(people: Sequence[PersonActivity], name: Callable[[str], str]) -> str:
    shown = sorted(people, key=lambda entry: (-(entry.acknowledged + entry.resolved + len(entry.open_held)),
                                              name(entry.person).casefold()))[:LOAD_SHOWN]
    chart = pygal.HorizontalBar(**_options(title="The ladder's load, per maintainer",
                                           height=max(380, 90 + 34 * len(shown)), print_values=True,
                                           print_zeroes=False, no_data_text="nobody on the ladder yet"))
    chart.x_labels = [name(entry.person) for entry in reversed(shown)]
    if shown:
        chart.y_labels = counts_axis(max(max(entry.acknowledged, entry.resolved, len(entry.open_held))
                                         for entry in shown))
    chart.add("acknowledged", [entry.acknowledged for entry in reversed(shown)])
    chart.add("resolved", [entry.resolved for entry in reversed(shown)])
    chart.add("open held now", [len(entry.open_held) for entry in reversed(shown)])
    return svg(chart)


def outcome(decision: Decision) -> str:
    if decision.state is State.VETOED:
        return "vetoed"
    return decision.outcome.value if decision.outcome is not None else "no decision yet"


def decisions_by_outcome(decisions: Sequence[Decision]) -> str:
    chart = pygal.StackedBar(**_options(title="Decisions by outcome, per area", print_values=True,
                                        print_zeroes=False, no_data_text="no decision in the period"))
    chart.x_labels = list(OUTCOMES)
    by_area: dict[str, list[int]] = {}
    for decision in decisions:
        counts = by_area.setdefault(decision.area or CORE, [0] * len(OUTCOMES))
        counts[OUTCOMES.index(outcome(decision))] += 1
    for area in sorted(by_area, key=lambda area: (area == CORE, area)):
        chart.add(area, by_area[area])
    if by_area:  # pygal cannot place labels on a chart without series
        chart.y_labels = counts_axis(max(map(sum, zip(*by_area.values(), strict=True))))
    return svg(chart)


def counts_axis(highest: int) -> list[int]:
    """Whole numbers for an axis of counts (pygal would write 0.2, 0.4, ... under a count of 1)."""
    step = max(1, -(-highest // 8))
    return list(range(0, max(highest, 1) + step, step))


def _area_order(area: str) -> tuple[bool, str]:
    return (area == NO_AREA, area)
