"""The door, through real signed HTTP: what is not Slack's is a 400, what is malformed is a 200 with
nothing done, text is cleaned before it is kept — and never a 5xx."""

import json
import logging
import time

import pytest
import sqlalchemy
from sqlalchemy import text

from bot.sandbox.signed_requests import FORM, SlackRequests
from handlers.door import ID_HEADER
from handlers.replies import apology
from tests.slack.conftest import ASKER

NN = "C0NN"
MIKAYLA = "U0MIKAYLA"
TABLES = ("tickets", "events", "outbox", "away", "ticket_messages", "runtime_settings")
UNREADABLE = "That request could not be read"


def rows(world) -> dict[str, int]:
    """What a request could have written (delivery ids in processed_events aside)."""
    with world.upline.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() for table in TABLES}


@pytest.fixture
def before(world):
    return rows(world)


def ticket(world, number=1):
    with world.upline.unit_of_work(read_only=True) as uow:
        return uow.tickets.get(number)


def click(world, payload: dict):
    return world.send(world.requests.interaction(payload))


def button(action_id="ticket_acknowledge", value="1", *, user=MIKAYLA, channel=NN) -> dict:
    return {"type": "block_actions", "user": {"id": user, "team_id": "T0UPLINE"},
            "container": {"type": "message", "channel_id": channel, "message_ts": "1732352400.000100"},
            "channel": {"id": channel}, "message": {"ts": "1732352400.000100", "type": "message"},
            "actions": [{"type": "button", "action_id": action_id, "block_id": "ticket_actions", "value": value,
                         "action_ts": "1732352401.000200"}]}


def without(payload: dict, *keys: str) -> dict:
    return {key: value for key, value in payload.items() if key not in keys}


def mention(**fields) -> dict:
    event = {"type": "app_mention", "user": ASKER, "text": "<@U0UPLINE> ask nn How do I register a hook?",
             "ts": f"{time.time():.6f}", "channel": "C0GENERAL", "event_ts": f"{time.time():.6f}"}
    return {key: value for key, value in (event | fields).items() if value is not None}


# -- "payload" in /ask (issue 11, item 5) -----------------------------------------------------------


def test_an_ask_that_says_payload_opens_its_ticket(world):
    """Bolt's body parser took any form containing the word "payload" for an interaction (`"payload" in
    body` in slack_bolt.request.internals.parse_body) and the /ask was answered 404; the door reads a
    form by its fields, and only a `payload` field makes it an interaction."""
    response = world.command("/ask", "nn how do I send a payload to a hook?")
    assert response.status_code == 200
    assert response.text.startswith("*#1* opened in *nn*")
    assert ticket(world).text == "how do I send a payload to a hook?"


def test_an_ask_that_quotes_a_payload_field_is_still_a_command(world):
    world.command("/ask", "nn why does payload={} break my hook? &payload=1")
    assert ticket(world).text == "why does payload={} break my hook? &payload=1"


# -- bodies that are not Slack's ----------------------------------------------------------------------


@pytest.mark.parametrize(("body", "content_type"), [
    (b"payload=%7Bnot+json", FORM),
    (b"payload=%5B%22block_actions%22%5D", FORM),
    (b"payload=42", FORM),
    (b"command=%2Fask&text=nn+hi&user_id=U0ASKER", "application/json"),
    (b'["event_callback"]', FORM),
    (b"", FORM),
    (b"\xff\xfe/ask nn", FORM),
])
def test_a_signed_body_that_is_not_slacks_is_a_400_and_changes_nothing(world, before, body, content_type):
    response = world.send(world.requests.sign(body, content_type))
    assert response.status_code == 400 and response.text.startswith("Not a Slack request")
    assert rows(world) == before
    assert world.workspace.calls == []  # not even auth.test


@pytest.mark.parametrize("body", [b"payload=%7Bnot+json", b"command=%2Fask&text=hi", b'["event_callback"]'])
def test_an_unsigned_body_is_a_401_whatever_it_holds(world, body):
    response = world.send(SlackRequests("not-the-signing-secret").sign(body, "application/json"))
    assert response.status_code == 401


@pytest.mark.parametrize(("timestamp", "signature"), [("yesterday", "v0=abc"), ("1732352400", "v0=é")])
def test_a_signature_bolt_cannot_even_check_is_a_401(world, timestamp, signature):
    signed = world.requests.command("/ask", "nn How do I register a hook?", user=ASKER)
    headers = signed.headers | {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}
    response = world.http.post(f"{world.server.url}/slack/events", content=signed.body,
                               headers={key: value.encode() for key, value in headers.items()})
    assert response.status_code == 401
    assert ticket(world) is None


def test_a_json_body_labelled_form_is_read_as_json(world):
    response = world.send(world.requests.json_body({"type": "url_verification", "challenge": "c4f3"},
                                                   content_type=FORM))
    assert response.status_code == 200 and response.json() == {"challenge": "c4f3"}


