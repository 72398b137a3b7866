"""App Home through real signed HTTP: what the tab shows, and the away switch changing who is pinged."""

from datetime import UTC, datetime, timedelta

from tests.slack.conftest import ASKER, STRANGER

MIKAYLA, ALBAN, SOUMITH = "U0MIKAYLA", "U0ALBAN", "U0SOUMITH"
MIKAYLA_KEY = "mikaylagawarecki"  # in America/New_York


def open_home(world, user, tab="home"):
    channel, _ = world.workspace.open_conversation([user])
    return world.send(world.requests.event({"type": "app_home_opened", "user": user, "channel": channel.id,
                                            "tab": tab, "event_ts": "1700000000.000100"}))


def home_text(world, user):
    return str(world.workspace.home(user).payload["blocks"])


def on_home(world, user, action):
    """A datepicker or button on the user's App Home, as Slack sends it."""
    view = world.workspace.home(user)
    return world.send(world.requests.interaction({
        "type": "block_actions", "user": {"id": user, "team_id": "T0UPLINE"},
        "container": {"type": "view", "view_id": view.id},
        "view": {**view.payload, "id": view.id, "hash": view.hash},
        "actions": [{"block_id": "away", "action_ts": "1700000001.000200", **action}],
    }))


def pick_away_until(world, user, day):
    return on_home(world, user, {"type": "datepicker", "action_id": "home_away_until", "selected_date": day})


def press_back(world, user):
    return on_home(world, user, {"type": "button", "action_id": "home_back", "value": "back"})


def ask(world, text):
    """What the asker of `/ask` sees: plain text (Bolt sends a bare text answer as text/plain)."""
    response = world.command("/ask", text)
    assert response.status_code == 200
    return response.text


def away(world):
    return world.upline.tickets.away_now(world.clock.now())


def test_home_shows_my_open_asks(world):
    world.command("/ask", "nn How do I register a forward hook on a ModuleList?")
    response = open_home(world, ASKER)
    assert response.status_code == 200
    [call] = world.calls("views.publish")
    assert call.params["user_id"] == ASKER
    blocks = world.workspace.home(ASKER).payload["blocks"]
    asks = next(block["text"]["text"] for block in blocks if "Your open asks" in str(block))
    assert "*#1* How do I register a forward hook on a ModuleList?" in asks
    assert "with the nn maintainers · ack 8h left" in asks
    assert "You maintain no area" in str(blocks)
    assert "home_away_until" not in str(blocks), "askers have nothing to be away from"


def test_home_shows_what_waits_on_me_with_the_time_left_and_my_areas(world):
    world.command("/ask", "nn How?")
    world.advance(timedelta(hours=3))
    open_home(world, ALBAN)
    blocks = world.workspace.home(ALBAN).payload["blocks"]
    waiting = next(block["text"]["text"] for block in blocks if "Waiting on you" in str(block))
    assert "*#1* How? — open, with the nn maintainers · ack 5h left" in waiting
    areas = next(block["text"]["text"] for block in blocks if "Your areas" in str(block))
    assert areas == "*Your areas*\n*nn*, *autograd* · core maintainer"
    assert "home_away_until" in str(blocks)


def test_the_lead_is_told_they_are_the_lead(world):
    open_home(world, SOUMITH)
    assert "the lead" in home_text(world, SOUMITH)


def test_opening_the_messages_tab_publishes_nothing(world):
    assert open_home(world, ASKER, tab="messages").status_code == 200
    assert world.calls("views.publish") == []


def test_away_until_a_date_skips_me_until_the_end_of_that_day_in_my_time_zone(world):
    open_home(world, MIKAYLA)
    response = pick_away_until(world, MIKAYLA, "2026-11-23")  # today, a Monday
    assert response.status_code == 200
    assert away(world) == {MIKAYLA_KEY: datetime(2026, 11, 24, 5, 0, tzinfo=UTC)}  # midnight in New York
    shown = home_text(world, MIKAYLA)
    assert "You are away until" in shown and "home_back" in shown
    assert "'initial_date': '2026-11-23'" in shown
    asked = ask(world, "nn How?")
    assert f"<@{MIKAYLA}>" not in asked and f"<@{ALBAN}>" in asked
    world.advance(timedelta(hours=21))  # Tuesday 06:00 UTC, 01:00 in New York
    assert f"<@{MIKAYLA}>" in ask(world, "nn How, again?")


def test_im_back_ends_being_away_at_once(world):
    open_home(world, MIKAYLA)
    pick_away_until(world, MIKAYLA, "2026-11-27")
    assert MIKAYLA_KEY in away(world)
    assert press_back(world, MIKAYLA).status_code == 200
    assert away(world) == {}
    shown = home_text(world, MIKAYLA)
    assert "You are away" not in shown and "home_back" not in shown
    assert f"<@{MIKAYLA}>" in ask(world, "nn How?")


def test_a_date_in_the_past_is_refused_on_the_tab_and_changes_nothing(world):
    open_home(world, MIKAYLA)
    pick_away_until(world, MIKAYLA, "2026-11-20")
    assert away(world) == {}
    assert "Pick an 'away until' date in the future." in home_text(world, MIKAYLA)
    assert len(world.calls("views.publish")) == 2


def test_everyone_on_a_rung_away_sends_the_question_up(world):
    for user in (MIKAYLA, ALBAN, "U0JOEL"):
        open_home(world, user)
        pick_away_until(world, user, "2026-11-27")
    asked = ask(world, "nn How?")
    assert "(core maintainers)" in asked
    assert f"<@{ALBAN}>" not in asked, "away from nn is away from core too"


def test_a_stranger_sees_an_empty_home(world):
    open_home(world, STRANGER)
    shown = home_text(world, STRANGER)
    assert "_None." in shown and "Nothing: all clear" in shown
