"""The html report in a real browser, offline: Debian's Chromium, driven by Playwright, opens the file
written by `upline report --format html -o`, with every network request refused, and each chart draws
(its SVG visible, with a nonzero size and marks inside). The screenshot goes to the test's tmp dir; with
UPLINE_SCREENSHOTS=docs it is also written to docs/report.png for the README."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.test_report_html import NOW, app_yaml, seeded  # noqa: F401  (fixtures)

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"no browser at {CHROMIUM}: `apt-get install chromium` to run this test")
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed: `pip install playwright`")

REPO = Path(__file__).resolve().parents[2]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def test_the_report_opens_offline_and_its_charts_draw(seeded, app_yaml, upline, tmp_path):  # noqa: F811
    target = tmp_path / "report.html"
    ran = upline("report", "--format", "html", "--since", "3w", "--compare", "previous", "-o", str(target),
                 "--config", app_yaml, "--database-url", seeded, now=NOW)
    assert ran.code == 0, ran.err
    fetched: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1000, "height": 900})
        context.route("**/*", lambda route: (fetched.append(route.request.url), route.continue_())
                      if route.request.url.startswith("file://") else (fetched.append(route.request.url),
                                                                      route.abort()))
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.goto(target.as_uri())
        charts = page.locator("figure > svg")
        assert charts.count() == 4
        for index in range(4):
            chart = charts.nth(index)
            sync_api.expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 200
            marks = chart.locator("rect.rect, path.line, path.box, rect.reactive, circle.dot, path.whisker")
            assert marks.count() > 0, f"chart {index} drew no marks"
        assert page.locator("table tr.total").count() == 1
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        if os.environ.get("UPLINE_SCREENSHOTS") == "docs":
            (REPO / "docs").mkdir(exist_ok=True)
            page.screenshot(path=str(REPO / "docs" / "report.png"), full_page=True)
        browser.close()
    assert fetched == [target.as_uri()], "the page asked for something beyond itself"
    assert problems == []
