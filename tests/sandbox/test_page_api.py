"""The sandbox page's backend over real HTTP, with the real Upline behind it: what the page reads, and
what reaches Upline when a person types, clicks, submits a form, opens Home or moves the clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.clock import FakeClock, OffsetClock
from bot.config import load_config_file
from bot.sandbox.openapi import OpenApiCatalog
from bot.sandbox.page_api.notes import ResponseTarget
from bot.sandbox.run import Sandbox

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "data" / "slack" / "slack_web_openapi_v2_without_examples.json"
ASKER, NEWCOMER, MIKAYLA, SOUMITH = "U0ASKER", "U0NEWCOMER", "U0MIKAYLA", "U0SOUMITH"
GENERAL, NN, CORE = "C0GENERAL", "C0NN", "C0CORE"


def wait_until(check: Callable[[], Any], timeout: float = 10.0, what: str = "the sandbox to catch up") -> Any:
    """Poll until `check()` is truthy: the outbox and the sweeper run in Upline's background threads."""
    deadline = time.monotonic() + timeout
    while True:
        if result := check():
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class PageClient:
    """What the page does, as plain calls: each goes over HTTP to /sandbox/… like the page's fetches."""

    def __init__(self, sandbox: Sandbox, http: httpx.Client):
        self.sandbox, self.http = sandbox, http

    def get(self, path: str, as_: str | None = ASKER, **params) -> Any:
        response = self.http.get(f"{self.sandbox.url}{path}", params={"as": as_, **params} if as_ else params)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path: str, body: dict, *, expect: int = 200) -> Any:
        response = self.http.post(f"{self.sandbox.url}{path}", json=body)
        assert response.status_code == expect, response.text
        return response.json()

    def send(self, text: str, *, as_: str = ASKER, channel: str = GENERAL, thread_ts: str | None = None) -> Any:
        return self.post("/sandbox/send", {"as": as_, "channel": channel, "text": text, "thread_ts": thread_ts})

    def messages(self, channel: str, *, as_: str = ASKER) -> list[dict]:
        return self.get(f"/sandbox/conversation/{channel}", as_)["messages"]

    def dm(self, as_: str) -> list[dict]:
        return self.messages(self.get("/sandbox/state", as_)["dm"]["id"], as_=as_)

    def ping(self, number: int = 1, channel: str = NN, *, as_: str = MIKAYLA, containing: str = "") -> dict:
        """The ticket's message in `channel`, once the outbox delivered it (and it shows `containing`)."""
        def found():
            return next((m for m in self.messages(channel, as_=as_)
                         if f"#{number} ·" in str(m.get("blocks")) and containing in str(m.get("blocks"))), None)
        return wait_until(found, what=f"#{number} in {channel} showing {containing!r}")

    def click(self, message: dict, action_id: str, *, as_: str, channel: str = NN, **choice) -> dict:
        index = block_with(message["blocks"], action_id)
        where = {"note": message["key"]} if message.get("ephemeral") else {"channel": channel, "ts": message["ts"]}
        return self.post("/sandbox/action",
                         {"as": as_, **where, "block_index": index, "action_id": action_id, **choice})

    def modal(self, as_: str = ASKER) -> dict | None:
        return self.get("/sandbox/modal", as_)["view"]

    def ticket(self, number: int):
        with self.sandbox.upline.unit_of_work(read_only=True) as uow:
            return uow.tickets.get(number)


def block_with(blocks: list[dict], action_id: str) -> int:
    for index, block in enumerate(blocks):
        elements = block.get("elements", []) + [block.get("accessory") or {}, block.get("element") or {}]
        if any(element.get("action_id") == action_id for element in elements):
            return index
    raise AssertionError(f"no {action_id} in {blocks}")


def text_of(message: dict) -> str:
    return message.get("text", "") + str(message.get("blocks") or "")


class OnATuesday:
    """Real time, moved on to the coming Tuesday noon in London: the demo app.yaml sends its digests on
    Mondays at 09:00, so a test's +1d or +2d never meets one, whatever day the tests run on, and +1w
    meets exactly one."""

    def __init__(self) -> None:
        now = datetime.now(UTC)
        london = now.astimezone(ZoneInfo("Europe/London"))
        tuesday = datetime.combine(london.date() + timedelta(days=(1 - london.weekday()) % 7), clock_time(12),
                                   london.tzinfo)
        self.shift = tuesday - now if tuesday > now else tuesday + timedelta(weeks=1) - now

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift


