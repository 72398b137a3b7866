"""The sandbox's user pickers and escaped commands: a users_select offers the workspace's people and
sends the one picked as Slack does (`selected_user`), and a command registered with should_escape
(`/handover`) reaches Upline with its `@name` as `<@U…|name>`."""

from __future__ import annotations

from bot.sandbox.page_api.bot_line import escaped_command_text
from bot.sandbox.page_api.interactions import action_json, state_of
from tests.sandbox.test_page_api import MIKAYLA, NN, page, sandbox, wait_until  # noqa: F401  (fixtures)

ALBAN = "U0ALBAN"
PICKER = {"type": "users_select", "action_id": "ticket_handover",
          "placeholder": {"type": "plain_text", "text": "Hand over to…"}}


def notes_to(page, user: str, channel: str = NN) -> list[str]:  # noqa: F811 (the fixture's name)
    return [message["text"] for message in page.messages(channel, as_=user) if message.get("ephemeral")]


def test_a_users_select_action_carries_the_person_picked_and_its_state():
    action = action_json("ticket_handover:1", PICKER, {"selected_user": ALBAN}, [ALBAN, MIKAYLA])
    assert (action["type"], action["block_id"], action["selected_user"]) == (
        "users_select", "ticket_handover:1", ALBAN)
    assert state_of(action) == {"ticket_handover:1": {"ticket_handover": {"type": "users_select",
                                                                          "selected_user": ALBAN}}}


def test_picking_someone_in_the_pings_picker_hands_the_ticket_over(page):  # noqa: F811
    page.send("/ask nn How do I register a forward hook on a ModuleList?")
    ping = page.ping(1)
    assert page.click(ping, "ticket_handover", as_=MIKAYLA, selected_user=ALBAN) == {"ok": True, "status": 200}
    wait_until(lambda: page.ticket(1).assignee == "albanD", what="#1 handed to Alban")
    assert notes_to(page, MIKAYLA) == [f"#1 handed to <@{ALBAN}>; they and the asker were told."]


def test_a_picker_offers_nobody_outside_the_workspace_and_not_the_bot(page):  # noqa: F811
    page.send("/ask nn How?")
    ping = page.ping(1)
    for nobody in ("U0NOBODY", "U0UPLINE", None):
        body = {"as": MIKAYLA, "channel": NN, "ts": ping["ts"], "action_id": "ticket_handover",
                "block_index": next(index for index, block in enumerate(ping["blocks"])
                                    if block.get("block_id") == "ticket_handover:1"),
                "selected_user": nobody}
        assert page.post("/sandbox/action", body, expect=400)["error"] == (
            f"'ticket_handover' offers nobody called {nobody!r}")
    assert page.ticket(1).assignee is None


def test_handover_typed_on_the_page_reaches_upline_as_slack_escapes_it(page, sandbox):  # noqa: F811
    assert escaped_command_text(sandbox.workspace, "#1 @albanD, see #nn & <this>") == (
        f"#1 <@{ALBAN}|albanD>, see <#C0NN|nn> &amp; &lt;this&gt;")
    page.send("/ask nn How?")
    page.ping(1)
    page.send("/handover #1 @albanD", as_=MIKAYLA)
    wait_until(lambda: page.ticket(1).assignee == "albanD", what="#1 handed to Alban")
    assert notes_to(page, MIKAYLA, "C0GENERAL") == [f"#1 handed to <@{ALBAN}>; they and the asker were told."]
