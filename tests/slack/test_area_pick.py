"""The area picker, used through real signed HTTP: "Ask in <area>", the list of every area, the form."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.slack.conftest import ASKER, STRANGER

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


# -- the list of every area ------------------------------------------------------------------------

FAR_FROM_EVERYTHING = "How do I bake sourdough bread at home?"
LIVE_AREAS = ["nn", "optim", "autograd", "distributed", "fsdp", "build-ci"]  # app.yaml's, without the sunset one


def picker(world, text=FAR_FROM_EVERYTHING, command="/ask"):
    body = world.command(command, text).json()
    [actions] = [block for block in body["blocks"] if block["type"] == "actions"]
    return body, actions


def the_list(actions):
    [select] = [element for element in actions["elements"] if element["type"] == "static_select"]
    return select


def choose(world, actions, area, *, user=ASKER):
    """A pick in the picker's list, as Slack sends it from an ephemeral message: the option and its block."""
    select = the_list(actions)
    option = next(option for option in select["options"] if option["value"] == area)
    chosen = {"type": "static_select", "action_id": select["action_id"], "block_id": actions["block_id"],
              "selected_option": option, "placeholder": select["placeholder"], "action_ts": "1700000001.000300"}
    return world.send(world.requests.interaction({
        "type": "block_actions", "user": {"id": user, "team_id": "T0UPLINE"},
        "container": {"type": "message", "channel_id": "C0GENERAL", "message_ts": "1700000000.000100",
                      "is_ephemeral": True},
        "channel": {"id": "C0GENERAL"},
        "state": {"values": {actions["block_id"]: {select["action_id"]: {"type": "static_select",
                                                                          "selected_option": option}}}},
        "actions": [chosen],
    }))


def test_when_nothing_is_close_it_says_so_and_lists_every_area(world):
    body, actions = picker(world)
    assert "no area comes close" in body["text"] and "Did you mean" not in body["text"]
    assert not [e for e in actions["elements"] if e["action_id"].startswith("ask_pick_area:")], "nothing guessed"
    select = the_list(actions)
    assert [option["value"] for option in select["options"]] == LIVE_AREAS
    assert select["options"][0]["text"]["text"] == "nn — NN APIs (torch.nn)"
    assert ticket(world) is None


def test_a_close_area_stays_a_button_beside_the_list(world):
    body, actions = picker(world, QUESTION)
    assert "Did you mean *optim*?" in body["text"]
    assert [element["action_id"] for element in actions["elements"]] == [
        "ask_pick_area:optim", "ask_pick_listed", "ask_pick_other"]
    assert len(the_list(actions)["options"]) == len(LIVE_AREAS)


def test_picking_in_the_list_opens_the_ticket_there_and_replaces_the_picker(world, responses):
    _, actions = picker(world)
    assert choose(world, actions, "autograd").status_code == 200
    opened = ticket(world)
    assert (opened.area, opened.asker, opened.text, opened.kind.value) == (
        "autograd", ASKER, FAR_FROM_EVERYTHING, "question")
    [answer] = responses
    assert answer["replace_original"] is True
    assert answer["text"].startswith("*#1* opened in *autograd* (question).")
    world.deliver()
    [ping] = world.workspace.messages("C0AUTOGRAD")
    assert ping.blocks[0]["text"]["text"] == "#1 · question · autograd"


def test_the_list_carries_a_question_too_long_for_any_button(world, responses):
    question = "My training loop slows down over hours." + " Here is the log line." * 400  # 8,839 characters
    body, actions = picker(world, question, command="/escalate")
    assert [element["type"] for element in actions["elements"]] == ["static_select"], "no button holds it"
    choose(world, actions, "nn")
    assert (ticket(world).area, ticket(world).text, ticket(world).kind.value) == ("nn", question, "escalation")


def test_the_list_opens_a_question_once(world, responses):
    _, actions = picker(world)
    choose(world, actions, "nn")
    choose(world, actions, "optim")  # the same list, used again (it was replaced on the asker's screen)
    assert ticket(world).area == "nn" and ticket(world, 2) is None
    assert responses[1]["text"].startswith("This list has expired")
    assert responses[1]["replace_original"] is False


def test_someone_elses_or_a_day_old_list_opens_nothing(world, responses):
    _, actions = picker(world)
    choose(world, actions, "nn", user=STRANGER)
    world.clock.advance(timedelta(days=1, minutes=1))
    choose(world, actions, "nn")
    assert ticket(world) is None
    assert [answer["text"].split(" (")[0] for answer in responses] == ["This list has expired"] * 2


def test_a_list_without_its_draft_or_with_an_unknown_area_opens_nothing(world, responses):
    _, actions = picker(world)
    choose(world, {**actions, "block_id": "ask_pick"}, "nn")  # a block that names no draft
    select = the_list(actions)
    select["options"].append({"text": {"type": "plain_text", "text": "nope"}, "value": "nope"})
    choose(world, actions, "nope")
    assert ticket(world) is None
    assert responses[0]["text"].startswith("This choice can no longer be read")
    assert responses[1]["text"] == "There is no area 'nope'."


def test_a_mention_picked_from_the_list_stays_linked_to_its_thread(world, responses):
    event = {"type": "app_mention", "user": ASKER, "channel": "C0GENERAL", "ts": "1700000000.000100",
             "text": f"<@U0UPLINE> ask {FAR_FROM_EVERYTHING}"}
    assert world.send(world.requests.event(event)).status_code == 200
    [note] = world.workspace.ephemerals(ASKER)
    [actions] = [block for block in note.blocks if block["type"] == "actions"]
    choose(world, actions, "optim")
    assert ticket(world).area == "optim"
    with world.upline.unit_of_work(read_only=True) as uow:
        assert uow.tickets.find_by_thread("C0GENERAL", "1700000000.000100").id == 1