def start_sandbox(tmp_path: Path, clock: OffsetClock | None = None) -> Sandbox:
    config = load_config_file(REPO / "app.yaml").config
    clock = clock or OffsetClock(real=OnATuesday())
    return Sandbox(config, f"sqlite:///{tmp_path / 'sandbox.db'}", port=0, clock=clock, config_path=REPO / "app.yaml",
                   openapi=OpenApiCatalog.load(SPEC) if SPEC.exists() else None).start()


@pytest.fixture
def sandbox(tmp_path):
    running = start_sandbox(tmp_path)
    yield running
    running.stop()
    assert running.workspace.contract_violations == [], "calls that Slack's OpenAPI description rejects"


@pytest.fixture
def page(sandbox):
    with httpx.Client(timeout=15) as http:
        yield PageClient(sandbox, http)


# -- what the page reads ---------------------------------------------------------------------------------


def test_state_lists_the_channels_the_people_to_act_as_the_commands_and_the_clock(page):
    state = page.get("/sandbox/state", ASKER)
    assert [c["name"] for c in state["channels"]] == ["general", "autograd", "build-ci", "core", "decisions",
                                                      "distributed", "nn", "optim"]
    assert state["channels"][6]["purpose"].startswith("Questions for NN APIs (torch.nn)")
    assert state["channels"][4]["id"] == "C0DECISIONS"
    assert state["channels"][4]["purpose"].startswith("Decisions, published with their reasoning")
    assert state["dm"]["id"].startswith("D") and state["dm"]["latest"] is None
    people = {p["id"]: p for p in state["people"]}
    assert people[SOUMITH]["real_name"] == "Soumith Chintala"
    assert people[SOUMITH]["roles"] == ["lead", "core"]
    assert people[MIKAYLA]["roles"] == ["nn maintainer"]
    assert people[ASKER]["roles"] == people[NEWCOMER]["roles"] == ["asker"]
    assert [c["command"] for c in state["commands"]] == ["/ask", "/escalate", "/ack", "/resolve", "/status", "/who",
                                                          "/reopen", "/handover", "/vote", "/dispute", "/veto",
                                                          "/decisions", "/nominate", "/elect"]
    assert state["commands"][0]["usage"] == "[area] <question>"
    assert state["clock"]["offset_seconds"] == 0


def test_without_a_person_the_page_acts_as_the_first_asker_and_refuses_strangers(page, sandbox):
    assert page.get("/sandbox/state", None)["me"] == ASKER
    assert page.http.get(f"{sandbox.url}/sandbox/state", params={"as": "U0NOBODY"}).status_code == 404
    assert page.http.get(f"{sandbox.url}/sandbox/state", params={"as": "U0UPLINE"}).status_code == 400


def test_someone_elses_dm_is_not_readable(page):
    mikayla_dm = page.get("/sandbox/state", MIKAYLA)["dm"]["id"]
    response = page.http.get(f"{page.sandbox.url}/sandbox/conversation/{mikayla_dm}", params={"as": ASKER})
    assert response.status_code == 404


def test_the_page_and_its_scripts_are_served(page, sandbox):
    html = page.http.get(sandbox.url + "/").text
    assert '<script type="module" src="/page/app.js">' in html
    for name in ("app.js", "blocks.js", "mrkdwn.js", "style.css"):
        assert page.http.get(f"{sandbox.url}/page/{name}").status_code == 200


# -- the composer ------------------------------------------------------------------------------------------


def test_a_slash_command_is_answered_only_to_the_person_and_pings_the_area(page):
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    [answer] = page.messages(GENERAL)
    assert answer["ephemeral"] and answer["command"] == "/ask nn How do I register a forward hook on a ModuleList?"
    assert answer["text"].startswith("*#1* opened in *nn* (question).")
    assert page.messages(GENERAL, as_=MIKAYLA) == [], "nobody else sees a command's answer"
    ping = page.ping(1)
    assert ping["blocks"][0]["text"]["text"] == "#1 · question · nn"
    assert page.ticket(1).asker == ASKER


def test_an_unknown_command_gets_slackbots_answer_and_never_reaches_upline(page, sandbox):
    page.send("/nope something")
    [answer] = page.messages(GENERAL)
    assert answer["author"] == "slackbot" and "`/nope` is not a valid command" in answer["text"]
    assert page.ticket(1) is None


