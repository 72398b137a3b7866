"""`/status` and `/status #N`: people as mentions, and a history that says when a deadline was late."""

from datetime import timedelta

from handlers.views.text import when
from tests.slack.conftest import START
from tests.slack.test_commands import answer

NN_CHANNEL = "C0NN"
MIKAYLA, JOEL = "U0MIKAYLA", "U0JOEL"


def test_status_names_who_has_a_ticket_as_a_mention(world):
    world.command("/ask", "nn How?")
    world.command("/ack", "#1", user=MIKAYLA)
    mine = str(answer(world.command("/status", ""))["blocks"])
    assert f"acknowledged, with <@{MIKAYLA}>" in mine
    world.command("/handover", f"#1 <@{JOEL}>", user=MIKAYLA)
    one = str(answer(world.command("/status", "#1"))["blocks"])
    assert f"Handed to <@{JOEL}>" in one
    assert f"handed to <@{JOEL}> by <@{MIKAYLA}>" in one
    assert "jbschlosser" not in one and "mikaylagawarecki" not in one


def test_deadlines_passed_while_upline_was_down_are_marked_late_and_their_reminders_skipped(world):
    world.command("/ask", "nn How?")  # nn: ack 8h, reminders at 50% and 90%
    world.deliver()
    [ping] = world.workspace.messages(NN_CHANNEL)
    world.advance(timedelta(hours=8, minutes=21))  # nothing ran at 13:00, 16:12 or 17:00
    history = answer(world.command("/status", "#1"))["blocks"][-1]["text"]["text"]
    assert (f"escalated to the core maintainers by Upline: no acknowledgement within 8h "
            f"· due {when(START + timedelta(hours=8))} · Upline was not running") in history
    assert (f"reminder to the nn maintainers not sent: the ack window had already run out "
            f"· due {when(START + timedelta(hours=4))} · Upline was not running") in history
    assert history.count("not sent") == 2
    thread = world.workspace.thread(NN_CHANNEL, ping.ts)
    assert not [message for message in thread if "Reminder" in message.text], "no reminder is sent late"
