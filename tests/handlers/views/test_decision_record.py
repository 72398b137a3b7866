"""The public record of a decision and the lead's DM: what each says, and offers, within Slack's limits."""

from datetime import timedelta

import pytest

from bot.domain import decisions as rules
from bot.domain.tally import Choice
from bot.services.decisions import REASON_MAX
from handlers.views.decision_actions import LEAD_APPROVE, LEAD_REJECT
from handlers.views.decision_record import (
    cut_rationales,
    headline,
    lead_blocks,
    lead_text,
    record_blocks,
    record_text,
    superseded_blocks,
)
from tests.handlers.views.decisions import (
    CONFIG,
    CORE,
    GROUPS,
    NOW,
    buttons,
    disputed,
    published,
    read_back,
    shown,
    tied_to_lead,
    vetoing,
    voted,
)

LINK = "https://pytorch.slack.com/archives/C0NN/p1795424400000100"
LATER = NOW + timedelta(days=2)


def lead_approved(text="The lead's call: keep it simple."):
    return rules.lead_decides(tied_to_lead(), by="soumith", approve=True, rationale=text, now=LATER,
                              groups=GROUPS).decision


def upheld():
    return rules.answer_dispute(disputed(), by="albanD", uphold=True, explanation="optim can <migrate>.", now=LATER,
                                groups=GROUPS).decision


def vetoed():
    ballots = [(person, Choice.FOR) for person in CORE[:4]]
    return voted(vetoing(), *ballots, at=LATER)


VARIANTS = {
    "published": published,
    "by the lead": lead_approved,
    "upheld after a dispute": upheld,
    "vetoed": vetoed,
    "a long rationale": lambda: published(("<&> " * 725)[:2900]),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_slack_sdk_models_read_every_record_back_unchanged(variant):
    blocks = record_blocks(CONFIG, VARIANTS[variant](), LINK)
    assert read_back(blocks) == blocks
    assert len(blocks) <= 50 and all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")


def test_the_record_has_the_proposal_the_outcome_each_voters_choice_the_rationale_and_the_link():
    decision = published("Nobody has used it since <2.0>.")
    blocks, text = shown(record_blocks(CONFIG, decision, LINK)), record_text(CONFIG, decision)
    assert "> Deprecate nn.Container" in blocks and text == "Decision #12 (nn): passed — Deprecate nn.Container"
    assert "*Outcome*: passed, by the nn maintainers" in blocks
    assert ("1. *nn maintainers*, on the proposal — majority · quorum 50% (2 of 3 votes): *passed*, closed early\n"
            "      For 2 · Against 0 · Abstain 0 — For: <@U0MIKAYLA> <@U0JOEL> · Against: — · Abstain: — · "
            "Did not vote: <@U0ALBAN>") in blocks
    assert "*Rationale*, by <@U0JOEL>\n> Nobody has used it since &lt;2.0&gt;." in blocks
    assert f"<{LINK}|The vote>" in blocks
    assert "open to dispute and veto until <!date^" in blocks


def test_a_decision_that_climbed_to_the_lead_shows_every_round_and_the_leads_reasoning():
    blocks = shown(record_blocks(CONFIG, lead_approved(), LINK))
    assert ("1. *nn maintainers*, on the proposal — majority · quorum 50% (2 of 3 votes): *no decision (a tie)*, "
            "closed early\n      For 1 · Against 1 · Abstain 1") in blocks
    assert ("2. *core maintainers*, on the proposal — majority · quorum 50% (3 of 6 votes): *no decision (a tie)*, "
            "closed early\n      For 3 · Against 3 · Abstain 0") in blocks
    assert "3. *the lead*, on the proposal: *approved*" in blocks
    assert "*Outcome*: passed, by the lead" in blocks and "Now: *passed*; nothing can change it now" in blocks
    assert "*Rationale*, by <@U0SOUMITH>\n> The lead's call: keep it simple." in blocks


def test_a_dispute_upheld_is_published_with_the_dispute_and_the_explanation():
    decision = upheld()
    blocks = shown(record_blocks(CONFIG, decision, LINK))
    assert headline(decision) == "Passed, upheld after a dispute"
    assert "*Dispute* by <@U0JANE>" in blocks and "> optim still needs it &lt;!here&gt;" in blocks
    assert "Upheld by <@U0ALBAN>:\n> optim can &lt;migrate&gt;." in blocks


def test_a_vetoed_decision_is_published_as_vetoed_with_the_reason():
    decision = vetoed()
    blocks = shown(record_blocks(CONFIG, decision, LINK))
    assert headline(decision) == "Vetoed" and "*Outcome*: vetoed, by the core maintainers" in blocks
    assert "*Veto* asked by <@U0EZYANG>" in blocks and "*Vetoed* by the core maintainers." in blocks
    assert "> It breaks torchvision." in blocks


def test_a_rationale_too_long_for_its_section_is_cut_and_listed_to_go_whole_in_the_thread():
    long = ("<&> " * 725)[:2900]
    assert cut_rationales(CONFIG, published(long)) == [long.strip()]
    assert cut_rationales(CONFIG, published()) == []


def test_a_rationale_or_a_dispute_of_the_longest_allowed_shows_whole():
    longest = "x" * REASON_MAX
    assert cut_rationales(CONFIG, published(longest)) == []
    assert f"> {longest}" in shown(record_blocks(CONFIG, published(longest), LINK))
    assert f"> {longest}" in shown(record_blocks(CONFIG, disputed(longest), LINK))


def test_an_earlier_record_says_what_it_announced_and_links_the_record_now():
    blocks = shown(superseded_blocks(CONFIG, upheld(), "Passed", LINK + "9"))
    assert "Published as *passed*; it has changed since: *passed, upheld after a dispute*" in blocks
    assert f"<{LINK}9|the record now>" in blocks


def test_the_lead_gets_the_history_of_rounds_and_approve_and_reject():
    decision = tied_to_lead()
    index = len(decision.rounds) - 1
    blocks = lead_blocks(CONFIG, decision, index)
    assert read_back(blocks) == blocks
    text = shown(blocks)
    assert "No decision by the core maintainers (a tie): the lead decides now." in text
    assert "For 1 · Against 1 · Abstain 1" in text and "For 3 · Against 3 · Abstain 0" in text
    assert "<@U0SOUMITH> — *Approve* passes the proposal, *Reject* rejects it." in text
    assert "<@U0SOUMITH>" in lead_text(CONFIG, decision, index)
    assert buttons(blocks) == [("Approve", LEAD_APPROVE, "12"), ("Reject", LEAD_REJECT, "12")]


def test_once_the_lead_has_decided_their_dm_says_so_and_offers_nothing():
    decision = lead_approved()
    blocks = lead_blocks(CONFIG, decision, len(decision.rounds) - 1)
    assert ":white_check_mark: <@U0SOUMITH> approved it" in shown(blocks) and buttons(blocks) == []
