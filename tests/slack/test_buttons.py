"""The ping's four buttons and the asker's "I answered", clicked through real signed HTTP."""

import pytest

from bot.domain.ticket import State
from tests.slack.conftest import ASKER, STRANGER, events, ticket

NN_CHANNEL, CORE_CHANNEL = "C0NN", "C0CORE"
MIKAYLA, ALBAN, JOEL, WEIFENG = "U0MIKAYLA", "U0ALBAN", "U0JOEL", "U0WEIFENG"


def asked_in_nn(world):
    """Ticket #1 in nn, its ping delivered to #nn; returns the ping."""
    world.command("/ask", "nn How do I register a forward hook on a ModuleList?")
    world.deliver()
    [ping] = world.workspace.messages(NN_CHANNEL)
    return ping


def click(world, action_id, message, *, user, value="1"):
    request = world.requests.button(action_id, value, user=user, channel=message.channel, message_ts=message.ts,
                                    block_id="ticket_actions")
    return world.send(request)


def dm_texts(world, user):
    channel, _ = world.workspace.open_conversation([user])
    return [message.text for message in world.workspace.messages(channel.id)]


def ephemeral_texts(world, user):
    return [ephemeral.text for ephemeral in world.workspace.ephemerals(user)]


def refreshed(world, ping):
    return world.workspace.message(ping.channel, ping.ts)


def test_acknowledge_marks_the_ticket_updates_the_ping_and_tells_the_asker(world):
    ping = asked_in_nn(world)
    response = click(world, "ticket_acknowledge", ping, user=MIKAYLA)
    assert response.status_code == 200 and response.text == ""
    assert ticket(world).state is State.ACKNOWLEDGED
    assert ticket(world).acknowledged_by == "mikaylagawarecki"
    world.deliver()
    assert [call.params["ts"] for call in world.calls("chat.update")] == [ping.ts]
    assert f"*Acknowledged* by <@{MIKAYLA}>" in str(refreshed(world, ping).blocks)
    assert any(f"<@{MIKAYLA}> acknowledged #1" in text for text in dm_texts(world, ASKER))
    assert ephemeral_texts(world, MIKAYLA) == [], "a click that worked needs no extra message"


def test_resolve_closes_the_ticket_without_a_note_and_leaves_only_reopen(world):
    ping = asked_in_nn(world)
    click(world, "ticket_resolve", ping, user=ALBAN)
    assert ticket(world).state is State.RESOLVED
    assert ticket(world).resolution is None
    world.deliver()
    blocks = refreshed(world, ping).blocks
    assert f"*Resolved* by <@{ALBAN}>" in str(blocks)
    [actions] = [block for block in blocks if block["type"] == "actions"]
    assert [element["text"]["text"] for element in actions["elements"]] == ["Reopen"], "resolved: only Reopen"
    assert any(f"was resolved by <@{ALBAN}>" in text for text in dm_texts(world, ASKER))


def test_escalate_moves_the_ticket_up_and_tells_the_clicker_where_it_went(world):
    ping = asked_in_nn(world)
    click(world, "ticket_escalate", ping, user=JOEL)
    assert ticket(world).level == "core"
    assert events(world)[-1].reason == "by hand from the ping"
    [confirmation] = ephemeral_texts(world, JOEL)
    assert confirmation.startswith("#1 moved up to the core maintainers: pinged <@U0EZYANG>")
    world.deliver()
    [escalation] = world.workspace.messages(CORE_CHANNEL)
    assert "Escalated to the core maintainers" in escalation.text
    assert "waiting for the core maintainers" in str(refreshed(world, ping).blocks)
    assert any("moved up to the core maintainers" in text for text in dm_texts(world, ASKER))


def test_waiting_on_asker_pauses_the_clocks_and_asks_the_asker_for_more(world):
    ping = asked_in_nn(world)
    click(world, "ticket_wait", ping, user=MIKAYLA)
    assert ticket(world).state is State.WAITING
    assert ticket(world).ack_due_at is None and ticket(world).ack_left is not None
    world.deliver()
    assert "*Waiting on the asker*" in str(refreshed(world, ping).blocks)
    [note] = [m for m in world.workspace.messages(world.workspace.open_conversation([ASKER])[0].id)
              if "needs more from you" in m.text]
    assert note.blocks[-1]["elements"][0]["action_id"] == "ticket_replied"