# -- envelopes and fields a handler cannot read: 200, nothing done --------------------------------------


@pytest.mark.parametrize("payload", [
    without(button(), "user"),
    button() | {"user": "U0MIKAYLA"},
    without(button(), "channel", "container"),
    button(channel="C" * 41),
    button(user="U0MIKAYLA\x00"),
    button() | {"actions": []},
    button() | {"actions": [{"value": "1"}]},
    without(button("ticket_reopen"), "user"),
    without(button("home_back"), "user"),
    without(button("ask_pick_area:nn", json.dumps({"kind": "question", "text": "hi", "area": "nn"})), "user"),
    {"type": "view_submission", "user": {"id": ASKER}, "view": {"callback_id": "ask_modal"}},
    {"type": "view_submission", "user": {"id": ASKER}, "view": {"type": "modal", "callback_id": "ask_modal"}},
    {"type": "view_submission", "view": {"type": "modal", "callback_id": "ask_modal",
                                          "state": {"values": {"question": {"question": {"value": "hi"}}}}}},
    {"type": "view_submission", "user": {"id": ASKER},
     "view": {"type": "modal", "callback_id": "ask_modal", "state": {"values": {"area": None}}}},
], ids=["no user", "user not an object", "no channel", "channel too long", "user with NUL", "no actions",
        "action without id", "reopen without user", "away switch without user", "area pick without user",
        "form without type", "form without state", "form without user", "form with a null block"])
def test_an_interaction_missing_what_its_handler_reads_is_a_200_with_nothing_done(world, before, payload):
    response = click(world, payload)
    assert response.status_code == 200 and response.text == ""
    assert rows(world) == before
    assert world.workspace.ephemerals() == []


@pytest.mark.parametrize("event", [mention(channel=None), mention(ts=None), mention(user=None),
                                   mention(user={"id": ASKER}), mention(thread_ts="not a ts"),
                                   mention(channel="C" * 100), {"type": "app_home_opened"},
                                   {"type": "message", "thread_ts": "1732352400.000100", "user": ["U0ASKER"]}],
                         ids=["no channel", "no ts", "no user", "user an object", "bad thread", "channel too long",
                              "home without user", "reply by a list"])
def test_an_event_missing_what_its_handler_reads_is_a_200_with_nothing_done(world, before, event):
    response = world.send(world.requests.event(event))
    assert response.status_code == 200
    assert rows(world) == before
    assert world.calls("chat.postMessage") == world.calls("chat.postEphemeral") == []


@pytest.mark.parametrize("envelope", [
    {"type": "event_callback", "event": "app_mention", "event_id": "Ev1"},
    {"type": "event_callback", "event": {"type": "app_mention"}, "event_id": {"id": "Ev1"}},
    {"type": "event_callback", "team_id": "T0" + "X" * 60, "event": {"type": "app_home_opened", "user": ASKER}},
    {"type": "url_verification"},
], ids=["event a string", "event id an object", "team id too long", "challenge missing"])
def test_an_event_envelope_slack_would_not_send_is_a_200_with_nothing_done(world, before, envelope):
    response = world.send(world.requests.json_body(envelope))
    assert response.status_code == 200 and response.text == ""
    assert rows(world) == before
    with world.upline.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM processed_events")).scalar_one() == 0


def test_a_button_whose_value_is_not_text_is_answered_privately(world, before):
    response = click(world, button(value=["1"]))
    assert response.status_code == 200
    [answer] = world.workspace.ephemerals(MIKAYLA)
    assert answer.text.startswith(UNREADABLE)
    assert rows(world) == before


def test_a_handover_to_an_impossible_person_is_answered_privately(world, before):
    picked = world.requests.user_picked("ticket_handover", "U0ALBAN" * 10, user=MIKAYLA, channel=NN,
                                        message_ts="1732352400.000100", block_id="ticket_handover:1")
    assert world.send(picked).status_code == 200
    [answer] = world.workspace.ephemerals(MIKAYLA)
    assert answer.text == f"{UNREADABLE} (its picked user ID is not one Slack issues), so nothing was done."
    assert rows(world) == before


# -- IDs of impossible shape in commands: a clear answer, nothing written -------------------------------


@pytest.mark.parametrize("user", ["U" + "0" * 99, "u0asker", "U0ASKER\x00", ""])
def test_an_ask_from_an_impossible_user_id_is_refused_and_writes_nothing(world, before, user):
    response = world.command("/ask", "nn How do I register a forward hook?", user=user)
    assert response.status_code == 200
    assert response.text == f"{UNREADABLE} (its user ID is not one Slack issues), so nothing was done."
    assert rows(world) == before


