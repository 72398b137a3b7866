"""A refusal names people as Slack mentions, whichever command or button it answers."""

from tests.slack.conftest import STRANGER
from tests.slack.test_commands import answer

MIKAYLA, JOEL, SOUMITH = "U0MIKAYLA", "U0JOEL", "U0SOUMITH"


def test_a_refused_ack_names_who_has_it_as_a_mention(world):
    world.command("/ask", "nn How?")
    world.command("/ack", "#1", user=MIKAYLA)
    refusal = answer(world.command("/ack", "#1", user=JOEL))["text"]
    assert refusal == f"#1 is already acknowledged by <@{MIKAYLA}>."


def test_a_refused_handover_names_the_person_and_the_lead_as_mentions(world):
    world.command("/ask", "nn How?")
    refusal = answer(world.command("/handover", f"#1 <@{STRANGER}|stranger>", user=MIKAYLA))["text"]
    assert refusal.startswith(f"<@{STRANGER}> is not on the ladder of #1; hand it to one of the nn maintainers")
    assert refusal.endswith(f"or the lead (<@{SOUMITH}>).")
    world.command("/handover", f"#1 <@{JOEL}>", user=MIKAYLA)
    again = answer(world.command("/handover", f"#1 <@{JOEL}>", user=MIKAYLA))["text"]
    assert again == f"#1 is already assigned to <@{JOEL}>."
    assert "jbschlosser" not in again and "soumith" not in refusal


def test_a_stranger_is_told_who_the_lead_is(world):
    world.command("/ask", "nn How?")
    refusal = answer(world.command("/resolve", "#1", user=STRANGER))["text"]
    assert refusal == (f"Only the asker, the nn maintainers, core maintainers or the lead (<@{SOUMITH}>) "
                       "can resolve #1.")
