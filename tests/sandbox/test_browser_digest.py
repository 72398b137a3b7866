"""Monday's digests and the Report page in the sandbox, in a real browser (see tests/sandbox/test_browser.py
for the browser it needs): questions asked in #nn, the clock buttons pressed past Monday 09:00 London
(the demo app.yaml's `digest:`), then the core's digest in #core, nn's in #nn, the core's triage agenda
on App Home and the charts of the Report page. With UPLINE_SCREENSHOTS=docs the pictures are also
written to docs/sandbox-digest.png, docs/sandbox-agenda.png and docs/sandbox-report.png."""

from __future__ import annotations

import math
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.sandbox.test_browser import (  # noqa: F401  (fixtures)
    act_as,
    browser_page,
    expect,
    pytestmark,
    sandbox,
    screenshot,
    sync_api,
    type_in_composer,
)

LONDON = ZoneInfo("Europe/London")
DAY = timedelta(days=1)


def next_monday_nine(now: datetime) -> datetime:
    """The digests' first moment: the first Monday 09:00 in London after the sandbox started."""
    local = now.astimezone(LONDON)
    day = local.date() + timedelta(days=(7 - local.weekday()) % 7)
    moment = datetime.combine(day, time(9), LONDON)
    return moment if moment > local else datetime.combine(day + timedelta(weeks=1), time(9), LONDON)


def press(page, label: str, times: int = 1) -> None:
    for _ in range(times):
        shown = page.locator("#clock-offset").inner_text()
        page.get_by_role("button", name=label).click()
        expect(page.locator("#clock-offset")).not_to_have_text(shown)


def scroll_to(message) -> None:
    """The message at the top of the list; a live redraw may replace its node meanwhile: then again."""
    for attempt in range(5):
        try:
            message.scroll_into_view_if_needed(timeout=2_000)
            return
        except sync_api.Error:
            if attempt == 4:
                raise


def test_the_clock_brings_mondays_digest_to_core_and_nn_and_the_report_draws_the_charts(
        sandbox, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    page.goto(sandbox.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")

    # The tests' sandbox starts on a Tuesday (tests/sandbox/test_page_api.py); a day at a time, to two
    # days or less before Monday 09:00 London.
    monday = next_monday_nine(sandbox.clock.now())
    press(page, "+1d", max(0, math.ceil((monday - sandbox.clock.now()) / DAY) - 2))
    assert monday - 2 * DAY < sandbox.clock.now() < monday - DAY

    # Two questions in #nn: Mikayla takes the first, nobody the second.
    page.click("[data-nav=C0NN]")
    type_in_composer(page, "/ask nn How do I register a forward hook on every submodule of a ModuleList?")
    expect(page.locator(".message.ephemeral", has_text="#1 opened in nn")).to_be_visible()
    type_in_composer(page, "/ask nn Should nn.Module.apply visit buffers too?")
    expect(page.locator(".message.ephemeral", has_text="#2 opened in nn")).to_be_visible()
    press(page, "+1h")
    act_as(page, "U0MIKAYLA")
    ping = page.locator(".message", has_text="#1 · question · nn")
    ping.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(ping).to_contain_text("Acknowledged by @Mikayla Gawarecki")

    # A day on, #2 has breached (8h to acknowledge in nn); a day more, and Monday 09:00 London has passed.
    press(page, "+1d")
    expect(page.locator("[data-nav=C0CORE]")).to_have_class("nav-item unread")
    press(page, "+1d")
    assert sandbox.clock.now() > monday
    act_as(page, "U0EZYANG")
    page.click("[data-nav=C0CORE]")
    core = page.locator(".message", has_text="the core's week").last
    week = f"{monday - timedelta(weeks=1):%-d %b} – {monday:%-d %b %Y}"
    expect(core.locator(".b-header")).to_have_text(f"PyTorch (demo) — the core's week, {week}")
    for heading in ("Breached this week", "Oldest open tickets", "Votes open", "Rationales missing",
                    "Nominations waiting for the next review", "Suggested for emeritus",
                    "SLA compliance, this week against last"):
        expect(core).to_contain_text(heading)
    expect(core).to_contain_text("#2 Should nn.Module.apply visit buffers too?")
    expect(core).to_contain_text(re.compile(r"nn\s*[↑↓→–—]"))  # the compliance line: an arrow, not a paragraph
    expect(core).not_to_contain_text(re.compile(r":[a-z0-9_+-]+:"))  # every emoji code drawn
    expect(core).not_to_contain_text("Late")  # the clock stopped at Monday 09:00 to send it (clock_steps.py)
    scroll_to(core)
    screenshot(page, tmp_path, "sandbox-digest.png")

    # nn's digest in #nn: its open questions, oldest first, with who holds them and the time left.
    act_as(page, "U0MIKAYLA")
    page.click("[data-nav=C0NN]")
    nn = page.locator(".message", has_text="the week,").last
    expect(nn.locator(".b-header")).to_have_text(f"NN APIs (torch.nn) — the week, {week}")
    expect(nn).to_contain_text("Open, oldest first")
    expect(nn).to_contain_text(re.compile(r"#1 How do I register a forward hook.* — held by Mikayla Gawarecki, "
                                          r"(\d+[dhm])+ left"))
    expect(nn).to_contain_text(re.compile(r"#2 Should nn.Module.apply visit buffers too\? — nobody has it yet"))
    expect(nn).to_contain_text("No decisions this week.")

    # App Home as a core maintainer opens on the triage agenda: #2 breached, with the ping's buttons.
    act_as(page, "U0EZYANG")
    page.click("[data-nav=home]")
    home = page.locator("#home")
    expect(home).to_contain_text("Breached")
    breached = home.locator(".b-section", has_text="#2").first
    expect(breached).to_be_visible()
    expect(home.get_by_role("button", name="Acknowledge", exact=True).first).to_be_visible()
    screenshot(page, tmp_path, "sandbox-agenda.png")

    # The Report page: the html report's table and its four charts, drawn with a size.
    page.click("[data-nav=report]")
    frame = page.frame_locator("iframe.report-frame")
    expect(frame.locator("h1")).to_have_text("PyTorch (demo) — SLA report")
    expect(frame.locator("p.period")).to_contain_text("(the last 30d); beside the period before")
    expect(frame.locator("table")).to_contain_text("nn")
    charts = frame.locator("figure svg")
    expect(charts).to_have_count(4)
    for index in range(4):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, f"chart {index} drawn with a size"
    page.set_viewport_size({"width": 1280, "height": 1250})  # the table and the first chart in one picture
    screenshot(page, tmp_path, "sandbox-report.png")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="7d", exact=True).click()
    expect(frame.locator("p.period")).to_contain_text("(the last 7d)")
    expect(page).to_have_url(re.compile(r"report=7d"))