def test_a_mention_is_posted_as_the_person_then_sent_to_upline_as_app_mention(page, sandbox):
    page.send("@Upline ask autograd Why is my gradient None after backward()?")
    [message] = page.messages(GENERAL)
    assert message["user"] == ASKER
    assert message["text"] == "<@U0UPLINE> ask autograd Why is my gradient None after backward()?"
    assert message["reply_count"] == 1, "Upline confirms in the thread"
    thread = page.get(f"/sandbox/thread/{GENERAL}/{message['ts']}")["messages"]
    assert thread[1]["user"] == "U0UPLINE" and thread[1]["text"].startswith("*#1* opened in *autograd*")
    assert page.ticket(1).area == "autograd"


def test_typed_text_is_escaped_and_names_become_mentions_as_a_slack_client_sends_them(page):
    page.send("cc @mikaylagawarecki. <!channel> & more")
    [message] = page.messages(GENERAL)
    assert message["text"] == "cc <@U0MIKAYLA>. &lt;!channel&gt; &amp; more"


def test_a_reply_in_a_linked_thread_reaches_upline_as_a_message_event(page):
    page.send("@Upline ask nn How do hooks and torch.compile interact?")
    root = page.messages(GENERAL)[0]
    ping = page.ping(1)
    page.click(ping, "ticket_wait", as_=MIKAYLA)
    wait_until(lambda: page.ticket(1).state.value == "waiting", what="waiting on the asker")
    page.send("Here is a smaller repro.", thread_ts=root["ts"])
    wait_until(lambda: page.ticket(1).state.value != "waiting", what="the reply to end the wait")


def test_plain_text_in_the_bots_dm_is_refused_as_slack_refuses_it_in_a_read_only_messages_tab(page):
    dm = page.get("/sandbox/state")["dm"]["id"]
    page.send("hello?", channel=dm)
    [note] = page.messages(dm)
    assert note["author"] == "slackbot" and note["text"] == "Sending messages to this app has been turned off."


# -- buttons, selects, date pickers --------------------------------------------------------------------------


def test_pressing_acknowledge_updates_the_ping_in_place(page):
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    answer = page.click(page.ping(1), "ticket_acknowledge", as_=MIKAYLA)
    assert answer == {"ok": True, "status": 200}
    ping = page.ping(1, containing="Acknowledged")
    assert "*Acknowledged* by <@U0MIKAYLA>" in str(ping["blocks"]) and ping["edited"]
    assert len(page.messages(NN, as_=MIKAYLA)) == 1, "updated, not posted again"


def test_a_refused_click_is_answered_to_the_clicker_alone(page):
    page.send("/ask nn How?")
    page.click(page.ping(1), "ticket_acknowledge", as_=ASKER)
    [note] = [m for m in page.messages(NN, as_=ASKER) if m.get("ephemeral")]
    assert "can acknowledge #1" in note["text"]
    assert not any(m.get("ephemeral") for m in page.messages(NN, as_=MIKAYLA))
    assert page.ticket(1).state.value == "open"


def test_the_area_pickers_button_replaces_its_ephemeral_note_through_the_response_url(page):
    page.send("/ask optimm adam is slow on CPU")  # a typo: no area matches, the closest are offered
    [picker] = page.messages(GENERAL)
    assert picker["blocks"], "Upline could not tell the area and offers a choice"
    action_id = next(e["action_id"] for b in picker["blocks"] for e in b.get("elements", [])
                     if e["action_id"].startswith("ask_pick_area:"))
    page.click(picker, action_id, as_=ASKER)
    [replaced] = page.messages(GENERAL)
    assert replaced["key"] == picker["key"] and replaced["blocks"] is None
    assert replaced["text"].startswith("*#1* opened in")


def test_an_area_picked_in_the_pickers_list_opens_the_ticket_there(page):
    page.send("/ask How do I bake sourdough bread at home?")  # close to no area: the list of every area
    [picker] = page.messages(GENERAL)
    assert "no area comes close" in picker["text"]
    index = block_with(picker["blocks"], "ask_pick_listed")
    [select] = [e for e in picker["blocks"][index]["elements"] if e["action_id"] == "ask_pick_listed"]
    assert "optim" in [option["value"] for option in select["options"]]
    assert page.click(picker, "ask_pick_listed", as_=ASKER, value="optim") == {"ok": True, "status": 200}
    [replaced] = page.messages(GENERAL)
    assert replaced["key"] == picker["key"] and replaced["blocks"] is None
    assert replaced["text"].startswith("*#1* opened in *optim*")
    assert page.ticket(1).text == "How do I bake sourdough bread at home?"


