"""`/handover #N @person` and the ping's user picker, through real signed HTTP."""

import pytest

from bot.domain.ticket import State
from tests.slack.conftest import ASKER, STRANGER, events, ticket

NN_CHANNEL = "C0NN"
MIKAYLA, ALBAN, JOEL, EZYANG, JANE = "U0MIKAYLA", "U0ALBAN", "U0JOEL", "U0EZYANG", "U0JANE"
USAGE = ("Who should have #1? Write it as `/handover #12 @person`, picking the person from the list Slack "
         "offers when you type @, so that it names them.")


def answer(response) -> str:
    assert response.status_code == 200
    return response.text


def dm_texts(world, user):
    """What each DM to `user` reads: its text and, where it has them, its blocks."""
    channel, _ = world.workspace.open_conversation([user])
    return [message.text + str(message.blocks or "") for message in world.workspace.messages(channel.id)]


def ephemeral_texts(world, user):
    return [ephemeral.text for ephemeral in world.workspace.ephemerals(user)]


def asked_in_nn(world):
    """Ticket #1 in nn, acknowledged by Mikayla, its ping in #nn; returns the ping."""
    world.command("/ask", "nn How do I register a forward hook on a ModuleList?")
    world.deliver()
    world.command("/ack", "#1", user=MIKAYLA)
    world.deliver()
    [ping] = world.workspace.messages(NN_CHANNEL)
    return ping


def pick(world, message, person, *, user, block_id="ticket_handover:1"):
    return world.send(world.requests.user_picked("ticket_handover", person, user=user, channel=message.channel,
                                                 message_ts=message.ts, block_id=block_id))


def test_handover_with_an_escaped_mention_moves_the_ticket_and_tells_both(world):
    asked_in_nn(world)
    body = answer(world.command("/handover", f"#1 <@{EZYANG}|ezyang>", user=MIKAYLA))
    assert body == f"#1 handed to <@{EZYANG}>; they and the asker were told."
    after = ticket(world)
    assert (after.assignee, after.level, after.state, after.acknowledged_by) == ("ezyang", "core", State.OPEN, None)
    assert events(world)[-1].kind == "reassigned"
    world.deliver()
    assert any(f"Handed to you by <@{MIKAYLA}>" in text for text in dm_texts(world, EZYANG))
    assert any(f"handed #1 · question · nn to <@{EZYANG}>" in text for text in dm_texts(world, ASKER))


def test_handover_accepts_a_mention_without_a_name(world):
    asked_in_nn(world)
    body = answer(world.command("/handover", f"#1 <@{JOEL}>", user=MIKAYLA))
    assert body == f"#1 handed to <@{JOEL}>; they and the asker were told."
    assert ticket(world).assignee == "jbschlosser"


def test_picking_a_person_on_the_ping_hands_it_over_and_tells_the_picker(world):
    ping = asked_in_nn(world)
    response = pick(world, ping, ALBAN, user=MIKAYLA)
    assert response.status_code == 200 and response.text == ""
    assert ticket(world).assignee == "albanD"
    assert ephemeral_texts(world, MIKAYLA) == [f"#1 handed to <@{ALBAN}>; they and the asker were told."]
    world.deliver()
    assert any(f"Handed to you by <@{MIKAYLA}>" in text for text in dm_texts(world, ALBAN))


def test_handing_to_someone_off_the_ladder_is_refused_and_changes_nothing(world):
    ping = asked_in_nn(world)
    before = (ticket(world), len(events(world)))
    refusal = answer(world.command("/handover", f"#1 <@{JANE}|janeyx99>", user=MIKAYLA))
    assert "is not on the ladder of #1" in refusal
    pick(world, ping, JANE, user=MIKAYLA)
    [picked_refusal] = ephemeral_texts(world, MIKAYLA)
    assert "is not on the ladder of #1" in picked_refusal
    assert (ticket(world), len(events(world))) == before


def test_a_stranger_cannot_hand_a_ticket_over(world):
    ping = asked_in_nn(world)
    pick(world, ping, ALBAN, user=STRANGER)
    [refusal] = ephemeral_texts(world, STRANGER)
    assert "can reassign #1" in refusal
    assert ticket(world).assignee == "mikaylagawarecki"


@pytest.mark.parametrize(("text", "expected"), [
    ("#1 albanD", USAGE),
    ("#1 @albanD", USAGE),
    ("#1", USAGE),
    (f"#1 <@{ALBAN}|albanD> <@{JOEL}>", USAGE),
    (f"<@{ALBAN}|albanD>", "Which ticket? Write it as `/handover #12 @person`."),
    ("", "Which ticket? Write it as `/handover #12 @person`."),
])
def test_handover_without_a_ticket_or_a_person_shows_the_usage(world, text, expected):
    asked_in_nn(world)
    before = len(events(world))
    assert answer(world.command("/handover", text, user=MIKAYLA)) == expected
    assert len(events(world)) == before


def test_a_picker_that_names_no_ticket_is_answered_privately(world):
    ping = asked_in_nn(world)
    pick(world, ping, ALBAN, user=MIKAYLA, block_id="ticket_handover:x")
    pick(world, ping, ALBAN, user=MIKAYLA, block_id="ticket_handover:99")
    assert ephemeral_texts(world, MIKAYLA) == ["That picker does not name a ticket; use `/status` to find it.",
                                               "There is no ticket #99."]
