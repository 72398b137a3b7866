"""The area picker's list in a real browser: a question close to no area, its area picked from the list."""

from __future__ import annotations

from tests.sandbox.test_browser import (  # noqa: F401  (fixtures)
    browser_page,
    expect,
    pytestmark,
    sandbox,
    type_in_composer,
)


def test_an_area_picked_from_the_list_opens_the_question_there(sandbox, browser_page):  # noqa: F811
    page = browser_page
    page.goto(sandbox.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    type_in_composer(page, "/ask How do I bake sourdough bread at home?")
    note = page.locator(".message.ephemeral")
    expect(note).to_contain_text("no area comes close")
    note.locator("select[data-action-id=ask_pick_listed]").select_option("optim")
    expect(note).to_contain_text("#1 opened in optim")
    page.click("[data-nav=C0OPTIM]")
    expect(page.locator(".message", has_text="#1 · question · optim")).to_contain_text("sourdough")
