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


def test_the_ping_escapes_the_question_and_offers_the_buttons_while_open():
    blocks = ping_blocks(CONFIG, ticket())
    assert "&lt;!channel&gt;" in blocks[1]["text"]["text"] and "<!channel>" not in str(blocks)
    [actions] = [block for block in blocks if block["type"] == "actions"]
    assert [(button["action_id"], button["text"]["text"]) for button in actions["elements"]] == list(BUTTONS.items())
    assert actions["elements"][0]["style"] == "primary" and "style" not in actions["elements"][1]
    assert "#12 · question · nn" in ping_text(CONFIG, ticket())


def test_a_resolved_ping_has_no_buttons():
    blocks = ping_blocks(CONFIG, ticket(**VARIANTS["resolved"]))
    assert not [block for block in blocks if block["type"] == "actions"]
