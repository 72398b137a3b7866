"""`/reopen #N [why]` and the Reopen button, through real signed HTTP."""

from bot.domain.ticket import State
from tests.slack.conftest import ASKER, STRANGER, events, ticket

NN_CHANNEL, GENERAL = "C0NN", "C0GENERAL"
MIKAYLA, ALBAN, JOEL, SOUMITH = "U0MIKAYLA", "U0ALBAN", "U0JOEL", "U0SOUMITH"
PINGED = f"<@{MIKAYLA}> <@{ALBAN}> <@{JOEL}>"


def answer(response) -> dict:
    """What the person who typed the command sees: plain text, or JSON with blocks."""
    assert response.status_code == 200
    return response.json() if response.headers["content-type"].startswith("application/json") else {
        "text": response.text}


def click(world, action_id, message, *, user, value="1"):
    return world.send(world.requests.button(action_id, value, user=user, channel=message.channel,
                                            message_ts=message.ts, block_id="ticket_actions"))


def ephemeral_texts(world, user):
    return [ephemeral.text for ephemeral in world.workspace.ephemerals(user)]


def dm_texts(world, user):
    channel, _ = world.workspace.open_conversation([user])
    return [message.text for message in world.workspace.messages(channel.id)]


def resolved_in_nn(world):
    """Ticket #1 in nn, pinged in #nn and resolved by Mikayla; returns the ping."""
    world.command("/ask", "nn How do I register a forward hook on a ModuleList?")
    world.deliver()
    [ping] = world.workspace.messages(NN_CHANNEL)
    world.command("/resolve", "#1 use register_forward_hook", user=MIKAYLA)
    world.deliver()
    return ping


def reopen_button(blocks):
    return [element for block in blocks if block["type"] == "actions" for element in block["elements"]
            if element["action_id"] == "ticket_reopen"]


def test_reopen_opens_a_resolved_ticket_again_and_pings_its_rung_again(world):
    ping = resolved_in_nn(world)
    body = answer(world.command("/reopen", "#1 still crashes on 2.5"))["text"]
    assert body == f"#1 is open again with the nn maintainers: pinged {PINGED}."
    after = ticket(world)
    assert (after.state, after.level, after.resolved_by, after.ack_due_at is not None) == (
        State.OPEN, "area:nn", None, True)
    assert (events(world)[-1].kind, events(world)[-1].reason) == ("reopened", "still crashes on 2.5")
    world.deliver()
    thread = world.workspace.thread(NN_CHANNEL, ping.ts)
    assert any(message.text == f"#1 was reopened: still crashes on 2.5 — {PINGED}" for message in thread)
    assert ":bell: *Open*" in str(world.workspace.message(ping.channel, ping.ts).blocks)
    top_level = [message for message in world.workspace.messages(NN_CHANNEL) if not message.thread_ts]
    assert top_level == [world.workspace.message(ping.channel, ping.ts)], "the same ping, brought up to date"


def test_someone_else_reopening_is_told_that_the_asker_heard(world):
    resolved_in_nn(world)
    body = answer(world.command("/reopen", "#1", user=SOUMITH))["text"]
    assert body.endswith(". The asker was told.")
    assert events(world)[-1].reason is None
    world.deliver()
    assert any(f"<@{SOUMITH}> reopened #1" in text for text in dm_texts(world, ASKER))


def test_reopening_an_open_ticket_is_refused_and_changes_nothing(world):
    world.command("/ask", "nn How?")
    before = (ticket(world), len(events(world)))
    body = answer(world.command("/reopen", "#1 please"))["text"]
    assert body == "#1 is not resolved, so there is nothing to reopen."
    assert (ticket(world), len(events(world))) == before


def test_reopen_without_a_ticket_shows_the_usage(world):
    assert answer(world.command("/reopen", "it is broken again"))["text"] == (
        "Which ticket? Write it as `/reopen #12 why it is not done`.")
    assert answer(world.command("/reopen", "#99"))["text"] == "There is no ticket #99."


def test_status_of_a_resolved_ticket_offers_reopen_and_the_button_reopens_it(world):
    world.command("/ask", "nn How?")
    assert reopen_button(answer(world.command("/status", "#1"))["blocks"]) == [], "an open ticket has no Reopen"
    world.command("/resolve", "#1", user=MIKAYLA)
    [button] = reopen_button(answer(world.command("/status", "#1"))["blocks"])
    assert (button["text"]["text"], button["value"]) == ("Reopen", "1")
    request = world.requests.button("ticket_reopen", button["value"], user=ASKER, channel=GENERAL,
                                    message_ts="1700000000.000100", block_id="ticket_status_actions")
    response = world.send(request)
    assert response.status_code == 200 and response.text == ""
    assert ticket(world).state is State.OPEN
    [confirmation] = world.workspace.ephemerals(ASKER)
    assert confirmation.channel == GENERAL
    assert confirmation.text == f"#1 is open again with the nn maintainers: pinged {PINGED}."


def test_a_reopen_click_by_someone_who_may_not_is_refused_privately(world):
    ping = resolved_in_nn(world)
    before = (ticket(world), len(events(world)))
    click(world, "ticket_reopen", ping, user=STRANGER)
    assert (ticket(world), len(events(world))) == before
    [refusal] = ephemeral_texts(world, STRANGER)
    assert refusal.startswith("Only the asker, the core maintainers or the lead") and "can reopen #1" in refusal


def test_a_stale_reopen_click_on_an_open_ticket_changes_nothing(world):
    ping = resolved_in_nn(world)
    click(world, "ticket_reopen", ping, user=ASKER)
    click(world, "ticket_reopen", ping, user=ASKER)
    assert [event.kind for event in events(world)].count("reopened") == 1
    first, second = ephemeral_texts(world, ASKER)
    assert first.startswith("#1 is open again")
    assert second == "#1 is not resolved, so there is nothing to reopen."


def test_the_asker_pressing_reopen_on_their_resolved_dm_reopens_it_and_is_answered_there(world):
    resolved_in_nn(world)
    dm, _ = world.workspace.open_conversation([ASKER])
    [note] = [message for message in world.workspace.messages(dm.id) if "was resolved" in message.text]
    [button] = reopen_button(note.blocks)
    request = world.requests.button("ticket_reopen", button["value"], user=ASKER, channel=dm.id, message_ts=note.ts,
                                    block_id=note.blocks[-1].get("block_id", "asker_actions"))
    assert world.send(request).status_code == 200
    assert ticket(world).state is State.OPEN
    [confirmation] = world.workspace.ephemerals(ASKER)
    assert confirmation.channel == dm.id and confirmation.text.startswith("#1 is open again")
