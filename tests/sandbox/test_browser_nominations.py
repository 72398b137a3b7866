"""A nomination in the sandbox, in a real browser (see tests/sandbox/test_browser.py for the browser it
needs): from `/nominate` through the review, the maintainers' answers and the core's vote to the
published confirmation, and the Governance panel's diff of app.yaml — what the README walks through.
With UPLINE_SCREENSHOTS=docs the pictures are also written to docs/sandbox-nomination.png and
docs/sandbox-governance.png."""

from __future__ import annotations

from tests.sandbox.test_browser import (  # noqa: F401  (fixtures)
    REPO,
    act_as,
    browser_page,
    expect,
    pytestmark,
    sandbox,
    screenshot,
)
from tests.sandbox.test_browser_decisions import write_in_modal

REASON = "Reviews most nn PRs, and keeps the optimizers working with nn.Module"


def test_a_nomination_from_nominate_to_its_published_confirmation(sandbox, browser_page, tmp_path):  # noqa: F811
    app_yaml = (REPO / "app.yaml").read_text()
    page = browser_page
    page.goto(sandbox.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")

    # Joel nominates Jane in #nn, picking her from the composer's list of people.
    act_as(page, "U0JOEL")
    page.click("[data-nav=C0NN]")
    box = page.locator("#composer textarea")
    box.fill("/nominate @jane")
    suggestion = page.locator("#composer .suggestions li", has_text="@janeyx99")
    expect(suggestion).to_be_visible()
    box.press("Tab")
    box.press_sequentially(f"nn {REASON}")
    box.press("Enter")
    answer = page.locator(".message.ephemeral", has_text="#1: you nominated")
    expect(answer).to_contain_text("@Jane Xu for the nn maintainers")  # the mention named her
    expect(answer).to_contain_text("every week")

    # A week on, the review puts the nomination on the core's slate in #core.
    page.get_by_role("button", name="+1w").click()
    expect(page.locator("#clock-offset")).to_have_text("+7d ahead")
    act_as(page, "U0EZYANG")
    page.click("[data-nav=C0CORE]")
    expect(page.locator(".message", has_text="Nominations review")).to_be_visible()
    slate = page.locator(".message", has_text="Nomination #1 · nn").first
    expect(slate).to_contain_text(REASON)
    for label in ("Ask the maintainers", "Desk-reject", "Call the vote"):
        expect(slate.get_by_role("button", name=label, exact=True)).to_be_visible()
    slate.get_by_role("button", name="Ask the maintainers", exact=True).click()
    expect(page.locator(".message.ephemeral", has_text="You asked the nn maintainers about #1")).to_be_visible()
    expect(slate).to_contain_text("0 of 3 answered")

    # Mikayla, an nn maintainer, answers the form in her DM: depth, breadth, and support as radio buttons.
    act_as(page, "U0MIKAYLA")
    page.locator("#dms .nav-item").click()
    asked = page.locator(".message", has_text="what do you know of Jane Xu").last
    asked.get_by_role("button", name="Answer", exact=True).click()
    modal = page.locator("form.modal")
    expect(modal).to_contain_text("Answer on #1")
    modal.get_by_label("Depth of their contributions").fill("She wrote most of the nn.Module hooks and reviews them.")
    modal.get_by_label("Breadth of their contributions").fill("nn and optim, and the docs of both.")
    modal.get_by_role("button", name="Send", exact=True).click()
    expect(modal.locator(".b-error[data-error-for=support]")).to_have_text("Please complete this required field.")
    modal.get_by_role("radio", name="Yes").check()
    modal.get_by_role("button", name="Send", exact=True).click()
    expect(modal).to_have_count(0)
    expect(page.locator(".message", has_text="Your answer on #1 is in")).to_contain_text("you support it")

    # The core calls the vote, and four of six vote For: nothing left can change it, so it closes.
    act_as(page, "U0EZYANG")
    page.click("[data-nav=C0CORE]")
    expect(slate).to_contain_text("Mikayla Gawarecki (supports)")
    slate.scroll_into_view_if_needed()
    screenshot(page, tmp_path, "sandbox-slate.png")  # the slate as the core sees it, the answer in
    slate.get_by_role("button", name="Call the vote", exact=True).click()
    vote = page.locator(".message", has_text="Vote #2").first
    expect(vote).to_contain_text("add Jane Xu to the nn maintainers")
    for person in ("U0EZYANG", "U0GCHANAN", "U0MALFET", "U0NGIMEL"):
        act_as(page, person)
        vote.get_by_role("button", name="For", exact=True).click()
        expect(page.locator(".message.ephemeral", has_text="You voted For on #2").last).to_be_visible()
    expect(vote).to_contain_text("Passed")

    # The rationale is written, and the confirmation is published in #decisions.
    vote.get_by_role("button", name="Write the rationale", exact=True).click()
    write_in_modal(page, "Jane's reviews already carry nn, and the nn maintainer who answered supports her.", "Publish")
    page.click("[data-nav=C0DECISIONS]")
    confirmed = page.locator(".message", has_text="Nomination #1 · nn · Confirmed")
    expect(confirmed).to_contain_text("Jane Xu")
    expect(confirmed).to_contain_text("upline governance apply")
    expect(page.locator(".message", has_text="Decision #2").first).to_contain_text("Jane's reviews already carry nn")
    screenshot(page, tmp_path, "sandbox-nomination.png")

    # The Governance panel shows what `upline governance apply --dry-run` would write, and writes nothing.
    page.click("[data-nav=governance]")
    diff = page.locator("pre.diff")
    expect(diff.locator(".diff-add")).to_contain_text("maintainers: [mikaylagawarecki, albanD, jbschlosser, janeyx99]")
    expect(diff.locator(".diff-del")).to_contain_text("maintainers: [mikaylagawarecki, albanD, jbschlosser]")
    expect(page.locator(".gov-done")).to_contain_text("added janeyx99 to nn's maintainers")
    screenshot(page, tmp_path, "sandbox-governance.png")
    assert (REPO / "app.yaml").read_text() == app_yaml
