"""A report beside the period before: rows paired by area and kind, compliance moves as arrows."""

from datetime import timedelta

from bot.reporting.comparison import Pair, compliance_change, empty_row, paired
from bot.reporting.metrics import Row


def row(area, kind, opened, compliant, total=False) -> Row:
    return Row(area=area, kind=kind, opened=opened, acknowledged=opened, resolved=0, ack_p50=timedelta(hours=1),
               ack_p90=timedelta(hours=1), resolve_p50=None, resolve_p90=None, ack_breaches=opened - compliant,
               resolve_breaches=0, compliant=compliant, total=total)


def test_rows_of_either_period_are_paired_in_the_reports_order():
    now = [row("nn", "question", 2, 1), row(None, None, 2, 1, total=True)]
    before = [row("cuda", "question", 1, 1), row("nn", "question", 1, 1), row(None, "question", 1, 0),
              row(None, None, 3, 2, total=True)]
    pairs = paired(now, before)
    assert [(pair.current.area, pair.current.kind, pair.current.opened, pair.previous.opened) for pair in pairs] == [
        ("cuda", "question", 0, 1), ("nn", "question", 2, 1), (None, "question", 0, 1), (None, None, 2, 3)]
    assert pairs[-1].current.total and pairs[-1].previous.total


def test_compliance_change_is_an_arrow_and_points():
    assert compliance_change(Pair(row("nn", "question", 2, 1), row("nn", "question", 4, 4))) == "↓ 50 pts"
    assert compliance_change(Pair(row("nn", "question", 4, 3), row("nn", "question", 2, 1))) == "↑ 25 pts"
    assert compliance_change(Pair(row("nn", "question", 2, 2), row("nn", "question", 1, 1))) == "→"
    assert compliance_change(Pair(row("nn", "question", 2, 2), empty_row("nn", "question"))) == "—"