def test_a_command_without_its_user_is_refused(world, before):
    fields = world.requests.command_fields("/resolve", "#1 fixed", user=ASKER)
    del fields["user_id"]
    response = world.send(world.requests.form(fields))
    assert response.status_code == 200 and response.text.startswith(UNREADABLE)
    assert rows(world) == before


def test_a_command_from_an_impossible_team_is_refused_before_any_handler(world, before):
    fields = world.requests.command_fields("/ask", "nn How do I register a forward hook?", user=ASKER)
    response = world.send(world.requests.form(fields | {"team_id": "T" * 64}))
    assert response.status_code == 200
    assert response.text == f"{UNREADABLE} (its team ID is not one Slack issues), so nothing was done."
    assert rows(world) == before


def test_an_empty_ask_without_a_trigger_says_so_instead_of_failing(world, before):
    fields = world.requests.command_fields("/ask", "", user=ASKER)
    del fields["trigger_id"]
    response = world.send(world.requests.form(fields))
    assert response.text.startswith(UNREADABLE)
    assert world.calls("views.open") == []


def test_a_ticket_number_too_large_for_any_ticket_is_no_ticket(world):
    response = world.command("/ack", "#99999999999999999999")
    assert response.text == "There is no ticket #999999999999…."
    assert world.command("/resolve", "#2147483648 done").text == "There is no ticket #2147483648."


# -- text checked at the door -------------------------------------------------------------------------


def test_control_characters_are_removed_from_a_question_newlines_and_tabs_kept(world):
    response = world.command("/ask", "nn How do I\x00 register\x1b[31m a hook?\r\n\tOn a ModuleList\x7f")
    assert response.text.startswith("*#1* opened in *nn*")
    assert ticket(world).text == "How do I register[31m a hook?\n\tOn a ModuleList"


def test_control_characters_are_removed_from_a_mention_and_the_form(world):
    world.send(world.requests.event(mention(text="<@U0UPLINE> ask nn Why\x00 is\x08 my hook slow?")))
    assert ticket(world, 1).text == "Why is my hook slow?"
    form = {"type": "view_submission", "user": {"id": ASKER, "team_id": "T0UPLINE"},
            "view": {"type": "modal", "callback_id": "ask_modal", "state": {"values": {
                "area": {"area": {"type": "static_select", "selected_option": {"value": "nn"}}},
                "question": {"question": {"type": "plain_text_input", "value": "\x00\x00Hooks\x00?"}}}}}}
    assert click(world, form).status_code == 200
    assert ticket(world, 2).text == "Hooks?"


def test_a_resolve_note_and_an_escalation_reason_lose_their_control_characters(world):
    world.command("/ask", "nn How do I register a forward hook?")
    world.command("/escalate", "#1 nobody\x00 answered", user=MIKAYLA)
    world.command("/resolve", "#1 fixed\x00 in\x1b 2.5", user=MIKAYLA)
    with world.upline.unit_of_work(read_only=True) as uow:
        reasons = [event.reason for event in uow.events.for_ticket(1)]
    assert "nobody answered" in reasons and "fixed in 2.5" in reasons


# -- the log names the request --------------------------------------------------------------------------


def test_what_was_refused_is_logged_with_the_request_id_the_answer_carries(world, caplog):
    with caplog.at_level(logging.INFO, logger="handlers"):
        response = click(world, without(button(), "user"))
    request_id = response.headers[ID_HEADER]
    [line] = [record.getMessage() for record in caplog.records if record.name == "handlers.door"]
    assert line == f"request {request_id}: it has no user; nothing done"


def test_a_failure_is_apologised_for_with_the_request_id_the_log_names(world, caplog):
    def disk_on_fire(*args):
        raise RuntimeError("the disk is on fire")

    sqlalchemy.event.listen(world.upline.engine, "before_cursor_execute", disk_on_fire)
    try:
        with caplog.at_level(logging.ERROR, logger="upline.handlers"):
            response = world.command("/status", "")
    finally:
        sqlalchemy.event.remove(world.upline.engine, "before_cursor_execute", disk_on_fire)
    request_id = response.headers[ID_HEADER]
    assert response.status_code == 200 and response.text == apology(request_id)
    [failure] = [record for record in caplog.records if record.exc_info]
    assert failure.getMessage() == f"request {request_id} failed: /status by {ASKER}"


def test_a_failure_no_handler_caught_is_a_200_logged_with_the_request_id(world, caplog):
    """The picker answers through the response URL, which here leads nowhere: the answer itself fails."""
    stale = button("ask_pick_area:nn", "{not the picker's value", user=ASKER, channel="C0GENERAL")
    with caplog.at_level(logging.ERROR, logger="handlers.door"):
        response = click(world, stale)
    assert response.status_code == 200 and response.text == ""
    [failure] = caplog.records
    assert failure.getMessage() == f"request {response.headers[ID_HEADER]} failed: block_actions ask_pick_area:nn"
    assert failure.exc_info is not None