def test_the_asker_pressing_i_answered_restarts_the_clocks_and_tells_the_rung(world):
    ping = asked_in_nn(world)
    click(world, "ticket_wait", ping, user=MIKAYLA)
    world.deliver()
    dm = world.workspace.open_conversation([ASKER])[0]
    [note] = [m for m in world.workspace.messages(dm.id) if "needs more from you" in m.text]
    response = click(world, "ticket_replied", note, user=ASKER)
    assert response.status_code == 200
    assert ticket(world).state is State.OPEN
    assert ticket(world).ack_due_at is not None
    world.deliver()
    thread = world.workspace.thread(NN_CHANNEL, ping.ts)
    assert any("The asker replied on #1" in message.text for message in thread)
    assert ":bell: *Open*" in str(refreshed(world, ping).blocks)


def test_only_the_asker_or_the_ladder_may_press_i_answered(world):
    ping = asked_in_nn(world)
    click(world, "ticket_wait", ping, user=MIKAYLA)
    world.deliver()
    before = (ticket(world), len(events(world)))
    click(world, "ticket_replied", ping, user=STRANGER)
    assert (ticket(world), len(events(world))) == before
    [refusal] = ephemeral_texts(world, STRANGER)
    assert refusal.startswith("Only the asker, the nn maintainers, core maintainers or the lead")


@pytest.mark.parametrize(("action_id", "verb"), [
    ("ticket_acknowledge", "acknowledge #1"),
    ("ticket_resolve", "resolve #1"),
    ("ticket_escalate", "escalate #1"),
    ("ticket_wait", "mark #1 as waiting on the asker"),
])
def test_a_stranger_is_told_who_can_act_and_nothing_changes(world, action_id, verb):
    ping = asked_in_nn(world)
    before = (ticket(world), len(events(world)))
    updates = len(world.calls("chat.update"))
    response = click(world, action_id, ping, user=STRANGER)
    assert response.status_code == 200
    assert (ticket(world), len(events(world))) == before
    [refusal] = world.workspace.ephemerals(STRANGER)
    assert refusal.channel == NN_CHANNEL
    assert "nn maintainers, core maintainers or the lead (<@U0SOUMITH>) can " + verb in refusal.text
    world.deliver()
    assert len(world.calls("chat.update")) == updates
    assert ephemeral_texts(world, ASKER) == []


def test_a_second_acknowledge_is_refused_to_the_second_clicker_only(world):
    ping = asked_in_nn(world)
    click(world, "ticket_acknowledge", ping, user=MIKAYLA)
    click(world, "ticket_acknowledge", ping, user=JOEL)
    assert ticket(world).acknowledged_by == "mikaylagawarecki"
    assert ephemeral_texts(world, JOEL) == [f"#1 is already acknowledged by <@{MIKAYLA}>."]
    assert ephemeral_texts(world, MIKAYLA) == []


def test_a_click_on_a_ping_sent_by_dm_is_answered_in_that_dm(world):
    world.command("/ask", "fsdp FullyShardedDataParallel hangs on init")  # fsdp has no channel: DMs
    world.deliver()
    dm = world.workspace.open_conversation([WEIFENG])[0]
    [ping] = world.workspace.messages(dm.id)
    click(world, "ticket_acknowledge", ping, user=WEIFENG)
    assert ticket(world).state is State.ACKNOWLEDGED
    click(world, "ticket_acknowledge", ping, user=WEIFENG)
    [refusal] = world.workspace.ephemerals(WEIFENG)
    assert refusal.channel == dm.id and "already acknowledged" in refusal.text
    world.deliver()
    assert "*Acknowledged*" in str(world.workspace.message(dm.id, ping.ts).blocks)


def test_a_button_naming_no_ticket_is_answered_privately(world):
    ping = asked_in_nn(world)
    click(world, "ticket_acknowledge", ping, user=MIKAYLA, value="99")
    click(world, "ticket_acknowledge", ping, user=MIKAYLA, value="not-a-number")
    texts = ephemeral_texts(world, MIKAYLA)
    assert texts[0] == "There is no ticket #99."
    assert texts[1].startswith("That button does not name a ticket")
    assert ticket(world).state is State.OPEN
