"""The election's message, its ranking form, its notes and `/status #N`: each phase offers what it allows,
who voted is shown and never how, the count is published round by round — within Slack's limits."""

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config.decisions import decision_settings
from bot.domain import elections as rules
from bot.domain.election_record import Phase, Vacancy
from handlers.views import election_notes as notes
from handlers.views.election import message_blocks, message_text
from handlers.views.election_actions import NOT_STANDING, RANK, RANK_MODAL, STAND
from handlers.views.election_modals import FormErrors, rank_modal, read_ranking
from handlers.views.election_status import election_blocks, election_text
from handlers.views.text import when
from tests.handlers.views.decisions import CONFIG, GROUPS, NOW, buttons, read_back, shown

DAY = timedelta(days=1)
POLICY = decision_settings(CONFIG).core
VOTERS = ("ezyang", "gchanan", "malfet", "albanD", "ngimel")  # the core less soumith, who steps down
IDS = {"ezyang": "U0EZYANG", "gchanan": "U0GCHANAN", "malfet": "U0MALFET", "albanD": "U0ALBAN",
       "ngimel": "U0NGIMEL"}


def opened(vacancy=Vacancy.STEPPED_DOWN):
    change = rules.open_election(by="soumith", vacancy=vacancy, departing="soumith", groups=GROUPS, policy=POLICY,
                                 now=NOW)
    return replace(change.election, number=57)


def answered(election, *answers):
    events = []
    for person, stands in answers:
        change = rules.stand(election, by=person, stands=stands, now=NOW + DAY)
        election, events = change.election, events + change.events
    return election, events


def voting(candidates=("ezyang", "albanD")):
    election, _ = answered(opened(), *((voter, voter in candidates) for voter in VOTERS))
    assert election.phase is Phase.VOTING
    return election


def ranked(election, *ballots):
    for voter, ranking in ballots:
        election = rules.cast(election, by=voter, ranking=ranking, now=NOW + 2 * DAY).election
    return election


def elected():
    """ezyang 3, albanD 2: ezyang wins in the first round."""
    return ranked(voting(), ("ezyang", ["ezyang"]), ("gchanan", ["ezyang", "albanD"]), ("malfet", ["albanD"]),
                  ("albanD", ["albanD"]), ("ngimel", ["ezyang"]))


def rows(modal):
    return {block["block_id"]: block for block in modal["blocks"] if block["type"] == "input"}


def values(*picked):
    """The form's state with each rank's pick (None: left blank)."""
    state = {}
    for place, person in enumerate(picked, 1):
        option = None if person is None else {"text": {"type": "plain_text", "text": person}, "value": person}
        state[f"rank_{place}"] = {f"rank_{place}": {"type": "static_select", "selected_option": option}}
    return state


# -- the message -----------------------------------------------------------------------------------


def test_while_candidates_stand_the_message_says_why_who_votes_and_offers_stand_and_not_standing():
    election, _ = answered(opened(), ("ezyang", True), ("gchanan", False))
    blocks = message_blocks(CONFIG, election)
    assert blocks[0]["text"]["text"] == ":ballot_box_with_ballot: Electing the lead · #57"
    assert buttons(blocks) == [("Stand", STAND, "57"), ("Not standing", NOT_STANDING, "57")]
    text = shown(blocks)
    assert "The lead's seat is vacant: <@U0SOUMITH> stepped down." in text
    assert "may stand): <@U0EZYANG> <@U0GCHANAN> <@U0MALFET> <@U0ALBAN> <@U0NGIMEL>" in text
    assert ("Standing: <@U0EZYANG> · Not standing: <@U0GCHANAN> · Not answered yet: <@U0MALFET> <@U0ALBAN> "
            "<@U0NGIMEL>") in text
    assert f"says so by {when(NOW + POLICY.duration)}" in text and "<!date^" in text
    assert read_back(blocks) == blocks


def test_each_vacancy_says_why_the_seat_is_vacant():
    assert "the core removed <@U0SOUMITH> as the lead core maintainer" in shown(
        message_blocks(CONFIG, opened(Vacancy.REMOVED)))
    assert "<@U0SOUMITH> has been away for longer than a nominations review period" in shown(
        message_blocks(CONFIG, opened(Vacancy.UNAVAILABLE)))


