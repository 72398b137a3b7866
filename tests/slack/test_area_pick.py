"""The area picker's buttons, clicked through real signed HTTP: "Ask in <area>" and "Another area…"."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.slack.conftest import ASKER

QUESTION = "optimm adam is slow on CPU"


class ResponseUrls:
    """Slack's side of `response_url`: records what the app posts there (the stand-in has no such endpoint)."""

    def __init__(self):
        self.posted: list[dict] = []
        posted = self.posted

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the name http.server calls)
                length = int(self.headers.get("Content-Length", 0))
                posted.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}/response/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def responses(world):
    urls = ResponseUrls()
    world.requests.response_url_base = urls.base
    yield urls.posted
    urls.close()


def ticket(world, number=1):
    with world.upline.unit_of_work(read_only=True) as uow:
        return uow.tickets.get(number)


def picker_buttons(world, text=QUESTION, command="/ask"):
    body = world.command(command, text).json()
    [actions] = [block for block in body["blocks"] if block["type"] == "actions"]
    return {button["action_id"]: button for button in actions["elements"]}


def press(world, button, *, user=ASKER, trigger_id=None):
    """A click on the picker, an ephemeral answer to the slash command in #general."""
    payload = {
        "type": "block_actions", "user": {"id": user, "team_id": "T0UPLINE"},
        "container": {"type": "message", "channel_id": "C0GENERAL", "message_ts": "1700000000.000100",
                      "is_ephemeral": True},
        "channel": {"id": "C0GENERAL"},
        "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "ask_pick",
                     "value": button["value"], "action_ts": "1700000001.000200"}],
    }
    if trigger_id is not None:
        payload["trigger_id"] = trigger_id
    return world.send(world.requests.interaction(payload))


def test_ask_in_area_opens_the_ticket_there_and_replaces_the_picker(world, responses):
    buttons = picker_buttons(world)
    response = press(world, buttons["ask_pick_area:optim"])
    assert response.status_code == 200
    opened = ticket(world)
    assert (opened.area, opened.asker, opened.text) == ("optim", ASKER, QUESTION)
    [answer] = responses
    assert answer["replace_original"] is True
    assert answer["text"].startswith("*#1* opened in *optim* (question).")
    world.deliver()
    [ping] = world.workspace.messages("C0OPTIM")
    assert ping.blocks[0]["text"]["text"] == "#1 · question · optim"


def test_the_picker_keeps_the_kind_of_an_escalation(world, responses):
    buttons = picker_buttons(world, "optimm adam defaults changed and we need a decision", command="/escalate")
    press(world, buttons["ask_pick_area:optim"])
    assert ticket(world).kind.value == "escalation"
    assert "(escalation)" in responses[0]["text"]


def test_a_tampered_choice_opens_nothing_and_says_why(world, responses):
    press(world, {"action_id": "ask_pick_area:optim", "value": "{not json"})
    press(world, {"action_id": "ask_pick_area:nope",
                  "value": json.dumps({"area": "nope", "kind": "question", "text": "hi"})})
    assert ticket(world) is None
    assert responses[0]["text"].startswith("This choice can no longer be read")
    assert responses[1]["text"] == "There is no area 'nope'."
    assert all(answer["replace_original"] is False for answer in responses)


def test_another_area_opens_the_ask_form_with_the_question_filled_in(world, responses):
    buttons = picker_buttons(world)
    trigger = world.workspace.issue_trigger(ASKER)  # what Slack hands the app with the click
    response = press(world, buttons["ask_pick_other"], trigger_id=trigger)
    assert response.status_code == 200
    [call] = world.calls("views.open")
    assert call.params["trigger_id"] == trigger
    view = call.params["view"]
    assert view["callback_id"] == "ask_modal"
    question = next(block for block in view["blocks"] if block["block_id"] == "question")
    assert question["element"]["initial_value"] == QUESTION
    [modal] = world.workspace.modal_stack(ASKER)
    assert modal.payload["callback_id"] == "ask_modal"
    assert ticket(world) is None, "nothing is opened until the form is sent"
    assert responses == []


def test_the_form_from_another_area_opens_the_ticket_in_the_area_picked_there(world, responses):
    buttons = picker_buttons(world)
    press(world, buttons["ask_pick_other"], trigger_id=world.workspace.issue_trigger(ASKER))
    [modal] = world.workspace.modal_stack(ASKER)
    values = {"area": {"area": {"type": "static_select", "selected_option": {"value": "nn"}}},
              "kind": {"kind": {"type": "static_select", "selected_option": {"value": "question"}}},
              "question": {"question": {"type": "plain_text_input", "value": QUESTION}}}
    response = world.send(world.requests.interaction({
        "type": "view_submission", "user": {"id": ASKER, "team_id": "T0UPLINE"},
        "view": {**modal.payload, "id": modal.id, "hash": modal.hash, "state": {"values": values}},
    }))
    assert response.status_code == 200
    assert (ticket(world).area, ticket(world).text) == ("nn", QUESTION)
