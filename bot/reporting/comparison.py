"""A report beside the one before it: `upline report --compare previous`, and the html report's table.

Each row of the period is paired with the same (area, kind) row of the period of the same length just
before it; a row found in one period only is paired with an empty row (nothing opened), so a quiet area
still shows what it had before. Compliance moves are written as an arrow and points of percent:
`↑ 25 pts`, `↓ 50 pts`, `→` for no change, and `—` when either period opened nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.reporting import NO_DATA
from bot.reporting.metrics import Row


@dataclass(frozen=True)
class Pair:
    current: Row
    previous: Row


def empty_row(area: str | None, kind: str | None, total: bool = False) -> Row:
    return Row(area=area, kind=kind, opened=0, acknowledged=0, resolved=0, ack_p50=None, ack_p90=None,
               resolve_p50=None, resolve_p90=None, ack_breaches=0, resolve_breaches=0, compliant=0, total=total)


def paired(current: Sequence[Row], previous: Sequence[Row]) -> list[Pair]:
    """Every (area, kind) of either period in the report's order (no area last, the total at the end)."""
    now = {_key(row): row for row in current}
    before = {_key(row): row for row in previous}
    keys = sorted({*now, *before}, key=lambda key: (key[0], key[1] is None, key[1] or "", key[2] or ""))
    return [Pair(now.get(key) or empty_row(key[1], key[2], key[0]),
                 before.get(key) or empty_row(key[1], key[2], key[0]))
            for key in keys]


def compliance_change(pair: Pair) -> str:
    """`↑ 25 pts`, `↓ 50 pts`, `→`, or `—` when either period has no compliance to compare."""
    now, before = pair.current.compliance, pair.previous.compliance
    if now is None or before is None:
        return NO_DATA
    points = round(now - before)
    if points == 0:
        return "→"
    return f"{'↑' if points > 0 else '↓'} {abs(points)} pts"


def _key(row: Row) -> tuple[bool, str | None, str | None]:
    return (row.total, row.area, row.kind)
