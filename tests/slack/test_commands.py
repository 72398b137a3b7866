"""Every slash command and the @mention, through real signed HTTP, with Slack's side checked too."""

from datetime import timedelta

from tests.slack.conftest import ASKER, STRANGER

NN_CHANNEL, CORE_CHANNEL = "C0NN", "C0CORE"
MIKAYLA, ALBAN, SOUMITH, EZYANG = "U0MIKAYLA", "U0ALBAN", "U0SOUMITH", "U0EZYANG"


def answer(response) -> dict:
    """What the person who typed the command sees: Bolt answers plain text, or JSON with blocks."""
    assert response.status_code == 200
    if response.headers["content-type"].startswith("application/json"):
        return response.json()
    return {"text": response.text}


def ticket(world, number):
    with world.upline.unit_of_work(read_only=True) as uow:
        return uow.tickets.get(number)


def events(world, number):
    with world.upline.unit_of_work(read_only=True) as uow:
        return [event.kind for event in uow.events.for_ticket(number)]


def test_ask_answers_with_the_ticket_number_and_who_was_pinged(world):
    response = world.command("/ask", "nn How do I register a forward hook on a ModuleList?")
    assert response.status_code == 200
    body = answer(response)["text"]
    assert "*#1* opened in *nn*" in body
    assert f"<@{MIKAYLA}> <@{ALBAN}> <@U0JOEL>" in body
    world.deliver()
    [ping] = world.workspace.messages(NN_CHANNEL)
    assert ping.blocks[0]["text"]["text"] == "#1 · question · nn"
    [buttons] = [block for block in ping.blocks if block.get("block_id") == "ticket_actions"]
    labels = [element["text"]["text"] for element in buttons["elements"]]
    assert labels == ["Acknowledge", "Resolve", "Escalate", "Waiting on asker"]
    assert "<!date^" in ping.blocks[2]["elements"][0]["text"]  # deadlines in each reader's time


def test_ask_finds_the_area_from_a_file_path(world):
    body = answer(world.command("/ask", "why does torch/optim/adam.py allocate twice?"))["text"]
    assert "opened in *optim*" in body and "torch/optim/adam.py" in body


def test_ask_with_an_unknown_area_offers_the_closest_and_opens_nothing(world):
    body = answer(world.command("/ask", "optimm adam is slow"))
    assert "Did you mean *optim*" in body["text"]
    buttons = body["blocks"][1]["elements"]
    assert buttons[0]["action_id"] == "ask_pick_area:optim"
    assert ticket(world, 1) is None


def test_user_text_cannot_notify_the_whole_channel(world):
    world.command("/ask", "nn <!channel> <!here> <!everyone> please look")
    world.deliver()
    [ping] = world.workspace.messages(NN_CHANNEL)
    question = ping.blocks[1]["text"]["text"]
    assert "<!channel>" not in question and "&lt;!channel&gt;" in question
    assert "<!here>" not in question and "<!everyone>" not in question


def test_a_40000_character_question_gets_a_clear_answer(world):
    response = world.command("/ask", "nn " + "x" * 40_000)
    assert response.status_code == 200
    assert "Upline takes up to 12,000" in answer(response)["text"]
    assert ticket(world, 1) is None


def test_a_long_question_is_cut_in_the_ping_and_whole_in_its_thread(world):
    question = " ".join(["word"] * 1500)  # 7,499 characters
    world.command("/ask", f"nn {question}")
    world.deliver()
    ping, *thread = world.workspace.messages(NN_CHANNEL)
    assert "full text is in the thread" in ping.blocks[1]["text"]["text"]
    assert "".join(message.text for message in thread) == question


def test_escalate_opens_an_escalation_with_its_own_sla(world):
    body = answer(world.command("/escalate", "nn We need a decision on the hook API"))["text"]
    assert "(escalation)" in body
    assert ticket(world, 1).policy.ack == timedelta(hours=4)


def test_escalate_by_number_moves_the_ticket_up_one_rung(world):
    world.command("/ask", "nn How?")
    body = answer(world.command("/escalate", "#1 nobody answered", user=ALBAN))["text"]
    assert "#1 moved up to the core maintainers" in body
    assert ticket(world, 1).level == "core"
    world.deliver()
    [escalation] = world.workspace.messages(CORE_CHANNEL)
    assert "nobody answered" in str(escalation.blocks)


def test_ack_and_resolve_commands_and_the_asker_hears_each(world):
    world.command("/ask", "nn How?")
    assert "You have #1" in answer(world.command("/ack", "#1", user=MIKAYLA))["text"]
    assert "resolved with your note" in answer(world.command("/resolve", "#1 use a hook", user=MIKAYLA))["text"]
    world.deliver()
    dms = [call.params["text"] for call in world.calls("chat.postMessage") if call.params["channel"].startswith("D")]
    assert any("acknowledged" in text for text in dms)
    assert any("resolved" in text and "use a hook" in text for text in dms)
    assert world.calls("chat.update"), "the ping is updated in place"


def test_a_stranger_cannot_ack_and_nothing_changes(world):
    world.command("/ask", "nn How?")
    before = events(world, 1)
    body = answer(world.command("/ack", "#1", user=STRANGER))["text"]
    assert body.startswith("Only the nn maintainers, core maintainers or the lead")
    assert events(world, 1) == before


