"""What the door reads of a body before Bolt does, and what it lets Bolt route."""

import json
from urllib.parse import urlencode

import pytest
from slack_bolt.request.internals import parse_body

from handlers.door import NotSlack, read_body
from handlers.envelope import envelope_problem

FORM = "application/x-www-form-urlencoded"
ASK_ABOUT_A_PAYLOAD = urlencode({"command": "/ask", "user_id": "U0ASKER",
                                 "text": "nn how do I send a payload to a hook?"})


def test_bolts_parser_takes_a_command_that_says_payload_for_an_interaction():
    """The cause of `/ask … payload …` answered 404: Bolt's parse_body tests `"payload" in body`, the
    word anywhere in the form, then finds no `payload` field and reads the request as empty. If this
    starts failing, Bolt reads forms by their fields now and the door's own reading could go."""
    assert parse_body(ASK_ABOUT_A_PAYLOAD, FORM) == {}


def test_the_door_reads_a_command_that_says_payload_as_the_command_it_is():
    body = read_body(ASK_ABOUT_A_PAYLOAD, FORM)
    assert body["command"] == "/ask" and body["text"] == "nn how do I send a payload to a hook?"


def test_an_interaction_is_a_form_with_a_payload_field():
    body = read_body(urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}), FORM)
    assert body == {"type": "block_actions", "actions": []}


def test_a_json_body_is_read_as_json_whatever_its_label():
    event = json.dumps({"type": "url_verification", "challenge": "abc"})
    assert read_body(event, "application/json") == read_body(event, FORM) == {"type": "url_verification",
                                                                               "challenge": "abc"}


@pytest.mark.parametrize(("text", "content_type", "reason"), [
    ("", FORM, "it is empty"),
    ("payload=%7Bnot+json", FORM, "its payload is not JSON"),
    ("payload=%5B1%2C2%5D", FORM, "its payload is not a JSON object"),
    ("payload=%22text%22", FORM, "its payload is not a JSON object"),
    ("payload=%7B%7D", FORM, "its payload has no type"),
    (ASK_ABOUT_A_PAYLOAD, "application/json", "its JSON body is not JSON"),
    ("[1, 2]", "application/json", "its JSON body is not a JSON object"),
    ("[1, 2]", FORM, "its form is neither a slash command nor an interaction"),
    ("{" * 100_000, "application/json", "its JSON body is not JSON"),
    ("&".join(f"f{n}=1" for n in range(100)) + "&command=/ask", FORM, "its form has too many fields"),
])
def test_a_body_slack_would_never_send_is_not_slacks(text, content_type, reason):
    with pytest.raises(NotSlack, match=reason):
        read_body(text, content_type)


def test_an_envelope_bolt_can_route_has_no_problem():
    assert envelope_problem({"command": "/ask", "team_id": "T0UPLINE", "user_id": "U0ASKER"}) is None
    assert envelope_problem({"type": "block_actions", "team": {"id": "T0UPLINE"},
                             "actions": [{"action_id": "ticket_acknowledge", "block_id": "b"}]}) is None
    assert envelope_problem({"type": "event_callback", "event_id": "Ev1", "event": {"type": "app_mention"}}) is None
    assert envelope_problem({"type": "view_submission", "view": {"type": "modal", "callback_id": "ask_modal"}}) is None


@pytest.mark.parametrize(("body", "reason"), [
    ({"type": 5}, "its type is not a word"),
    ({"type": "block_actions"}, "it names no action"),
    ({"type": "block_actions", "actions": []}, "it names no action"),
    ({"type": "block_actions", "actions": ["ticket_acknowledge"]}, "it names no action"),
    ({"type": "block_actions", "actions": [{"value": "1"}]}, "its action has no id"),
    ({"type": "interactive_message", "callback_id": "ticket_acknowledge"}, "it names no action"),
    ({"type": "view_submission", "view": None}, "its form has no callback id"),
    ({"type": "view_submission", "view": {"callback_id": "ask_modal"}}, "its form has no type"),
    ({"type": "event_callback", "event": "app_mention"}, "its event is not an object"),
    ({"type": "event_callback"}, "its event has no type"),
    ({"type": "event_callback", "event": {"text": "hi"}}, "its event has no type"),
    ({"type": "event_callback", "event": {"type": "message"}, "event_id": ["Ev1"]}, "its event id"),
    ({"type": "event_callback", "event": {"type": "message"}, "event_id": "Ev\x00"}, "its event id"),
    ({"type": "url_verification", "challenge": 5}, "its challenge is not text"),
    ({"type": "shortcut", "event": "x"}, "its event is not an object"),
    ({"command": "/ask", "team_id": "T" * 41}, "its team ID is not one Slack issues"),
    ({"type": "block_actions", "team": {"id": "t0upline"}, "actions": [{"action_id": "a"}]}, "its team ID"),
    ({"command": "/ask", "response_url": 5}, "its response_url is not text"),
    ({"type": "event_callback", "authorizations": "all", "event": {"type": "message"}}, "its authorizations"),
])
def test_an_envelope_bolt_would_trip_over_is_refused_with_the_reason(body, reason):
    assert reason in envelope_problem(body)
