"""Every copy of a ticket tells the truth and names whom it is for: the ping, the #core post, the lead's
DM, one DM per person when a rung has no channel, the asker's DMs — over real HTTP, against the
Web API stand-in, on a fake clock."""

from datetime import timedelta

import pytest

from bot.domain.ticket import State
from tests.slack.conftest import ASKER, REPO, START

NN, CORE = "C0NN", "C0CORE"
MIKAYLA, ALBAN, JOEL = "U0MIKAYLA", "U0ALBAN", "U0JOEL"
CORE_PEOPLE = ["U0EZYANG", "U0GCHANAN", "U0MALFET", "U0NGIMEL"]  # albanD stays on nn's rung, soumith is the lead
LEAD = "U0SOUMITH"
ACK = timedelta(hours=8)  # nn's question ack window (app.yaml)


def visible(message) -> str:
    """What Slack shows of a message with blocks: the blocks' text, not the notification `text`."""
    parts = []
    for block in message.blocks or []:
        if "text" in block and isinstance(block["text"], dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element, dict) and isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


def buttons(message) -> list[str]:
    return [element["text"]["text"] for block in message.blocks or [] if block["type"] == "actions"
            for element in block["elements"] if element["type"] == "button"]


def current(world, message):
    return world.workspace.message(message.channel, message.ts)


def dm_channel(world, user) -> str:
    return world.workspace.open_conversation([user])[0].id


def roots(world, channel):
    return [message for message in world.workspace.history(channel)]


def ask(world, text="nn How do I register a forward hook on a ModuleList?"):
    world.command("/ask", text)
    world.deliver()


def click(world, action_id, message, *, user, value="1"):
    request = world.requests.button(action_id, value, user=user, channel=message.channel, message_ts=message.ts,
                                    block_id="ticket_actions")
    response = world.send(request)
    assert response.status_code == 200
    world.deliver()
    return response


def test_the_core_post_mentions_the_core_maintainers_in_what_slack_shows_and_not_those_away(world):
    world.upline.tickets.set_away("gchanan", START + timedelta(days=7), by="gchanan", now=START)
    ask(world)
    world.advance(ACK)
    [post] = roots(world, CORE)
    shown = visible(post)
    for person in ("U0EZYANG", "U0MALFET", "U0NGIMEL"):
        assert f"<@{person}>" in shown and f"<@{person}>" in post.text
    assert "U0GCHANAN" not in shown + post.text, "someone away is not asked to act"
    assert post.blocks[0]["text"]["text"].startswith(":rotating_light: Escalation · #1")


def test_when_the_ticket_climbs_on_the_core_post_is_updated_and_no_longer_waits_for_the_core(world):
    ask(world)
    world.advance(ACK)
    [post] = roots(world, CORE)
    assert "waiting for the core maintainers to acknowledge" in visible(post)
    world.advance(ACK)
    assert "waiting for the lead to acknowledge" in visible(current(world, post))
    assert "waiting for the core maintainers" not in visible(current(world, post))
    [lead_dm] = [message for message in roots(world, dm_channel(world, LEAD)) if message.blocks]
    assert f"<@{LEAD}>" in visible(lead_dm)
    assert "Escalate" not in buttons(lead_dm), "nobody stands above the lead"


def test_acknowledge_in_the_lead_dm_updates_every_copy(world):
    ask(world)
    world.advance(ACK)
    world.advance(ACK)
    [ping] = roots(world, NN)
    [core_post] = roots(world, CORE)
    [lead_dm] = [message for message in roots(world, dm_channel(world, LEAD)) if message.blocks]
    click(world, "ticket_acknowledge", lead_dm, user=LEAD)
    for copy in (ping, core_post, lead_dm):
        shown = visible(current(world, copy))
        assert f"*Acknowledged* by <@{LEAD}> — they have it" in shown, copy.channel
        assert "Acknowledge" not in buttons(current(world, copy))
    updated = {(call.params["channel"], call.params["ts"]) for call in world.calls("chat.update")}
    assert {(ping.channel, ping.ts), (core_post.channel, core_post.ts), (lead_dm.channel, lead_dm.ts)} <= updated


def test_a_reminder_at_the_core_goes_to_the_core_posts_thread_mentioning_the_core(world):
    ask(world)
    world.advance(ACK)
    [post] = roots(world, CORE)
    world.advance(ACK * 0.5)
    replies = world.workspace.thread(CORE, post.ts)[1:]
    [reminder] = [reply for reply in replies if reply.text.startswith("Reminder")]
    assert all(f"<@{person}>" in reminder.text for person in CORE_PEOPLE)
    ping_thread = world.workspace.thread(NN, roots(world, NN)[0].ts)[1:]
    assert not [reply for reply in ping_thread if reply.text.startswith("Reminder") and "U0EZYANG" in reply.text]


