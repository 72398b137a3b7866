"""The sandbox in a real browser: Debian's Chromium, driven by Playwright, against `upline sandbox` as
it runs (fresh SQLite, a free port). Screenshots go to the test's tmp dir; with UPLINE_SCREENSHOTS=docs
they are also written to docs/sandbox.png and docs/sandbox-escalation.png for the README."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.sandbox.test_page_api import start_sandbox

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"no browser at {CHROMIUM}: `apt-get install chromium` to run this test")
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed: `pip install playwright`")
expect = sync_api.expect

REPO = Path(__file__).resolve().parents[2]
# Chromium's own background traffic (updates, sync, QUIC probes) has nowhere to go in CI and only slows it.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def sandbox(tmp_path):
    running = start_sandbox(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def browser_page(sandbox):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    assert problems == [], "errors in the page's scripts"


def screenshot(page, tmp_path: Path, name: str) -> None:
    page.mouse.move(1270, 120)  # away from the messages: no hover toolbar in the picture
    # "disabled" runs the "changed" highlight to its end: the picture shows the message as it settles.
    page.screenshot(path=str(tmp_path / name), animations="disabled")
    if os.environ.get("UPLINE_SCREENSHOTS") == "docs":
        (REPO / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "docs" / name), animations="disabled")


def type_in_composer(page, text: str) -> None:
    box = page.locator("#composer textarea")
    box.fill(text)
    box.press("Escape")  # close the command suggestions, so Enter sends instead of picking one
    box.press("Enter")


def act_as(page, person: str) -> None:
    page.select_option("#person", person)
    expect(page.locator("#me")).to_contain_text(person_name(page, person))


def person_name(page, person: str) -> str:
    return page.locator(f"#person option[value='{person}']").inner_text().split(" · ")[0]


def test_ask_acknowledge_then_escalate_a_day_later_in_the_browser(sandbox, browser_page, tmp_path):
    started = time.perf_counter()
    page = browser_page
    page.goto(sandbox.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#me")).to_contain_text("Alex Asker")

    # The asker asks in #general; only they see the answer.
    type_in_composer(page, "/ask nn How do I register a forward hook on every submodule of a ModuleList?")
    expect(page.locator(".message.ephemeral")).to_contain_text("#1 opened in nn")
    expect(page.locator(".message.ephemeral")).to_contain_text("Only visible to you")

    # The ping lands in #nn with its buttons.
    page.click("[data-nav=C0NN]")
    ping = page.locator(".message", has_text="#1 · question · nn")
    for label in ("Acknowledge", "Resolve", "Escalate", "Waiting on asker"):
        expect(ping.get_by_role("button", name=label, exact=True)).to_be_visible()

    # A maintainer of nn takes it; the ping changes in place (chat.update, pushed to the page).
    act_as(page, "U0MIKAYLA")
    ping.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(ping).to_contain_text("Acknowledged by @Mikayla Gawarecki")
    expect(ping).to_contain_text("(edited)")
    screenshot(page, tmp_path, "sandbox.png")

    # Asked again and left unanswered: a day later it has climbed to the core maintainers.
    act_as(page, "U0ASKER")
    page.click("[data-nav=C0GENERAL]")
    type_in_composer(page, "/ask nn Should nn.Module.apply visit buffers too?")
    expect(page.locator(".message.ephemeral", has_text="#2 opened in nn")).to_be_visible()
    page.get_by_role("button", name="+1d").click()
    expect(page.locator("#clock-offset")).to_have_text("+1d ahead")
    expect(page.locator("[data-nav=C0CORE]")).to_have_class("nav-item unread")
    act_as(page, "U0EZYANG")  # a core maintainer reads #core
    page.click("[data-nav=C0CORE]")
    escalation = page.locator(".message", has_text="#2 · question · nn")
    expect(escalation).to_contain_text("Escalated to the core maintainers")
    # The post names whom it is for, in what the channel shows: the core maintainers, as mentions.
    for name in ("Edward Yang", "Greg Chanan", "Nikita Shulga", "Natalia Gimelshein"):
        expect(escalation).to_contain_text(f"@{name}")
    expect(escalation).to_contain_text("waiting for the core maintainers to acknowledge")
    expect(escalation.get_by_role("button", name="Acknowledge", exact=True)).to_be_visible()
    screenshot(page, tmp_path, "sandbox-escalation.png")

    # Another day on, #2 went on to the lead: the #core post says so, instead of still waiting for the core.
    page.get_by_role("button", name="+1d").click()
    expect(page.locator("#clock-offset")).to_have_text("+2d ahead")
    expect(escalation).to_contain_text("waiting for the lead to acknowledge")

    # The lead acknowledges in their DM: the DM, the #core post and the #nn ping all change.
    act_as(page, "U0SOUMITH")
    page.locator("#dms .nav-item").click()
    lead_dm = page.locator(".message", has_text="#2 · question · nn").last
    lead_dm.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(lead_dm).to_contain_text("Acknowledged by @Soumith Chintala")
    expect(lead_dm.get_by_role("button", name="Acknowledge", exact=True)).to_have_count(0)
    for channel in ("C0CORE", "C0NN"):
        page.click(f"[data-nav={channel}]")
        copy = page.locator(".message", has_text="#2 · question · nn").first
        expect(copy).to_contain_text("Acknowledged by @Soumith Chintala")
        expect(copy.get_by_role("button", name="Acknowledge", exact=True)).to_have_count(0)

    print(f"\nbrowser scenario took {time.perf_counter() - started:.1f} s (screenshots in {tmp_path})")
