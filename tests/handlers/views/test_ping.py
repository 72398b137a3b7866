"""The ping's Block Kit, written as plain dicts: slack_sdk's models must read every variant back unchanged."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block

from bot.config import load_config_file
from bot.domain import actions
from bot.domain.ticket import Kind, State
from bot.services.tickets import TicketService
from handlers.views.ping import BUTTONS, ping_blocks, ping_text

CONFIG = load_config_file(Path(__file__).resolve().parents[3] / "app.yaml").config
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def ticket(**changes):
    service = TicketService(CONFIG, unit_of_work=None)
    opened = actions.open_ticket(kind=Kind.QUESTION, area="nn", asker="U0ASKER", text="How do I <!channel> hook?",
                                 ladder=service.ladder("nn"), policy=service.policy("nn", Kind.QUESTION), now=NOW,
                                 pingable=service.pingable({})).ticket
    opened.id = 12
    for name, value in changes.items():
        setattr(opened, name, value)
    return opened


VARIANTS = {
    "open": {},
    "acknowledged": {"state": State.ACKNOWLEDGED, "acknowledged_by": "U0NN1", "acknowledged_at": NOW},
    "waiting": {"state": State.WAITING, "waiting_since": NOW},
    "resolved": {"state": State.RESOLVED, "resolved_by": "U0NN1", "resolved_at": NOW + timedelta(hours=1),
                 "resolution": "Use register_forward_hook on each child."},
    "long": {"text": "x" * 5000},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_slack_sdk_models_read_the_ping_back_unchanged(variant):
    blocks = ping_blocks(CONFIG, ticket(**VARIANTS[variant]))
    parsed = [Block.parse(block) for block in blocks]
    assert [block.to_dict() for block in parsed] == blocks  # to_dict() validates lengths and shapes too


def buttons(blocks):
    [row] = [block for block in blocks if block.get("block_id") == "ticket_actions"]
    return [(button["action_id"], button["text"]["text"], button.get("style")) for button in row["elements"]]


def test_the_ping_escapes_the_question_and_offers_the_buttons_while_open():
    blocks = ping_blocks(CONFIG, ticket())
    assert "&lt;!channel&gt;" in blocks[1]["text"]["text"] and "<!channel>" not in str(blocks)
    assert buttons(blocks) == [(action_id, label, "primary" if action_id == "ticket_acknowledge" else None)
                               for action_id, label in BUTTONS.items()]
    assert "#12 · question · nn" in ping_text(CONFIG, ticket())


def test_the_ping_offers_a_hand_over_picker_that_names_its_ticket():
    [picker] = [block for block in ping_blocks(CONFIG, ticket()) if block.get("block_id") == "ticket_handover:12"]
    assert picker["elements"][0]["type"] == "users_select"
    assert picker["elements"][0]["action_id"] == "ticket_handover"


def test_an_acknowledged_ping_says_who_has_it_and_no_longer_offers_acknowledge():
    blocks = ping_blocks(CONFIG, ticket(**VARIANTS["acknowledged"]))
    assert "*Acknowledged* by <@U0NN1> — they have it" in str(blocks)
    assert buttons(blocks) == [("ticket_resolve", "Resolve", "primary"), ("ticket_escalate", "Escalate", None),
                               ("ticket_wait", "Waiting on asker", None)]


def test_a_waiting_ping_no_longer_offers_waiting_on_asker():
    assert [action for action, _, _ in buttons(ping_blocks(CONFIG, ticket(**VARIANTS["waiting"])))] == [
        "ticket_acknowledge", "ticket_resolve", "ticket_escalate"]


def test_at_the_lead_there_is_nobody_to_escalate_to():
    assert "ticket_escalate" not in [action for action, _, _ in buttons(ping_blocks(CONFIG, ticket(level="lead")))]


def test_a_resolved_ping_offers_only_reopen():
    blocks = ping_blocks(CONFIG, ticket(**VARIANTS["resolved"]))
    assert buttons(blocks) == [("ticket_reopen", "Reopen", None)]
    assert not [block for block in blocks if str(block.get("block_id", "")).startswith("ticket_handover")]


def test_the_ping_mentions_only_the_people_it_was_sent_to():
    blocks = ping_blocks(CONFIG, ticket(), to=("mikaylagawarecki",), level="area:nn")
    assert "Pinging <@U0MIKAYLA> (nn maintainers)" in blocks[2]["elements"][0]["text"]
    assert "U0ALBAN" not in str(blocks), "someone away is not mentioned"
    assert "<@U0MIKAYLA>" in ping_text(CONFIG, ticket(), ("mikaylagawarecki",))


def test_after_a_climb_the_ping_says_where_the_ticket_is_now():
    blocks = ping_blocks(CONFIG, ticket(level="core"), to=("mikaylagawarecki",), level="area:nn")
    assert "Pinged <@U0MIKAYLA> (nn maintainers) · now with the core maintainers" in str(blocks)


def test_deadlines_under_working_hours_say_so():
    build = TicketService(CONFIG, unit_of_work=None)
    opened = actions.open_ticket(kind=Kind.QUESTION, area="build-ci", asker="U0ASKER", text="Wheels?",
                                 ladder=build.ladder("build-ci"), policy=build.policy("build-ci", Kind.QUESTION),
                                 now=NOW, pingable=build.pingable({})).ticket
    opened.id = 13
    context = ping_blocks(CONFIG, opened)[2]["elements"][0]["text"]
    assert context.endswith("working hours, America/New_York, US holidays off")


def test_an_escalation_has_a_header_of_its_own():
    header = ping_blocks(CONFIG, ticket(kind=Kind.ESCALATION))[0]["text"]["text"]
    assert header == ":rotating_light: #12 · escalation · nn"