def test_while_the_ballot_is_open_it_shows_the_candidates_and_who_voted_never_how():
    election = ranked(voting(), ("malfet", ["albanD", "ezyang"]))
    blocks = message_blocks(CONFIG, election)
    assert buttons(blocks) == [("Rank the candidates", RANK, "57")]
    text = shown(blocks)
    assert "*The ballot is open*: <@U0EZYANG> and <@U0ALBAN>, until" in text
    assert "Voted: <@U0MALFET> · Not voted yet: <@U0EZYANG> <@U0GCHANAN> <@U0ALBAN> <@U0NGIMEL>" in text
    assert "Round" not in text and message_text(CONFIG, election).startswith("Electing the lead (#57): rank")


def tied():
    """ezyang 2, albanD 2, ngimel 1 (and nobody's next choice): ngimel out, then a tie — a ballot among the tied."""
    return ranked(voting(("ezyang", "albanD", "ngimel")), ("ezyang", ["ezyang"]), ("gchanan", ["ezyang"]),
                  ("albanD", ["albanD"]), ("malfet", ["albanD"]), ("ngimel", ["ngimel"]))


def test_a_tie_opens_a_new_ballot_that_says_it_is_among_the_tied():
    election = tied()
    assert (election.phase, election.poll.candidates) == (Phase.VOTING, ("ezyang", "albanD"))
    blocks = message_blocks(CONFIG, election)
    text = shown(blocks)
    assert "*A tie: the ballot is open again, among the tied* (<@U0EZYANG> and <@U0ALBAN>)" in text
    assert buttons(blocks) == [("Rank the candidates", RANK, "57")]
    assert notes.ballot(CONFIG, election, VOTERS).startswith("A tie: the ballot is open again, among the tied")
    assert shown([rank_modal(CONFIG, election, "ezyang")["blocks"][0]]).startswith("A tie: this ballot is among")
    done = ranked(election, *((voter, ["albanD"]) for voter in VOTERS))
    record = shown(notes.record(CONFIG, done, None)[1])
    assert "_Ballot 1_\nRound 1: Edward Yang 2, Alban Desmaison 2, Natalia Gimelshein 1" in record
    assert "Tie between Edward Yang and Alban Desmaison: the core decides by another vote." in record
    assert "_Ballot 2_ (among the tied)\nRound 1: Edward Yang 0, Alban Desmaison 5" in record


def test_elected_shows_the_winner_and_the_rounds_without_buttons():
    election = elected()
    blocks = message_blocks(CONFIG, election)
    assert buttons(blocks) == []
    text = shown(blocks)
    assert ":white_check_mark: *<@U0EZYANG> is elected the lead*, by ranked-choice vote." in text
    assert "Round 1: Edward Yang 3, Alban Desmaison 2\nEdward Yang wins with 3 of 5" in text
    assert message_text(CONFIG, election) == "Electing the lead (#57): <@U0EZYANG> is elected the lead."


def test_one_candidate_is_elected_unopposed_and_nobody_standing_fails():
    unopposed, _ = answered(opened(), *((voter, voter == "ngimel") for voter in VOTERS))
    assert "*<@U0NGIMEL> is elected the lead*, unopposed, the only candidate who stood." in shown(
        message_blocks(CONFIG, unopposed))
    nobody, _ = answered(opened(), *((voter, False) for voter in VOTERS))
    blocks = message_blocks(CONFIG, nobody)
    assert buttons(blocks) == [] and ":x: *No lead was elected*: nobody stood. The seat stays vacant; " \
                                      "`/elect lead` opens another election." in shown(blocks)


# -- the ranking form ------------------------------------------------------------------------------


def test_the_form_has_one_select_per_rank_the_first_required_and_prefills_a_ballot_cast_before():
    election = ranked(voting(("ezyang", "albanD", "ngimel")), ("malfet", ["ngimel", "ezyang"]))
    modal = rank_modal(CONFIG, election, "malfet")
    assert (modal["callback_id"], modal["private_metadata"]) == (RANK_MODAL, "57")
    inputs = rows(modal)
    assert list(inputs) == ["rank_1", "rank_2", "rank_3"]
    assert [inputs[b]["label"]["text"] for b in inputs] == ["1st choice", "2nd choice", "3rd choice"]
    assert [inputs[b].get("optional", False) for b in inputs] == [False, True, True]
    assert [o["text"]["text"] for o in inputs["rank_1"]["element"]["options"]] == [
        "Edward Yang", "Alban Desmaison", "Natalia Gimelshein"]
    assert [inputs[b]["element"].get("initial_option", {}).get("value") for b in inputs] == [
        "ngimel", "ezyang", None]
    assert "initial_option" not in rows(rank_modal(CONFIG, election, "gchanan"))["rank_1"]["element"]


