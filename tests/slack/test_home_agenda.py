"""App Home's triage agenda through real signed HTTP: a core maintainer acknowledges a breached ticket
from it, the lead approves or rejects from it, and anyone else never sees it."""

import json
from datetime import timedelta

from handlers.views.decision_actions import LEAD_APPROVE, LEAD_REJECT
from tests.slack.conftest import ASKER, STRANGER, ticket
from tests.slack.test_decision_modals import at_the_lead
from tests.slack.test_home import open_home
from tests.slack.test_vote_commands import ALBAN, JANE, SOUMITH


def home_blocks(world, user):
    return world.workspace.home(user).payload["blocks"]


def agenda_part(blocks, title, until):
    """The blocks from the section titled `title` up to the one titled `until`."""
    start = next(index for index, block in enumerate(blocks) if title in str(block.get("text", "")))
    end = next(index for index in range(start + 1, len(blocks)) if until in str(blocks[index].get("text", "")))
    return blocks[start:end]


def buttons(blocks) -> list[tuple[str, str]]:
    return [(element["action_id"], element["value"]) for block in blocks if block["type"] == "actions"
            for element in block["elements"]]


def click(world, user, block_id, action_id, value):
    view = world.workspace.home(user)
    return world.send(world.requests.interaction({
        "type": "block_actions", "user": {"id": user, "team_id": "T0UPLINE"},
        "container": {"type": "view", "view_id": view.id},
        "view": {**view.payload, "id": view.id, "hash": view.hash},
        "actions": [{"type": "button", "block_id": block_id, "action_id": action_id, "value": value,
                     "action_ts": "1700000001.000200"}],
    }))


def test_a_core_maintainer_acknowledges_a_breached_ticket_from_the_agenda(world):
    world.command("/ask", "nn <!channel> How do I register a hook?")
    world.advance(timedelta(hours=9))  # nn's ack window is 8h: the sweeper sends it to the core
    assert ticket(world).level == "core"
    open_home(world, ALBAN)
    breached = agenda_part(home_blocks(world, ALBAN), "Breached", "Undecided")
    assert breached[1]["text"]["text"] == (
        "• *#1* nn · &lt;!channel&gt; How do I register a hook? — with the core maintainers, nobody holds it "
        "· ack missed, overdue 1h")
    assert ("ticket_acknowledge", "1") in buttons(breached)
    assert breached[2]["block_id"] == "agenda:breached:1"

    assert click(world, ALBAN, "agenda:breached:1", "ticket_acknowledge", "1").status_code == 200
    assert ticket(world).acknowledged_by == "albanD"
    blocks = home_blocks(world, ALBAN)
    assert blocks[1]["text"]["text"] == "#1: you acknowledged it."
    breached = agenda_part(blocks, "Breached", "Undecided")
    assert "held by <@U0ALBAN>" in breached[1]["text"]["text"]
    assert ("ticket_acknowledge", "1") not in buttons(breached)
    assert ("ticket_resolve", "1") in buttons(breached)
    assert world.workspace.ephemerals(ALBAN) == []


def test_resolving_from_the_agenda_takes_the_ticket_off_it(world):
    world.command("/ask", "nn How?")
    world.advance(timedelta(hours=9))
    open_home(world, ALBAN)
    click(world, ALBAN, "agenda:breached:1", "ticket_resolve", "1")
    assert ticket(world).resolved_by == "albanD"
    breached = agenda_part(home_blocks(world, ALBAN), "Breached", "Undecided")
    assert "Nothing: every promise kept" in breached[0]["text"]["text"]


def test_the_lead_sees_a_decision_waiting_on_them_with_approve_and_reject(world):
    at_the_lead(world)
    open_home(world, SOUMITH)
    lead = agenda_part(home_blocks(world, SOUMITH), "Waiting on the lead", "Votes waiting on you")
    assert "• *#1* nn · Deprecate nn.Container — with the lead since" in lead[1]["text"]["text"]
    assert buttons(lead) == [(LEAD_APPROVE, "1"), (LEAD_REJECT, "1")]
    click(world, SOUMITH, "agenda:for_lead:1", LEAD_APPROVE, "1")
    [call] = world.calls("views.open")
    assert json.loads(call.params["view"]["private_metadata"]) == {"decision": 1, "round": 3, "dispute": 0,
                                                                   "verb": "approve", "home": True}


def test_a_core_maintainer_sees_what_waits_on_the_lead_without_the_leads_buttons(world):
    at_the_lead(world)
    open_home(world, ALBAN)
    lead = agenda_part(home_blocks(world, ALBAN), "Waiting on the lead", "Votes waiting on you")
    assert "*#1*" in lead[1]["text"]["text"]
    assert buttons(lead) == []


def test_nobody_outside_the_core_sees_the_agenda(world):
    world.command("/ask", "nn How?")
    world.advance(timedelta(hours=9))
    for user in (ASKER, STRANGER, JANE):  # Jane maintains optim, not the core
        open_home(world, user)
        shown = str(home_blocks(world, user))
        assert "Triage agenda" not in shown and "Breached" not in shown and "agenda:" not in shown