def test_an_element_that_is_not_in_the_message_is_refused(page, sandbox):
    page.send("/ask nn How?")
    ping = page.ping(1)
    body = {"as": MIKAYLA, "channel": NN, "ts": ping["ts"], "block_index": 0, "action_id": "ticket_acknowledge"}
    assert page.post("/sandbox/action", body, expect=400)["error"] == "block 0 has no element 'ticket_acknowledge'"


# -- modals ---------------------------------------------------------------------------------------------------


def test_the_ask_form_checks_required_fields_then_shows_upline_errors_then_closes(page):
    page.send("/ask")
    view = page.modal()
    assert view["title"]["text"] == "Ask the maintainers"
    question = view["blocks"][1]["element"]["initial_option"]  # the form starts on "Question"
    values = {"area": {"area": {"type": "static_select", "selected_option": None}},
              "kind": {"kind": {"type": "static_select", "selected_option": question}},
              "question": {"question": {"type": "plain_text_input", "value": None}}}
    empty = page.post("/sandbox/submit", {"as": ASKER, "view_id": view["id"], "values": values})
    assert empty["errors"] == {"area": "Please complete this required field.",
                               "question": "Please complete this required field."}
    area = next(o for o in view["blocks"][0]["element"]["options"] if o["value"] == "nn")
    values["area"]["area"]["selected_option"] = area
    values["question"]["question"]["value"] = "x" * 12_001
    too_long = page.post("/sandbox/submit", {"as": ASKER, "view_id": view["id"], "values": values})
    assert "Upline takes up to 12,000" in too_long["errors"]["question"], "Upline's own response_action: errors"
    assert page.modal() is not None
    values["question"]["question"]["value"] = "Who reviews nn.Module hook changes?"
    assert page.post("/sandbox/submit", {"as": ASKER, "view_id": view["id"], "values": values}) == {"ok": True}
    assert page.modal() is None
    assert page.ticket(1).text == "Who reviews nn.Module hook changes?"
    assert page.dm(ASKER)[0]["text"].startswith("*#1* opened in *nn*")


def test_closing_a_modal_empties_the_stack_and_someone_elses_modal_is_not_theirs(page):
    page.send("/ask")
    view = page.modal()
    assert page.post("/sandbox/close", {"as": MIKAYLA, "view_id": view["id"]}, expect=404)
    page.post("/sandbox/close", {"as": ASKER, "view_id": view["id"]})
    assert page.modal() is None


# -- App Home and the clock ------------------------------------------------------------------------------------


def test_opening_home_sends_app_home_opened_and_shows_what_upline_published(page):
    assert page.get("/sandbox/home", MIKAYLA)["view"] is None
    page.send("/ask nn How?")
    page.post("/sandbox/home/open", {"as": MIKAYLA, "tab": "home"})
    view = page.get("/sandbox/home", MIKAYLA)["view"]
    assert view["type"] == "home" and "*#1* How?" in str(view["blocks"])


def test_advancing_the_clock_moves_upline_and_wakes_its_sweeper(page, tmp_path):
    page.send("/ask nn How do I register a forward hook?")
    page.ping(1)
    clock = page.post("/sandbox/clock", {"seconds": 9 * 3600})
    assert clock["offset_seconds"] == 9 * 3600
    assert page.get("/sandbox/clock", None)["offset_seconds"] == 9 * 3600
    escalation = wait_until(lambda: page.messages(CORE, as_=SOUMITH), what="the breach to reach #core")
    assert "Escalated to the core maintainers" in text_of(escalation[0])
    for wrong in (0, -60, 31 * 86400):
        page.post("/sandbox/clock", {"seconds": wrong}, expect=400)


