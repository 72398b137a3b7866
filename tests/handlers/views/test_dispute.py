"""A dispute as the deciding group and the disputer see it: Uphold and Revote while it is open, Escalate to
core while the disputer may still take it there."""

from datetime import timedelta

from bot.domain import decisions as rules
from bot.services.decisions import REASON_MAX
from handlers.views.decision_actions import ESCALATE_DISPUTE, REVOTE, UPHOLD
from handlers.views.dispute import dispute_post, disputer_dm
from tests.handlers.views.decisions import CONFIG, GROUPS, NN, NOW, buttons, disputed, read_back, shown

LATER = NOW + timedelta(days=2)


def answered(uphold: bool):
    return rules.answer_dispute(disputed(), by="albanD", uphold=uphold, explanation="optim can migrate.", now=LATER,
                                groups=GROUPS).decision


def test_the_group_is_mentioned_and_asked_to_uphold_or_revote_with_the_reason_escaped():
    text, blocks = dispute_post(CONFIG, disputed(), 0, NN)
    assert read_back(blocks) == blocks
    assert all(f"<@{person}>" in text and f"<@{person}>" in shown(blocks)
               for person in ("U0MIKAYLA", "U0ALBAN", "U0JOEL"))
    assert "> optim still needs it &lt;!here&gt;" in shown(blocks) and "<!here>" not in str(blocks)
    assert buttons(blocks) == [("Uphold", UPHOLD, "12"), ("Revote", REVOTE, "12")]


def test_once_answered_the_groups_copy_says_how_and_offers_nothing():
    _, blocks = dispute_post(CONFIG, answered(uphold=True), 0, NN)
    assert "upheld by <@U0ALBAN>." in shown(blocks) and buttons(blocks) == []


def test_the_disputer_may_escalate_while_it_is_open_and_still_after_an_uphold():
    _, blocks = disputer_dm(CONFIG, disputed(), 0)
    assert read_back(blocks) == blocks
    assert buttons(blocks) == [("Escalate to core", ESCALATE_DISPUTE, "12")]
    _, blocks = disputer_dm(CONFIG, answered(uphold=True), 0)
    assert "> optim can migrate." in shown(blocks) and "You can still take it to the core" in shown(blocks)
    assert buttons(blocks) == [("Escalate to core", ESCALATE_DISPUTE, "12")]
    earlier, blocks = disputer_dm(CONFIG, answered(uphold=True), 0, newest=False)
    assert buttons(blocks) == [] and earlier == ("You disputed #12 (passed by the nn maintainers). What came of it is "
                                                 "in a later message.")


def test_after_a_revote_there_is_nothing_left_to_escalate():
    _, blocks = disputer_dm(CONFIG, answered(uphold=False), 0)
    assert "<@U0ALBAN> called a revote." in shown(blocks) and buttons(blocks) == []


def test_a_reason_of_the_longest_allowed_shows_whole_within_slacks_limits():
    longest = "y" * REASON_MAX
    _, blocks = dispute_post(CONFIG, disputed(longest), 0, NN)
    assert read_back(blocks) == blocks and f"> {longest}" in shown(blocks)
    assert all(len(block["text"]["text"]) <= 3000 for block in blocks if block["type"] == "section")
