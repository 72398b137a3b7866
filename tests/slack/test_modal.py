"""The ask form sent through real signed HTTP: it opens a ticket, or stays open and says what is missing."""

from bot.domain.ticket import Kind
from handlers.views.ask_modal import NO_AREA, ask_modal
from tests.slack.conftest import ASKER


def ticket(world, number=1):
    with world.upline.unit_of_work(read_only=True) as uow:
        return uow.tickets.get(number)


def submit(world, *, area="nn", kind="question", question="How do I register a forward hook?", user=ASKER):
    """What Slack sends when the asker presses "Ask" on the form as Upline built it."""
    view = ask_modal(world.upline.config, Kind.QUESTION)
    picked = {"text": {"type": "plain_text", "text": area}, "value": area} if area else None
    values = {
        "area": {"area": {"type": "static_select", "selected_option": picked}},
        "kind": {"kind": {"type": "static_select",
                          "selected_option": {"text": {"type": "plain_text", "text": kind}, "value": kind}}},
        "question": {"question": {"type": "plain_text_input", "value": question}},
    }
    return world.send(world.requests.interaction({
        "type": "view_submission", "user": {"id": user, "team_id": "T0UPLINE"},
        "view": {**view, "id": "V0ASKFORM", "hash": "1700000000.abcd", "state": {"values": values}},
    }))


def dm_texts(world, user):
    channel, _ = world.workspace.open_conversation([user])
    return [message.text for message in world.workspace.messages(channel.id)]


def test_sending_the_form_opens_the_ticket_and_confirms_by_dm(world):
    response = submit(world)
    assert response.status_code == 200 and response.text == "", "the form closes"
    opened = ticket(world)
    assert (opened.area, opened.kind, opened.asker) == ("nn", Kind.QUESTION, ASKER)
    assert opened.text == "How do I register a forward hook?"
    [confirmation] = dm_texts(world, ASKER)
    assert confirmation.startswith("*#1* opened in *nn* (question).")
    assert "<@U0MIKAYLA>" in confirmation
    world.deliver()
    [ping] = world.workspace.messages("C0NN")
    assert ping.blocks[0]["text"]["text"] == "#1 · question · nn"


def test_no_area_goes_straight_to_the_core_maintainers(world):
    submit(world, area=NO_AREA, kind="escalation", question="Who decides on the new RFC process?")
    opened = ticket(world)
    assert (opened.area, opened.level, opened.kind) == (None, "core", Kind.ESCALATION)
    assert dm_texts(world, ASKER)[0].startswith("*#1* opened in *no area* (escalation).")


def test_an_empty_question_keeps_the_form_open_with_an_error_under_it(world):
    for blank in ("", "   \n  "):
        response = submit(world, question=blank)
        assert response.status_code == 200
        assert response.json() == {"response_action": "errors", "errors": {"question": "Write your question here."}}
    assert ticket(world) is None
    assert world.calls("chat.postMessage") == []


def test_a_form_sent_without_an_area_keeps_the_form_open(world):
    response = submit(world, area=None, question="")
    assert set(response.json()["errors"]) == {"area", "question"}
    assert ticket(world) is None


def test_a_question_too_long_for_upline_keeps_the_form_open(world):
    response = submit(world, question="x" * 12_001)
    errors = response.json()["errors"]
    assert "Upline takes up to 12,000" in errors["question"]
    assert ticket(world) is None


def test_an_area_that_no_longer_exists_is_explained_by_dm(world):
    response = submit(world, area="gone")
    assert response.status_code == 200
    assert ticket(world) is None
    assert dm_texts(world, ASKER) == ["There is no area 'gone'."]