def test_the_resolve_breach_notice_mentions_whom_it_is_for(world):
    ask(world)
    click(world, "ticket_acknowledge", roots(world, NN)[0], user=MIKAYLA)
    world.advance(timedelta(days=7))
    [notice] = roots(world, CORE)
    assert notice.blocks[0]["text"]["text"].startswith(":alarm_clock: Overdue · #1")
    assert all(f"<@{person}>" in visible(notice) for person in CORE_PEOPLE)


def test_a_stale_button_is_answered_with_the_state_and_who_acted(world):
    ask(world)
    [ping] = roots(world, NN)
    click(world, "ticket_acknowledge", ping, user=MIKAYLA)
    click(world, "ticket_acknowledge", ping, user=ALBAN)  # an old copy of the message, say
    [answer] = [ephemeral.text for ephemeral in world.workspace.ephemerals(ALBAN)]
    assert "already acknowledged" in answer and f"<@{MIKAYLA}>" in answer


def test_the_asker_dm_links_the_ping_and_loses_i_answered_once_answered(world):
    ask(world)
    [ping] = roots(world, NN)
    click(world, "ticket_wait", ping, user=MIKAYLA)
    [note] = [message for message in roots(world, dm_channel(world, ASKER)) if "needs more from you" in message.text]
    assert buttons(note) == ["I answered"]
    assert f"<@{MIKAYLA}>" in visible(note)
    assert f"/archives/{NN}/p{ping.ts.replace('.', '')}|Open the ping>" in visible(note)
    click(world, "ticket_replied", note, user=ASKER)
    assert buttons(current(world, note)) == []
    assert "You answered" in visible(current(world, note))


def test_the_resolved_dm_offers_reopen_until_it_is_reopened(world):
    ask(world)
    [ping] = roots(world, NN)
    click(world, "ticket_resolve", ping, user=ALBAN)
    [note] = [message for message in roots(world, dm_channel(world, ASKER)) if "was resolved" in message.text]
    assert buttons(note) == ["Reopen"]
    with world.upline.unit_of_work(read_only=True) as uow:
        assert uow.tickets.get(1).state is State.RESOLVED
    world.upline.tickets.reopen(1, by=ASKER, now=world.clock.now())
    world.deliver()
    assert buttons(current(world, note)) == []
    assert "Reopened since" in visible(current(world, note))


class TestARungWithoutAChannel:
    """The core without a channel: each core maintainer gets a DM, and every one of them is kept current."""

    @pytest.fixture
    def world_config(self):
        from bot.config import load_config_file

        config = load_config_file(REPO / "app.yaml").config
        return config.model_copy(update={"core": config.core.model_copy(update={"channel": None})})

    def test_every_dm_is_updated_not_only_the_first(self, world):
        ask(world)
        world.advance(ACK)
        posts = []
        for person in CORE_PEOPLE:
            [post] = [message for message in roots(world, dm_channel(world, person)) if message.blocks]
            assert f"<@{person}>" in visible(post)
            posts.append(post)
        click(world, "ticket_acknowledge", posts[-1], user=CORE_PEOPLE[-1])
        for post in posts:
            assert f"*Acknowledged* by <@{CORE_PEOPLE[-1]}>" in visible(current(world, post)), post.channel

    def test_a_reminder_reaches_each_core_maintainer_in_their_own_dm_thread(self, world):
        ask(world)
        world.advance(ACK)
        world.advance(ACK * 0.5)
        for person in CORE_PEOPLE:
            channel = dm_channel(world, person)
            [post] = [message for message in roots(world, channel) if message.blocks]
            assert any(reply.text.startswith("Reminder") for reply in world.workspace.thread(channel, post.ts)[1:])


def test_whoever_a_ticket_is_handed_to_gets_it_by_dm_with_its_buttons_kept_current(world):
    ask(world)
    world.upline.tickets.reassign(1, by=MIKAYLA, now=world.clock.now(), to_person=JOEL)
    world.deliver()
    [handed] = [message for message in roots(world, dm_channel(world, JOEL)) if message.blocks]
    assert handed.blocks[0]["text"]["text"].startswith(":handshake: Handed over · #1")
    assert f"Handed to you by <@{MIKAYLA}>" in visible(handed) and f"<@{JOEL}>" in visible(handed)
    assert "Acknowledge" in buttons(handed)
    click(world, "ticket_acknowledge", handed, user=JOEL)
    assert f"*Acknowledged* by <@{JOEL}>" in visible(current(world, handed))
    assert "Acknowledge" not in buttons(current(world, handed))


def test_a_button_left_on_an_old_copy_of_a_resolved_ticket_says_who_resolved_it(world):
    ask(world)
    [ping] = roots(world, NN)
    click(world, "ticket_resolve", ping, user=ALBAN)
    click(world, "ticket_escalate", ping, user=MIKAYLA)  # a copy of the ping from before, still with Escalate
    [answer] = [ephemeral.text for ephemeral in world.workspace.ephemerals(MIKAYLA)]
    assert answer == f"#1 was resolved by <@{ALBAN}>: reopen it before escalating it."