def test_a_ranking_is_read_in_order_and_a_gap_a_repeat_or_a_stranger_is_shown_under_its_select():
    candidates = ("ezyang", "albanD", "ngimel")
    assert read_ranking(CONFIG, values("albanD", "ezyang", None), candidates) == ["albanD", "ezyang"]
    with pytest.raises(FormErrors) as gap:
        read_ranking(CONFIG, values("albanD", None, "ezyang"), candidates)
    assert gap.value.errors == {"rank_2": "Pick your 2nd choice too, or clear the choices below it: the choices go "
                                          "in order, without a gap."}
    with pytest.raises(FormErrors) as repeat:
        read_ranking(CONFIG, values("albanD", "albanD"), candidates)
    assert repeat.value.errors == {"rank_2": "Alban Desmaison is already your 1st choice: rank each candidate once."}
    with pytest.raises(FormErrors) as forged:
        read_ranking(CONFIG, values("<!channel>"), candidates)
    assert forged.value.errors == {"rank_1": "Pick one of the candidates on this ballot."}
    with pytest.raises(FormErrors) as empty:
        read_ranking(CONFIG, values(None, None), candidates)
    assert empty.value.errors == {"rank_1": "Pick your 1st choice."}


# -- the notes and the record ----------------------------------------------------------------------


def test_the_notes_mention_only_whom_they_are_for():
    election = voting()
    assert notes.ballot(CONFIG, election, ("ezyang",)) == (
        f"The ballot is open — rank the candidates until {when(election.poll.closes_at)}: <@U0EZYANG> and "
        "<@U0ALBAN>. <@U0EZYANG>")
    assert notes.vote_reminder(CONFIG, election, ("ngimel",)).endswith("<@U0NGIMEL> — *Rank the candidates*.")
    assert "<@U0MALFET> — say so with *Stand* or *Not standing*" in notes.stand_reminder(CONFIG, opened(), ("malfet",))


def test_the_record_names_the_new_lead_why_the_seat_was_vacant_and_the_rounds():
    text, blocks = notes.record(CONFIG, elected(), "https://slack.example/archives/C0CORE/p1")
    assert text == "Election #57: <@U0EZYANG> is the new lead core maintainer"
    body = shown(blocks)
    assert "*<@U0EZYANG> is the new lead core maintainer*, elected by the ranked-choice vote of 5 core" in body
    assert "The lead's seat is vacant: <@U0SOUMITH> stepped down." in body
    assert "*The count* (instant runoff)\nRound 1: Edward Yang 3, Alban Desmaison 2" in body
    assert "<https://slack.example/archives/C0CORE/p1|the election>" in body
    assert read_back(blocks) == blocks


# -- /status #N ------------------------------------------------------------------------------------


def test_status_shows_the_phase_the_answers_each_ballot_and_the_history():
    election, events = answered(opened(), ("ezyang", True), ("gchanan", False))
    text = shown(election_blocks(CONFIG, election, events))
    assert "#57 · election of the lead" in text and ":raised_hand: *Standing*" in text
    assert "Standing: <@U0EZYANG> · Not standing: <@U0GCHANAN> · Not answered yet:" in text
    assert "— <@U0EZYANG> stands" in text and "— <@U0GCHANAN> does not stand" in text
    done = elected()
    blocks = election_blocks(CONFIG, done, [])
    text = shown(blocks)
    assert "1. <@U0EZYANG> and <@U0ALBAN> — closed" in text and "early: everyone had ranked" in text
    assert "*Outcome*\n:white_check_mark: *<@U0EZYANG> is elected the lead*" in text
    assert "Edward Yang wins with 3 of 5" in text and election_text(done) == "#57: election of the lead, elected"
    assert read_back(blocks) == blocks
