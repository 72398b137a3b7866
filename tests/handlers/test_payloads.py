"""Reading payload fields: the field as Upline uses it, or `Unreadable` — never a KeyError."""

import pytest

from bot.domain.errors import UserError
from handlers.payloads import (
    Unreadable,
    clean,
    clicked_in,
    clicker,
    command_text,
    command_user,
    event_id,
    event_thread,
    form_option,
    form_text,
    form_values,
    selected_option,
    slack_id,
)

JUNK = [None, 7, 1.5, True, [], ["U0ALBAN"], {}, "", "u0alban", "U0 ALBAN", "U0ALBAN\x00", "U" * 41]


def test_control_characters_are_removed_but_newlines_and_tabs_kept():
    assert clean("a\x00b\x07c\x1bd\x7fe\x9ff") == "abcdef"
    assert clean("line one\r\nline two\n\tindented") == "line one\nline two\n\tindented"
    assert clean("lone \ud800 surrogate") == "lone  surrogate", "no database stores half a character"
    assert clean("emoji 👩‍💻 keep their joiners") == "emoji 👩‍💻 keep their joiners"


@pytest.mark.parametrize("value", JUNK)
def test_an_id_of_impossible_shape_is_unreadable(value):
    with pytest.raises(Unreadable, match="its user ID is not one Slack issues"):
        slack_id(value, "user")


def test_unreadable_is_a_user_error_that_says_nothing_was_done():
    error = Unreadable("its user ID is not one Slack issues")
    assert isinstance(error, UserError)
    assert str(error) == "That request could not be read (its user ID is not one Slack issues), so nothing was done."


def test_the_clicker_and_where_they_clicked():
    body = {"user": {"id": "U0ALBAN"}, "container": {"channel_id": "D0DM"}}
    assert (clicker(body), clicked_in(body)) == ("U0ALBAN", "D0DM")
    assert clicked_in(body | {"channel": {"id": "C0NN"}}) == "C0NN"


@pytest.mark.parametrize("body", [{}, {"user": None}, {"user": "U0ALBAN"}, {"user": {}}, {"user": {"id": 5}}])
def test_a_click_from_nobody_is_unreadable(body):
    with pytest.raises(Unreadable):
        clicker(body)


@pytest.mark.parametrize("body", [{}, {"container": None}, {"channel": "C0NN"}, {"channel": {"id": None}},
                                  {"container": {"type": "view"}}])
def test_a_click_from_nowhere_is_unreadable(body):
    with pytest.raises(Unreadable):
        clicked_in(body)


def test_command_text_is_cleaned_and_a_command_without_its_user_is_unreadable():
    assert command_text({"text": "  nn how\x00 do I?\x1b "}) == "nn how do I?"
    assert command_text({}) == ""
    with pytest.raises(Unreadable):
        command_user({"text": "nn"})
    with pytest.raises(Unreadable):
        command_user({"user_id": "U" + "0" * 100})


def test_a_selection_that_is_not_an_option_is_unreadable():
    assert selected_option({"selected_option": {"value": "nn"}}) == "nn"
    assert selected_option({"selected_option": None}) is None
    for junk in ("nn", ["nn"], {"value": 3}):
        with pytest.raises(Unreadable):
            selected_option({"selected_option": junk})


def test_a_form_is_read_block_by_block():
    view = {"state": {"values": {"area": {"area": {"selected_option": {"value": "nn"}}},
                                 "question": {"question": {"value": "how\x00?"}}}}}
    values = form_values(view)
    assert (form_option(values, "area"), form_option(values, "kind"), form_text(values, "question")) == ("nn", None,
                                                                                                         "how?")
    for junk in ({}, {"state": None}, {"state": {"values": []}}, {"state": {"values": {"area": "nn"}}}):
        with pytest.raises(Unreadable):
            form_values(junk)


def test_a_thread_timestamp_has_slacks_shape():
    assert event_thread({"thread_ts": "1732352400.000100"}) == "1732352400.000100"
    assert event_thread({}) is None
    for junk in ("yesterday", "1732352400", 1732352400.0001, "1.2.3"):
        with pytest.raises(Unreadable):
            event_thread({"thread_ts": junk})


def test_only_an_event_callback_has_an_event_id_and_it_is_a_string():
    assert event_id({"type": "event_callback", "event_id": "Ev0ONE"}) == "Ev0ONE"
    assert event_id({"type": "block_actions", "event_id": "Ev0ONE"}) is None
    assert event_id({"type": "event_callback"}) is None
    with pytest.raises(Unreadable):
        event_id({"type": "event_callback", "event_id": ["Ev0ONE"]})
