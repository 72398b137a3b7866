"""Whether an ask can be stored as it came: refused alone, with what to change, before any batch."""

import pytest

from bot.domain.ticket import Kind
from bot.services.storable import id_problem, refusal
from bot.services.tickets import NewTicket
from storage.tables import KEY, SLACK_REF, column_length


def ask(text="How do I register a forward hook?", asker="U0ASKER", thread=None, kind=Kind.QUESTION):
    return NewTicket(asker, kind, "nn", text, thread)


def test_an_ordinary_ask_can_be_stored():
    assert refusal(ask(), "U0ASKER") is None


def test_tabs_and_line_breaks_are_text():
    assert refusal(ask("Why does\tthis fail?\r\n\n    model.register_forward_hook(f)"), "U0ASKER") is None


def test_unicode_beyond_latin_is_text():
    assert refusal(ask("Warum schlägt 钩子 fehl? 🪝 \u200b\u00a0"), "U0ASKER") is None


def test_a_nul_byte_in_the_question_is_refused_with_where_it_is_and_what_to_do():
    problem = refusal(ask("How do I\x00 hook?"), "U0ASKER")
    assert str(problem) == ("Your question contains a control character (U+0000) at character 9, which "
                            "Upline cannot store. Remove it (it often comes with text pasted from a terminal) "
                            "and send it again.")


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"])
def test_other_control_characters_in_the_text_are_refused(character):
    problem = refusal(ask(f"colour{character}[31m red"), "U0ASKER")
    assert problem is not None and f"U+{ord(character):04X}" in str(problem)


def test_a_lone_surrogate_which_no_database_can_encode_is_refused():
    problem = refusal(ask("half a pair: \ud83d", kind=Kind.ESCALATION), "U0ASKER")
    assert str(problem).startswith("Your escalation contains half of a character (U+D83D) at character 14")


def test_the_lengths_are_the_columns_own():
    assert column_length("tickets", "asker") == KEY == 100
    assert column_length("tickets", "thread_ts") == SLACK_REF
    assert column_length("tickets", "text") is None  # unbounded


def test_a_user_id_longer_than_its_column_is_refused_and_not_repeated_back():
    long_id = "U" * (KEY + 1)
    problem = refusal(ask(asker=long_id), long_id)
    assert str(problem) == ("Upline cannot store this: your user ID is 101 characters long, and it keeps at "
                            "most 100. Slack's own IDs are far shorter: send it again from Slack itself.")
    assert refusal(ask(asker="U" * KEY), "U" * KEY) is None  # exactly the column's length fits


def test_the_stored_asker_is_checked_not_the_id_it_came_as():
    # A Slack ID that names a person is stored as their key: the key is what must fit.
    assert refusal(ask(asker="U0ALBAN"), "x" * (KEY + 1)) is not None


def test_a_control_character_in_a_user_id_is_refused():
    assert "your user ID contains a control character (U+0000)" in str(refusal(ask(asker="U0\x00"), "U0\x00"))
    assert "(U+000A)" in str(id_problem("U0\n", "tickets", "asker", "your user ID"))  # no line breaks in IDs


def test_a_thread_whose_channel_or_timestamp_cannot_be_stored_is_refused():
    too_long = "C" * (SLACK_REF + 1)
    assert "the channel ID of the thread it was asked in is 41 characters long" in str(
        refusal(ask(thread=(too_long, "1700000000.000100")), "U0ASKER"))
    assert "the timestamp of the thread it was asked in contains a control character" in str(
        refusal(ask(thread=("C0GENERAL", "1700000000\x00")), "U0ASKER"))
    assert refusal(ask(thread=("C0GENERAL", "1700000000.000100")), "U0ASKER") is None
