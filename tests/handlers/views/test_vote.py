"""The vote message and its thread notes: what each state of a round shows, and offers, within Slack's limits."""

from datetime import timedelta

import pytest

from bot.domain import decisions as rules
from bot.domain.decision_record import Kind
from handlers.views.decision_actions import (
    RECUSE,
    VOTE_ABSTAIN,
    VOTE_AGAINST,
    VOTE_FOR,
    WRITE_RATIONALE,
)
from handlers.views.vote import note, proposal_cut, vote_blocks, vote_text
from tests.handlers.views.decisions import (
    AGAINST,
    CONFIG,
    FOR,
    GROUPS,
    NN_IDS,
    NOW,
    buttons,
    disputed,
    opened,
    passed,
    published,
    read_back,
    shown,
    tied_to_core,
    vetoing,
    voted,
)

VOTE_BUTTONS = [("For", VOTE_FOR, "12"), ("Against", VOTE_AGAINST, "12"), ("Abstain", VOTE_ABSTAIN, "12")]


def escalated_dispute():
    return rules.escalate_dispute_to_core(disputed(), by="janeyx99", now=NOW + timedelta(days=1),
                                          groups=GROUPS).decision


VARIANTS = {
    "open": lambda: (opened(), 0),
    "one ballot": lambda: (voted(opened(), ("albanD", FOR)), 0),
    "decided": lambda: (passed(), 0),
    "published": lambda: (published(), 0),
    "tied, at the core now": lambda: (tied_to_core(), 0),
    "the core's vote after the tie": lambda: (tied_to_core(), 1),
    "a dispute at the core": lambda: (escalated_dispute(), 1),
    "a veto": lambda: (vetoing(), 1),
    "a core vote": lambda: (opened(kind=Kind.CORE, area=None, by="ezyang"), 0),
    "a long proposal": lambda: (opened("<b> & " * 333), 0),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_slack_sdk_models_read_every_vote_message_back_unchanged(variant):
    decision, index = VARIANTS[variant]()
    blocks = vote_blocks(CONFIG, decision, index)
    assert read_back(blocks) == blocks
    assert all(len(block["text"]["text"]) <= 3000 for block in blocks if block["type"] == "section")


def test_the_vote_mentions_every_voter_in_its_text_and_its_blocks_and_offers_the_three_choices():
    decision = opened()
    blocks, text = vote_blocks(CONFIG, decision, 0), vote_text(CONFIG, decision, 0)
    for voter in NN_IDS:
        assert f"<@{voter}>" in text and f"<@{voter}>" in shown(blocks)
    assert buttons(blocks) == VOTE_BUTTONS
    assert "majority · quorum 50% (2 of 3 votes)" in shown(blocks)
    assert "closes <!date^" in shown(blocks), "the deadline is a date token, in each reader's time zone"


def test_the_proposal_is_escaped_so_that_a_channel_wide_ping_stays_text():
    decision = opened("Ping <!channel> & <@U0EVERYONE> about it")
    blocks, text = vote_blocks(CONFIG, decision, 0), vote_text(CONFIG, decision, 0)
    assert "<!channel>" not in str(blocks) + text and "<@U0EVERYONE>" not in str(blocks) + text
    assert "&lt;!channel&gt; &amp; &lt;@U0EVERYONE&gt;" in shown(blocks)


def test_the_tally_counts_each_ballot_and_names_only_those_who_have_not_voted():
    decision = voted(opened(), ("albanD", FOR), ("jbschlosser", AGAINST))
    status = shown(vote_blocks(CONFIG, decision, 0))
    assert "*For 1 · Against 1 · Abstain 0* · not voted yet: <@U0MIKAYLA>" in status


def test_a_core_vote_also_offers_recuse():
    assert buttons(vote_blocks(CONFIG, opened(kind=Kind.CORE, area=None, by="ezyang"), 0)) == [
        *VOTE_BUTTONS, ("Recuse", RECUSE, "12")]


def test_once_decided_the_vote_shows_the_outcome_and_write_the_rationale_instead_of_the_vote_buttons():
    blocks = vote_blocks(CONFIG, passed(), 0)
    assert ":white_check_mark: *Passed* — For 2 · Against 0 · Abstain 0 · closed early" in shown(blocks)
    assert buttons(blocks) == [("Write the rationale", WRITE_RATIONALE, "12")]


def test_once_published_the_vote_shows_the_rationale_and_offers_nothing():
    blocks = vote_blocks(CONFIG, published("Nobody <uses> it."), 0)
    assert "*Rationale* by <@U0JOEL>:\n> Nobody &lt;uses&gt; it." in shown(blocks)
    assert "Now: *passed*; open to dispute and veto until <!date^" in shown(blocks)
    assert buttons(blocks) == []


def test_a_tied_round_says_where_it_went_and_the_core_vote_says_why_it_is_held():
    decision = tied_to_core()
    past, current = shown(vote_blocks(CONFIG, decision, 0)), vote_blocks(CONFIG, decision, 1)
    assert "*No decision (a tie)* — For 1 · Against 1 · Abstain 1" in past
    assert "It went to the core maintainers." in past
    assert buttons(vote_blocks(CONFIG, decision, 0)) == []
    assert "No decision by the nn maintainers (a tie): the core maintainers decide now." in shown(current)
    assert [label for label, _, _ in buttons(current)] == ["For", "Against", "Abstain", "Recuse"]


def test_a_dispute_round_says_what_for_and_against_mean_and_quotes_the_reason_escaped():
    blocks = shown(vote_blocks(CONFIG, escalated_dispute(), 1))
    assert "*For* upholds the outcome (*passed*), *Against* overturns it." in blocks
    assert "<@U0JANE> disputes it:\n> optim still needs it &lt;!here&gt;" in blocks
    assert ("<@U0JANE> disputed the outcome and it went to the core at the disputer's request: the core maintainers "
            "decide whether it stands.") in blocks


def test_a_veto_round_says_what_for_means():
    assert "*For* vetoes the decision (*passed*), *Against* lets it stand." in shown(vote_blocks(CONFIG, vetoing(), 1))


def test_a_proposal_too_long_for_the_message_is_cut_and_said_to_be():
    decision = opened("<b> & " * 333)
    assert proposal_cut(CONFIG, decision) and not proposal_cut(CONFIG, opened())
    assert shown(vote_blocks(CONFIG, decision, 0)).count("…") >= 1


def test_a_reminder_mentions_only_those_it_is_for():
    text, blocks = note(CONFIG, opened(), "vote_reminder", 0, ("albanD",))
    assert "<@U0ALBAN>" in text and "<@U0ALBAN>" in shown(blocks)
    assert "U0MIKAYLA" not in text + shown(blocks) and buttons(blocks) == []


def test_the_result_note_asks_for_the_rationale_until_it_is_written():
    text, blocks = note(CONFIG, passed(), "decided", 0, ("mikaylagawarecki", "albanD", "jbschlosser"))
    assert "*passed* (For 2 · Against 0 · Abstain 0)" in text and all(f"<@{v}>" in text for v in NN_IDS)
    assert buttons(blocks) == [("Write the rationale", WRITE_RATIONALE, "12")]
    text, blocks = note(CONFIG, published(), "decided", 0, ("albanD",))
    assert "the rationale was written by <@U0JOEL>" in text and buttons(blocks) == []


def test_the_overdue_notice_links_the_vote_and_offers_the_rationale_to_the_core():
    text, blocks = note(CONFIG, passed(), "rationale_missing", 0, ("ezyang",), "https://x.slack.com/archives/C/p1")
    assert "<https://x.slack.com/archives/C/p1|The vote>" in text and "<@U0EZYANG>" in shown(blocks)
    assert buttons(blocks) == [("Write the rationale", WRITE_RATIONALE, "12")]


def test_the_lead_removal_rule_reads_as_a_share_of_all_the_voters():
    from datetime import UTC, datetime

    from bot.domain.decision_policy import Rule, VotePolicy
    from bot.domain.decision_record import Purpose, Round
    from handlers.views.decision_text import rule_line

    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    vote = Round("core", Purpose.DECIDE, ("a", "b", "c", "d"), VotePolicy(rule=Rule.SHARE_OF_ALL, quorum=0.75), at, at)
    assert rule_line(vote) == "passes with For from 75% of all 4 voters (3 needed)"
