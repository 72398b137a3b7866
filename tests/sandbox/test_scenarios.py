"""Whole stories through the sandbox, as a visitor plays them on the page: the real Upline with its
background loops running, the Slack stand-in, and real HTTP between them."""

from __future__ import annotations

import socket

import httpx
import pytest

from bot.cli import build_parser
from bot.cli import sandbox as sandbox_command
from tests.sandbox.test_page_api import (
    ASKER,
    CORE,
    GENERAL,
    MIKAYLA,
    NN,
    REPO,
    SOUMITH,
    PageClient,
    start_sandbox,
    text_of,
    wait_until,
)

DAY = 86400


@pytest.fixture
def page(tmp_path):
    sandbox = start_sandbox(tmp_path)
    try:
        with httpx.Client(timeout=15) as http:
            yield PageClient(sandbox, http)
    finally:
        sandbox.stop()
    assert sandbox.workspace.contract_violations == []


def test_ask_then_the_ping_then_a_maintainer_acknowledges_and_the_asker_is_told(page):
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    ping = page.ping(1)
    [buttons] = [block for block in ping["blocks"] if block.get("block_id") == "ticket_actions"]
    assert [e["text"]["text"] for e in buttons["elements"]] == [
        "Acknowledge", "Resolve", "Escalate", "Waiting on asker"]

    page.click(ping, "ticket_acknowledge", as_=MIKAYLA)

    page.ping(1, containing="*Acknowledged* by <@U0MIKAYLA>")
    told = wait_until(lambda: [m for m in page.dm(ASKER) if "acknowledged" in text_of(m).lower()],
                      what="the asker's DM about the acknowledgement")
    assert "<@U0MIKAYLA>" in text_of(told[0])
    assert page.ticket(1).acknowledged_by == "mikaylagawarecki"


def test_unanswered_the_question_climbs_to_core_after_a_day_then_to_the_lead(page):
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    page.ping(1)

    page.post("/sandbox/clock", {"seconds": DAY})
    [to_core] = wait_until(lambda: page.messages(CORE, as_=SOUMITH), what="the escalation in #core")
    assert "Escalated to the core maintainers" in text_of(to_core)
    assert page.ticket(1).level == "core"
    page.ping(1, containing="core maintainers")  # the original ping follows the ticket up

    page.post("/sandbox/clock", {"seconds": DAY})
    to_lead = wait_until(lambda: [m for m in page.dm(SOUMITH) if m["text"].startswith("Escalated to the")],
                         what="the escalation in the lead's DM")
    assert "lead" in to_lead[0]["text"] and "#1 · question · nn" in text_of(to_lead[0])
    assert page.ticket(1).level == "lead"


def test_the_ask_form_opens_a_ticket_that_is_pinged_in_its_area(page):
    page.send("/ask")
    view = page.modal()
    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    values = {
        "area": {"area": {"type": "static_select",
                          "selected_option": next(o for o in blocks["area"]["options"] if o["value"] == "nn")}},
        "kind": {"kind": {"type": "static_select", "selected_option": blocks["kind"]["initial_option"]}},
        "question": {"question": {"type": "plain_text_input", "value": "Is nn.Module.apply recursive?"}},
    }
    assert page.post("/sandbox/submit", {"as": ASKER, "view_id": view["id"], "values": values}) == {"ok": True}
    assert page.modal() is None
    ping = page.ping(1)
    assert "Is nn.Module.apply recursive?" in text_of(ping)


def test_app_home_lists_what_waits_on_a_maintainer_and_the_away_switch_redraws_it(page):
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    page.ping(1)
    page.post("/sandbox/home/open", {"as": MIKAYLA, "tab": "home"})
    home = page.get("/sandbox/home", MIKAYLA)["view"]
    assert "Waiting on you" in str(home["blocks"])
    assert "*#1* How do I register a forward hook on a ModuleList?" in str(home["blocks"])

    away_until = page.sandbox.clock.now().date().isoformat()
    picker = next(i for i, b in enumerate(home["blocks"]) if "home_away_until" in str(b.get("elements", "")))
    answer = page.post("/sandbox/action", {"as": MIKAYLA, "view_id": home["id"], "block_index": picker,
                                           "action_id": "home_away_until", "selected_date": away_until})
    assert answer["ok"]
    redrawn = page.get("/sandbox/home", MIKAYLA)["view"]
    assert "You are away until" in str(redrawn["blocks"]) and redrawn["hash"] != home["hash"]
    assert "mikaylagawarecki" in page.sandbox.upline.tickets.away_now(page.sandbox.clock.now())


def test_a_question_asked_by_mention_is_confirmed_in_its_thread(page):
    page.send("@Upline ask nn Does register_forward_hook fire under torch.no_grad()?", channel=GENERAL)
    [mention] = page.messages(GENERAL)
    thread = page.get(f"/sandbox/thread/{GENERAL}/{mention['ts']}")["messages"]
    assert [m["user"] for m in thread] == [ASKER, "U0UPLINE"]
    assert thread[1]["text"].startswith("*#1* opened in *nn*")
    assert page.ping(1, channel=NN)


def test_upline_sandbox_is_one_command_that_serves_until_stopped(tmp_path, capsys):
    database = tmp_path / "upline-sandbox.db"
    database.write_bytes(b"left over from an older run")
    with socket.socket() as probe:  # a free port, as a visitor would pick one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = build_parser().parse_args(["sandbox", "--fresh", "--port", str(port), "--config", str(REPO / "app.yaml"),
                                      "--database-url", f"sqlite:///{database}"])
    seen = {}

    def visit() -> None:  # instead of waiting for Ctrl+C
        seen["page"] = httpx.get(f"http://127.0.0.1:{port}/").text
        seen["state"] = httpx.get(f"http://127.0.0.1:{port}/sandbox/state").json()

    assert sandbox_command.run(args, wait=visit) == 0
    assert "<title>Upline sandbox</title>" in seen["page"]
    assert seen["state"]["project"] == "PyTorch (demo)"
    out = capsys.readouterr().out
    assert f"open http://127.0.0.1:{port} in your browser" in out and "(emptied by --fresh)" in out
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_upline_sandbox_says_so_when_its_port_is_taken(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = build_parser().parse_args(["sandbox", "--port", str(port), "--config", str(REPO / "app.yaml"),
                                          "--database-url", f"sqlite:///{tmp_path / 'x.db'}"])
        assert sandbox_command.run(args, wait=lambda: None) == 1
    assert f"error: cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