def test_a_week_on_stops_at_monday_nine_and_the_digest_shows_each_ticket_where_it_stood_then(page):
    page.send("/ask nn How do I register a forward hook?")
    page.ping(1)
    page.post("/sandbox/clock", {"seconds": 7 * 86400})  # from a Tuesday noon: Monday 09:00 is on the way
    digests = wait_until(lambda: [m for m in page.messages(CORE, as_=SOUMITH) if "the core's week" in text_of(m)],
                         what="Monday's digest in #core")
    shown = text_of(digests[0])
    assert "Late" not in shown  # sent at its moment, not found due at the jump's end
    # Swept at that stop, tickets first: by Monday 09:00 #1 had climbed from nn to the core, and the digest
    # says so (swept at the jump's end alone, it would show #1 still waiting for the nn maintainers).
    line = shown.split("#1 How do I register a forward hook?", 1)[1].split("'")[0]
    assert line.endswith("nobody has it yet (core maintainers)"), line


def test_the_offset_clock_is_real_time_plus_what_the_buttons_added():
    real = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    clock = OffsetClock(real=real)
    assert clock.now() == real.now()
    clock.advance(timedelta(days=1))
    real.advance(timedelta(minutes=5))
    assert clock.now() == datetime(2026, 11, 24, 9, 5, tzinfo=UTC) and clock.offset == timedelta(days=1)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


# -- the response_url the page serves, and the live feed ------------------------------------------------------


def response_url(sandbox: Sandbox, original: tuple[str, str] | None = None, channel: str = GENERAL) -> str:
    return sandbox.context.response_url(ResponseTarget(ASKER, channel, original=original))


def test_a_response_url_post_becomes_a_private_note_or_an_in_channel_message(page, sandbox):
    assert page.http.post(response_url(sandbox), json={"text": "Only you see this"}).json() == {"ok": True}
    page.http.post(response_url(sandbox), json={"text": "Everyone sees this", "response_type": "in_channel"})
    [note, posted] = page.messages(GENERAL)
    assert note["ephemeral"] and note["text"] == "Only you see this"
    assert posted["user"] == "U0UPLINE" and posted["text"] == "Everyone sees this"
    assert [m["text"] for m in page.messages(GENERAL, as_=MIKAYLA)] == ["Everyone sees this"]


def test_a_response_url_replaces_or_deletes_the_original(page, sandbox):
    note = sandbox.notes.add(GENERAL, ASKER, text="Pick an area")
    page.http.post(response_url(sandbox, ("note", note.key)), json={"text": "#1 opened", "replace_original": True})
    assert [m["text"] for m in page.messages(GENERAL)] == ["#1 opened"]
    message = sandbox.workspace.post_message(GENERAL, "U0UPLINE", text="a ping")
    page.http.post(response_url(sandbox, ("message", message.ts)), json={"text": "an edited ping",
                                                                         "replace_original": "true"})
    assert sandbox.workspace.message(GENERAL, message.ts).text == "an edited ping"
    page.http.post(response_url(sandbox, ("message", message.ts)), json={"delete_original": True})
    page.http.post(response_url(sandbox, ("note", note.key)), json={"delete_original": True})
    assert page.messages(GENERAL) == []


def test_a_response_url_refuses_what_slack_refuses(page, sandbox):
    url = response_url(sandbox)
    assert page.http.post(url, json={}).json() == {"ok": False, "error": "no_text"}
    assert page.http.post(url, content=b"not json", headers={"Content-Type": "application/json"}).status_code == 400
    for _ in range(3):
        assert page.http.post(url, json={"text": "again"}).status_code == 200
    assert page.http.post(url, json={"text": "a sixth time"}).json()["error"] == "used_url"
    assert page.http.post(f"{sandbox.url}/sandbox/response/unknown", json={"text": "x"}).status_code == 404


def test_every_change_reaches_the_open_pages_as_a_server_sent_event(page, sandbox):
    with page.http.stream("GET", f"{sandbox.url}/sandbox/events") as stream:
        lines = stream.iter_lines()
        assert next(lines) == "retry: 1000"
        page.send("hello everyone")
        data = next(line for line in lines if line.startswith("data: "))
    assert '"kind": "message_posted"' in data and '"channel": "C0GENERAL"' in data


def test_a_permalink_the_bot_wrote_opens_that_message_on_the_page(page, sandbox):
    response = page.http.get(f"{sandbox.url}/archives/C0NN/p1700000000000100")
    assert response.status_code == 302
    assert response.headers["location"] == "/?channel=C0NN&ts=1700000000.000100"
    reply = page.http.get(f"{sandbox.url}/archives/C0NN/p1700000009000200?thread_ts=1700000000.000100&cid=C0NN")
    assert reply.headers["location"] == "/?channel=C0NN&ts=1700000000.000100", "a reply opens its thread's root"
