"""How `upline report` writes its rows: the table for people, csv and json for scripts, and each with
the period before beside it (`--compare previous`). See `bot.cli.report` for what the user sees."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta

from bot.reporting import format_span, utc_iso
from bot.reporting.comparison import Pair, compliance_change
from bot.reporting.metrics import Row
from bot.reporting.periods import Period

TOTAL = "*"  # the total row's area and kind in csv and json: no area key can be spelled so
FOOTNOTES = [
    "* ack and resolve times run from creation to the first acknowledgement and the first resolution",
    "  (a reopened ticket keeps its first); tickets without one yet are left out of those columns.",
    "* ack breaches: ack deadlines missed (escalated by upline, or the lead reminded as overdue);",
    "  resolve breaches: resolve deadlines missed.",
    "* compliant: the share of tickets with no breach; a ticket still open and not yet overdue counts",
    "  as compliant so far.",
]
RECORD_FIELDS = ("area", "kind", "opened", "acknowledged", "resolved", "ack_p50_seconds", "ack_p90_seconds",
                 "resolve_p50_seconds", "resolve_p90_seconds", "ack_breaches", "resolve_breaches", "compliant",
                 "compliance_percent")  # fmt: skip
_TABLE = (("area", "<"), ("kind", "<"), ("opened", ">"), ("ack p50", ">"), ("ack p90", ">"),
          ("resolve p50", ">"), ("resolve p90", ">"), ("ack breaches", ">"), ("resolve breaches", ">"),
          ("compliant", ">"))  # fmt: skip


def as_record(row: Row) -> dict:
    """One row for csv and json: counts, durations in whole seconds (None: no data), compliance in %."""
    return {
        "area": TOTAL if row.total else row.area,
        "kind": TOTAL if row.total else row.kind,
        "opened": row.opened,
        "acknowledged": row.acknowledged,
        "resolved": row.resolved,
        "ack_p50_seconds": _seconds(row.ack_p50),
        "ack_p90_seconds": _seconds(row.ack_p90),
        "resolve_p50_seconds": _seconds(row.resolve_p50),
        "resolve_p90_seconds": _seconds(row.resolve_p90),
        "ack_breaches": row.ack_breaches,
        "resolve_breaches": row.resolve_breaches,
        "compliant": row.compliant,
        "compliance_percent": None if row.compliance is None else round(row.compliance, 1),
    }


def as_compared(pair: Pair) -> dict:
    """A row's record with the period before's numbers beside it as `previous_*` (area and kind once)."""
    record, previous = as_record(pair.current), as_record(pair.previous)
    return record | {f"previous_{key}": previous[key] for key in RECORD_FIELDS[2:]}


def as_csv(rows: Sequence[Row], pairs: Sequence[Pair] | None) -> str:
    text = io.StringIO()
    fields = RECORD_FIELDS if pairs is None else (*RECORD_FIELDS, *(f"previous_{key}" for key in RECORD_FIELDS[2:]))
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    if pairs is None:
        writer.writerows(as_record(row) for row in rows)
    else:
        writer.writerows(as_compared(pair) for pair in pairs)
    return text.getvalue()


def as_table(rows: Sequence[Row], title: str) -> str:
    if not rows:
        return f"{title}: none.\n"
    return _aligned(title, _TABLE, [_cells(row) for row in rows], [])


def as_compared_table(pairs: Sequence[Pair], title: str, before: Period) -> str:
    """Each row, then a `before` line with the period before's numbers; the change in compliance beside."""
    title += f", beside the period before: {utc_iso(before.since)} to {utc_iso(before.until)}"
    if not pairs:
        return f"{title}: none in either.\n"
    lines = []
    for pair in pairs:
        lines.append([*_cells(pair.current), compliance_change(pair)])
        lines.append(["  before", "", *_cells(pair.previous)[2:], ""])
    notes = ["* before: the same numbers for the period before, as they stood at its end; the last column is the",
             "  change in compliance, in points of percent."]
    return _aligned(title, (*_TABLE, ("change", "<")), lines, notes)


def _aligned(title: str, columns, body: list[list[str]], notes: list[str]) -> str:
    cells = [[header for header, _ in columns], *body]
    widths = [max(len(line[column]) for line in cells) for column in range(len(columns))]
    lines = [title, ""]
    for line in cells:
        padded = (f"{cell:{align}{width}}" for cell, (_, align), width in zip(line, columns, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
    return "\n".join([*lines, "", *FOOTNOTES, *notes]) + "\n"


def _cells(row: Row) -> list[str]:
    compliance = "—" if row.compliance is None else f"{row.compliance:.0f}%"
    area = "total" if row.total else (row.area or "(no area)")
    return [area, "" if row.total else str(row.kind), str(row.opened), format_span(row.ack_p50),
            format_span(row.ack_p90), format_span(row.resolve_p50), format_span(row.resolve_p90),
            str(row.ack_breaches), str(row.resolve_breaches), compliance]


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds())

