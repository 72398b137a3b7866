"""The ping's hand-over picker in a real browser: it lists the workspace's people, and picking one hands
the ticket over (see tests/sandbox/test_browser.py for the browser it needs)."""

from __future__ import annotations

from tests.sandbox.test_browser import (  # noqa: F401  (fixtures)
    act_as,
    browser_page,
    expect,
    pytestmark,
    sandbox,
    type_in_composer,
)


def test_the_pings_picker_lists_the_people_and_hands_the_ticket_over(sandbox, browser_page):  # noqa: F811
    page = browser_page
    page.goto(sandbox.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    type_in_composer(page, "/ask nn How do I register a forward hook on every submodule of a ModuleList?")
    expect(page.locator(".message.ephemeral")).to_contain_text("#1 opened in nn")

    page.click("[data-nav=C0NN]")
    act_as(page, "U0MIKAYLA")
    ping = page.locator(".message", has_text="#1 · question · nn")
    picker = ping.locator("select[data-action-id=ticket_handover]")
    expect(picker.locator("option").first).to_have_text("Hand over to…")
    expect(picker.locator("option[value=U0ALBAN]")).to_have_text("Alban Desmaison")
    expect(picker.locator("option[value=U0UPLINE]")).to_have_count(0)  # people, not the bot

    picker.select_option("U0ALBAN")
    expect(page.locator(".message.ephemeral", has_text="#1 handed to")).to_contain_text("@Alban Desmaison")
    expect(ping).to_contain_text("Handed to @Alban Desmaison")