def test_commands_without_a_ticket_number_show_their_usage(world):
    assert "`/ack #12`" in answer(world.command("/ack", "please"))["text"]
    assert "There is no ticket #99" in answer(world.command("/resolve", "#99"))["text"]


def test_status_lists_my_asks_and_what_waits_on_me(world):
    world.command("/ask", "nn How?")
    mine = answer(world.command("/status", ""))
    assert "#1" in str(mine["blocks"][0])
    waiting = answer(world.command("/status", "", user=MIKAYLA))
    assert "#1" in str(waiting["blocks"][1])
    one = answer(world.command("/status", "#1"))
    assert one["blocks"][0]["text"]["text"] == "#1 · question · nn"
    assert "asked by" in str(one["blocks"])


def test_who_shows_the_ladder_and_who_is_away(world):
    world.upline.tickets.set_away("U0JOEL", world.clock.now() + timedelta(days=2), by="U0JOEL",
                                  now=world.clock.now())
    text = answer(world.command("/who", "torch.nn"))["text"]
    assert "1. nn maintainers" in text and "(away until" in text
    assert "3. lead core maintainer" in text
    assert "Did you mean `nn`?" in answer(world.command("/who", "nnn"))["text"]
    nothing_close = answer(world.command("/who", "zzz"))["text"]
    assert nothing_close.startswith("There is no area 'zzz'. The areas are `nn`, `optim`")


def test_full_breach_path_area_then_core_then_lead(world):
    world.command("/ask", "nn How?")
    world.deliver()
    world.advance(timedelta(hours=4))  # half of nn's 8h ack window: a reminder in the ping's thread
    [reminder] = [message for message in world.workspace.messages(NN_CHANNEL) if message.thread_ts]
    assert "Reminder" in reminder.text
    world.advance(timedelta(hours=4))  # nn's window is over: core
    assert ticket(world, 1).level == "core"
    [escalation] = world.workspace.messages(CORE_CHANNEL)
    assert "Escalated to the core maintainers" in str(escalation.blocks)
    assert "/archives/C0NN/" in str(escalation.blocks)  # a link to the original ping
    world.advance(timedelta(days=1))  # core's window is over: the lead, by DM
    assert ticket(world, 1).level == "lead"
    lead_dm = [call for call in world.calls("chat.postMessage")
               if call.params["channel"].startswith("D") and "lead" in call.params.get("text", "")]
    assert lead_dm
    assert events(world, 1).count("escalated") == 2


def test_rate_limited_and_failing_web_api_calls_are_delivered_later(world):
    world.workspace.fail_next("chat.postMessage", status=429, retry_after=30)
    world.command("/ask", "nn How?")
    world.deliver()
    assert world.workspace.messages(NN_CHANNEL) == []
    world.advance(timedelta(seconds=31))
    assert len(world.workspace.messages(NN_CHANNEL)) == 1
    world.workspace.fail_next("chat.update", status=500, retry_after=None, times=2)
    world.command("/ack", "#1", user=MIKAYLA)
    for _ in range(4):
        world.advance(timedelta(minutes=1))
    assert world.workspace.messages(NN_CHANNEL)[0].blocks[3]["text"]["text"].startswith(":eyes: *Acknowledged*")


def test_mention_ask_links_the_thread_and_a_reply_there_ends_waiting(world):
    event = {"type": "app_mention", "user": ASKER, "channel": "C0GENERAL", "ts": "1700000000.000100",
             "text": "<@U0UPLINE> ask nn Why is my hook not called?"}
    assert world.send(world.requests.event(event)).status_code == 200
    assert ticket(world, 1).area == "nn"
    world.command("/ack", "#1", user=MIKAYLA)
    world.send(world.requests.interaction({
        "type": "block_actions", "user": {"id": MIKAYLA}, "channel": {"id": NN_CHANNEL},
        "container": {"type": "message", "channel_id": NN_CHANNEL, "message_ts": "1"},
        "actions": [{"type": "button", "action_id": "ticket_wait", "block_id": "ticket_actions", "value": "1",
                     "action_ts": "1"}]}))
    assert ticket(world, 1).state.value == "waiting"
    reply = {"type": "message", "user": ASKER, "channel": "C0GENERAL", "ts": "1700000001.000200",
             "thread_ts": "1700000000.000100", "text": "I use register_forward_hook"}
    world.send(world.requests.event(reply))
    assert ticket(world, 1).state.value == "acknowledged"


def test_a_retried_event_is_processed_once(world):
    event = {"type": "app_mention", "user": ASKER, "channel": "C0GENERAL", "ts": "1700000000.000100",
             "text": "<@U0UPLINE> ask nn Why?"}
    world.send(world.requests.event(event, event_id="Ev0SAME"))
    world.send(world.requests.event(event, event_id="Ev0SAME", retry=1))
    assert ticket(world, 1) is not None and ticket(world, 2) is None


def test_ask_with_no_text_opens_the_ask_form(world):
    assert world.command("/ask", "").status_code == 200
    [opened] = world.calls("views.open")
    assert opened.params["view"]["callback_id"] == "ask_modal"
    assert world.workspace.modal_stack(ASKER)


def test_escalate_with_no_text_opens_the_form_set_to_escalation(world):
    world.command("/escalate", "")
    [opened] = world.calls("views.open")
    kind = opened.params["view"]["blocks"][1]["element"]["initial_option"]["value"]
    assert kind == "escalation"
