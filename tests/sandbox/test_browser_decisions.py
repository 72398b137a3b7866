"""Decisions in the sandbox, in a real browser (see tests/sandbox/test_browser.py for the browser it needs):
a module vote from `/vote` to its published outcome, and a tied vote through the core to the lead's
published decision — what the README walks a newcomer through — and then `upline decisions --format md`
on the sandbox's database, as a separate process, printing the log. With UPLINE_SCREENSHOTS=docs the
pictures are also written to docs/sandbox-vote.png and docs/sandbox-decision.png."""

from __future__ import annotations

import subprocess
import sys

from tests.sandbox.test_browser import (  # noqa: F401  (fixtures)
    REPO,
    act_as,
    browser_page,
    expect,
    pytestmark,
    sandbox,
    screenshot,
    type_in_composer,
)

PROPOSAL = "Deprecate nn.Container in favour of nn.Sequential <!channel>"
TIED = "Rename nn.Module.apply to nn.Module.visit"


def write_in_modal(page, text: str, submit: str) -> None:
    modal = page.locator("form.modal")
    expect(modal).to_be_visible()
    modal.locator("textarea").fill(text)
    modal.get_by_role("button", name=submit, exact=True).click()
    expect(modal).to_have_count(0)


def decision_log(tmp_path) -> subprocess.CompletedProcess:
    """`upline decisions --format md` on the sandbox's database (see tests/sandbox/test_page_api.py), as a
    newcomer would run it beside the sandbox."""
    ran = subprocess.run([sys.executable, "-m", "bot", "decisions", "--format", "md",
                          "--config", str(REPO / "app.yaml"), "--database-url", f"sqlite:///{tmp_path / 'sandbox.db'}"],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    return ran


def test_a_module_vote_to_its_published_outcome(sandbox, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    page.goto(sandbox.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")

    # A maintainer of nn calls the vote in #nn; only they see the answer.
    act_as(page, "U0MIKAYLA")
    page.click("[data-nav=C0NN]")
    type_in_composer(page, f"/vote nn {PROPOSAL}")
    expect(page.locator(".message.ephemeral")).to_contain_text("#1 is open for the nn maintainers")

    # The vote message names every voter, the rule and the tally; <!channel> stays text.
    vote = page.locator(".message", has_text="Vote #1").first
    for name in ("Mikayla Gawarecki", "Alban Desmaison", "Joel Schlosser"):
        expect(vote).to_contain_text(f"@{name}")
    expect(vote).to_contain_text("majority")
    expect(vote).to_contain_text("<!channel>")
    for label in ("For", "Against", "Abstain"):
        expect(vote.get_by_role("button", name=label, exact=True)).to_be_visible()

    # Two of three press For: nothing the third could do changes it, so it closes at once.
    vote.get_by_role("button", name="For", exact=True).click()
    expect(vote).to_contain_text("For 1")
    screenshot(page, tmp_path, "sandbox-vote.png")
    act_as(page, "U0ALBAN")
    vote.get_by_role("button", name="For", exact=True).click()
    expect(vote).to_contain_text("Passed")
    expect(vote.get_by_role("button", name="For", exact=True)).to_have_count(0)

    # The rationale is written in the modal, and the outcome is published in #decisions with it.
    vote.get_by_role("button", name="Write the rationale", exact=True).click()
    write_in_modal(page, "nn.Sequential does everything nn.Container did; two of three maintainers agree.",
                   "Publish")
    page.click("[data-nav=C0DECISIONS]")
    record = page.locator(".message", has_text="Decision #1").first
    expect(record).to_contain_text("nn.Sequential does everything nn.Container did")
    expect(record).to_contain_text("@Alban Desmaison")
    expect(record).to_contain_text("Passed")
    screenshot(page, tmp_path, "sandbox-decision.png")

    log = decision_log(tmp_path).stdout
    assert "## #1 " in log and "Deprecate nn.Container in favour of nn.Sequential" in log, log
    assert "nn.Sequential does everything nn.Container did" in log
    assert "Alban Desmaison" in log and "Mikayla Gawarecki" in log
    assert "<!channel>" not in log, "what was typed reads as typed, escaped"


def test_a_tied_vote_goes_through_the_core_to_the_lead(sandbox, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    page.goto(sandbox.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    act_as(page, "U0MIKAYLA")
    page.click("[data-nav=C0NN]")
    type_in_composer(page, f"/vote nn {TIED}")
    expect(page.locator(".message.ephemeral")).to_contain_text("#1 is open for the nn maintainers")
    vote = page.locator(".message", has_text="Vote #1").first

    # For, Against, Abstain: a tie, with everyone voted — no decision, so the core votes.
    for person, choice in (("U0MIKAYLA", "For"), ("U0ALBAN", "Against"), ("U0JOEL", "Abstain")):
        act_as(page, person)
        vote.get_by_role("button", name=choice, exact=True).click()
        if choice != "Abstain":
            expect(vote).to_contain_text(f"{choice} 1")
    page.click("[data-nav=C0CORE]")
    core_vote = page.locator(".message", has_text="Vote #1").first
    expect(core_vote).to_contain_text("core maintainers")
    expect(core_vote.get_by_role("button", name="Recuse", exact=True)).to_be_visible()

    # Nobody on the core votes within its five days: the quorum is missed, and the lead is asked by DM.
    page.get_by_role("button", name="+1w").click()
    expect(page.locator("#clock-offset")).to_have_text("+7d ahead")
    act_as(page, "U0SOUMITH")
    page.locator("#dms .nav-item").first.click()
    lead_dm = page.locator(".message", has_text="#1 is yours to decide").last
    expect(lead_dm.get_by_role("button", name="Approve", exact=True)).to_be_visible()
    lead_dm.get_by_role("button", name="Reject", exact=True).click()
    write_in_modal(page, "The churn outweighs the clearer name.", "Reject")
    expect(lead_dm.get_by_role("button", name="Approve", exact=True)).to_have_count(0)

    page.click("[data-nav=C0DECISIONS]")
    record = page.locator(".message", has_text="Decision #1").first
    expect(record).to_contain_text("Rejected")
    expect(record).to_contain_text("The churn outweighs the clearer name.")
    expect(record).to_contain_text("lead")

    ran = decision_log(tmp_path)
    assert "the sandbox's clock, 1w ahead" in ran.stderr, "the log ends where the page's clock stands"
    log = ran.stdout
    assert "## #1 " in log and TIED in log, log
    assert "The churn outweighs the clearer name." in log
    assert "Soumith Chintala" in log and "Joel Schlosser" in log
