"""`upline report --format html [-o report.html]`: the report as one page to open in a browser.

One self-contained file — the charts are inline SVG, the style is inline, there is no script and no
font, image or stylesheet to fetch, and a Content-Security-Policy says so to the browser — so it opens
from a mail attachment or a CI artifact with no network. It shows:

- the summary table (the rows of `upline report`, with the period before beside each when
  `--compare previous`: its compliance and the change as an arrow);
- time to acknowledge per area (a box per area), compliance per week per area, the ladder's load per
  maintainer (acknowledged and resolved in the period, open held now) and decisions by outcome (see
  `bot.reporting.charts`).

Everything a person typed or named — area keys, people's names, the project — is HTML-escaped.
`--area` and `--kind` narrow the table and the ticket charts; the load and the decisions are the
whole project's. Pure: the CLI loads the rows and passes the period in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from bot.config.schema import Config
from bot.domain.decision_record import Decision
from bot.domain.ticket import Event, Ticket
from bot.reporting import NO_DATA, charts, format_span, utc_iso
from bot.reporting.activity import History, people_activity
from bot.reporting.comparison import Pair, compliance_change
from bot.reporting.metrics import Row
from bot.reporting.periods import Period
from bot.reporting.timeline import display_names

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2rem auto; max-width: 940px;
       color: #1d1d1f; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; }
p.period { color: #555; margin-top: 0; }
div.wide { overflow-x: auto; }  /* a table wider than the page scrolls in its box, not the page */
table { border-collapse: collapse; font-size: .9rem; width: 100%; }
th, td { padding: .3rem .55rem; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
tr.total td { font-weight: 600; border-top: 2px solid #bbb; }
td.up { color: #2e7d32; } td.down { color: #c62828; }
figure { margin: 0; } figure svg { width: 100%; height: auto; }
footer { margin-top: 2.5rem; color: #777; font-size: .8rem; }
"""
HEADERS = ("area", "kind", "opened", "ack p50", "ack p90", "resolve p50", "resolve p90", "ack breaches",
           "resolve breaches", "compliant")


@dataclass(frozen=True)
class Inputs:
    """What the page is drawn from; `tickets` and `events` may reach back into the period before."""

    title: str
    span: Period
    rows: Sequence[Row]
    tickets: Sequence[Ticket]
    events: Mapping[int, Sequence[Event]]
    decisions: Sequence[Decision] = ()
    history: History | None = None
    config: Config | None = None
    before: Period | None = None
    pairs: Sequence[Pair] | None = None
    area: str | None = None
    kind: str | None = None


def render_page(given: Inputs) -> str:
    project = given.config.project if given.config is not None else None
    heading = f"{project} — SLA report" if project else "Upline SLA report"
    sections = [
        ("Summary", summary_table(given)),
        ("Time to acknowledge", _figure(charts.ack_distribution(_tickets(given), given.events, given.span))),
        ("Compliance per week", _figure(charts.compliance_by_week(
            _tickets(given), given.events, given.span, sorted({row.area for row in given.rows if not row.total},
                                                              key=lambda area: (area is None, area or ""))))),
        ("The ladder's load", _figure(charts.ladder_load(_people(given), display_names(given.config)))),
        ("Decisions by outcome", _figure(charts.decisions_by_outcome(_decisions(given)))),
    ]
    body = "\n".join(f'<section id="{_anchor(title)}">\n<h2>{escape(title)}</h2>\n{content}\n</section>'
                     for title, content in sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(heading)}</h1>
<p class="period">{escape(given.title)}{escape(_before(given.before))}</p>
{body}
<footer>Made by <code>upline report --format html</code>; charts drawn with pygal. Durations run from a ticket's
creation; compliance is the share of tickets with no breach, as it stood at the end of the period.</footer>
</body>
</html>
"""


def summary_table(given: Inputs) -> str:
    if not given.rows and not given.pairs:
        return "<p>No ticket was opened in the period.</p>"
    compare = given.pairs is not None
    headers = [*HEADERS, *(("before", "change") if compare else ())]
    heads = "".join(f"<th>{escape(header)}</th>" for header in headers)
    lines = ['<div class="wide"><table>', f"<thead><tr>{heads}</tr></thead>",
             "<tbody>"]
    pairs = given.pairs if compare else [Pair(row, row) for row in given.rows]
    for pair in pairs:
        cells = [f"<td>{escape(cell)}</td>" for cell in _cells(pair.current)]
        if compare:
            change = compliance_change(pair)
            tone = "up" if change.startswith("↑") else "down" if change.startswith("↓") else ""
            cells.append(f"<td>{escape(_percent(pair.previous))} ({pair.previous.opened})</td>")
            cells.append(f'<td class="{tone}">{escape(change)}</td>')
        total = ' class="total"' if pair.current.total else ""
        lines.append(f"<tr{total}>{''.join(cells)}</tr>")
    lines += ["</tbody>", "</table></div>"]
    return "\n".join(lines)


def _cells(row: Row) -> list[str]:
    area = "total" if row.total else (row.area or "(no area)")
    return [area, "" if row.total else str(row.kind), str(row.opened), format_span(row.ack_p50),
            format_span(row.ack_p90), format_span(row.resolve_p50), format_span(row.resolve_p90),
            str(row.ack_breaches), str(row.resolve_breaches), _percent(row)]


def _percent(row: Row) -> str:
    return NO_DATA if row.compliance is None else f"{row.compliance:.0f}%"


def _tickets(given: Inputs) -> list[Ticket]:
    return [ticket for ticket in given.tickets
            if (given.area is None or (ticket.area or "").casefold() == given.area.casefold())
            and (given.kind is None or ticket.kind == given.kind)]


def _people(given: Inputs):
    history = given.history or History(tickets=given.tickets, ticket_events=given.events)
    return people_activity(given.config, history, since=given.span.since, now=given.span.until)


def _decisions(given: Inputs) -> list[Decision]:
    def inside(moment) -> bool:
        return moment is not None and given.span.since <= moment <= given.span.until

    return [decision for decision in given.decisions if inside(decision.opened_at) or inside(decision.published_at)]


def _before(before: Period | None) -> str:
    return "" if before is None else f"; beside the period before, {utc_iso(before.since)} to {utc_iso(before.until)}"


def _figure(svg: str) -> str:
    return f"<figure>{svg}</figure>"


def _anchor(title: str) -> str:
    return "".join(char if char.isalnum() else "-" for char in title.casefold()).strip("-")
