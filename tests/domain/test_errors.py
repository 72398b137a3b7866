"""A refusal names people by placeholder, so that each surface can name them its own way."""

from bot.domain.errors import Refusal, UserError


def test_each_surface_names_the_people_of_a_refusal_its_own_way():
    refusal = Refusal("#3 is already acknowledged by {holder}.", people={"holder": "mikaylagawarecki"})
    assert refusal.render(lambda person: "<@U0MIKAYLA>") == "#3 is already acknowledged by <@U0MIKAYLA>."
    assert refusal.render(str.upper) == "#3 is already acknowledged by MIKAYLAGAWARECKI."
    assert str(refusal) == "#3 is already acknowledged by mikaylagawarecki."  # for logs


def test_a_sentence_naming_nobody_is_shown_as_written():
    error = UserError("Write it as `{ticket}`.")
    assert error.render(lambda person: "?") == str(error) == "Write it as `{ticket}`."
