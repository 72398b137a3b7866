"""The html page from hand-made rows: user text escaped in the table and the charts, and a page with
nothing in it still whole."""

from datetime import timedelta

from bot.reporting.charts import counts_axis, weeks
from bot.reporting.html_report import Inputs, render_page
from bot.reporting.metrics import report
from bot.reporting.periods import Period
from tests.reporting.test_metrics import NOW, T, ev, ticket

AREA = "<b onmouseover=alert(1)>nn</b>"


def test_an_area_named_like_markup_is_escaped_everywhere():
    tickets = [ticket(1, area=AREA), ticket(2, area=AREA, created=T + timedelta(hours=1))]
    events = {1: [ev("acknowledged", timedelta(hours=1))], 2: [ev("acknowledged", timedelta(hours=3))]}
    span = Period(T - timedelta(days=1), NOW)
    page = render_page(Inputs(title="Tickets & <co>", span=span, rows=report(tickets, events, since=span.since,
                                                                             now=span.until),
                              tickets=tickets, events=events))
    assert "<b onmouseover" not in page
    assert page.count("&lt;b onmouseover=alert(1)&gt;nn&lt;/b&gt;") >= 3  # the table, two charts' legends
    assert "Tickets &amp; &lt;co&gt;" in page and "<script" not in page


def test_a_page_with_nothing_in_it_is_whole():
    page = render_page(Inputs(title="Nothing", span=Period(T, NOW), rows=[], tickets=[], events={}))
    assert page.count("<svg") == 4 and page.rstrip().endswith("</html>")
    assert "No ticket was opened in the period." in page


def test_weeks_count_back_from_the_end_and_the_first_may_be_short():
    found = weeks(Period(T, T + timedelta(days=10)))
    assert [(week.since, week.until) for week in found] == [
        (T, T + timedelta(days=3)), (T + timedelta(days=3), T + timedelta(days=10))]


def test_a_counts_axis_has_whole_steps():
    assert counts_axis(0) == [0, 1] and counts_axis(3) == [0, 1, 2, 3] and counts_axis(20) == [0, 3, 6, 9, 12, 15,
                                                                                                18, 21]


def test_drawing_charts_leaves_every_import_finder_with_find_spec():
    """pygal's map-plugin finder knows only `find_module`; left in `sys.meta_path` it breaks importers that
    ask every finder for a spec (pytest collecting the next test package failed on it)."""
    import sys

    import bot.reporting.charts  # noqa: F401

    assert all(hasattr(finder, "find_spec") for finder in sys.meta_path)
