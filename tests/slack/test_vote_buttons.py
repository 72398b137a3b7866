"""The vote buttons through real signed HTTP: a voter's click counts and is confirmed to them alone; a
refused click, or a retried one, is answered privately and changes nothing."""

from datetime import timedelta

from bot.domain.decision_record import State
from bot.domain.tally import Choice, Result
from handlers.views.decision_actions import RECUSE, VOTE_ABSTAIN, VOTE_AGAINST, VOTE_FOR
from handlers.views.text import when
from tests.slack.conftest import START, STRANGER
from tests.slack.test_vote_commands import ALBAN, CORE, EZYANG, JOEL, MIKAYLA, SOUMITH, decision, history, said

VOTE_MESSAGE = ("C0NN", "1700000000.000100")  # wherever the vote message is, the answer goes there


def click(world, action_id, *, user, number=1):
    channel, ts = VOTE_MESSAGE
    response = world.send(world.requests.button(action_id, str(number), user=user, channel=channel, message_ts=ts,
                                                block_id=f"decision_vote:{number}"))
    assert response.status_code == 200 and response.text == "", "a click is acknowledged with nothing to show"
    return response


def answers(world, user) -> list[str]:
    return [ephemeral.text for ephemeral in world.workspace.ephemerals(user)]


def ballots(world, number=1):
    return [(ballot.voter, ballot.choice) for ballot in decision(world, number).ballots]


def nn_vote(world):
    said(world.command("/vote", "nn Deprecate nn.Container", user=MIKAYLA))


def test_a_voter_votes_and_is_told_privately(world):
    nn_vote(world)
    click(world, VOTE_FOR, user=ALBAN)
    assert ballots(world) == [("albanD", Choice.FOR)]
    [answer] = world.workspace.ephemerals(ALBAN)
    assert (answer.text, answer.channel) == ("You voted For on #1.", "C0NN")
    assert world.calls("chat.postMessage") == [], "nothing else is said by the click itself"


def test_a_voter_may_change_their_vote(world):
    nn_vote(world)
    click(world, VOTE_FOR, user=ALBAN)
    click(world, VOTE_AGAINST, user=ALBAN)
    assert ballots(world) == [("albanD", Choice.AGAINST)]
    assert answers(world, ALBAN)[-1] == "You changed your vote on #1 to Against (it was For)."


def test_a_retried_click_is_refused_by_the_rules_and_changes_nothing(world):
    nn_vote(world)
    click(world, VOTE_FOR, user=ALBAN)
    before = (decision(world), history(world))
    click(world, VOTE_FOR, user=ALBAN)
    assert (decision(world), history(world)) == before
    assert answers(world, ALBAN) == ["You voted For on #1.",
                                     "You already voted For on #1; press another button to change your vote."]


def test_someone_who_is_not_a_voter_is_told_who_may_vote_and_nothing_changes(world):
    nn_vote(world)
    before = (decision(world), history(world))
    for action_id in (VOTE_FOR, VOTE_AGAINST, VOTE_ABSTAIN):
        click(world, action_id, user=STRANGER)
    assert (decision(world), history(world)) == before
    refusal = f"Only <@{MIKAYLA}>, <@{ALBAN}> and <@{JOEL}> can vote on #1; nothing was changed."
    assert answers(world, STRANGER) == [refusal] * 3


def test_the_vote_that_settles_it_says_so_and_what_comes_next(world):
    nn_vote(world)
    click(world, VOTE_FOR, user=MIKAYLA)
    click(world, VOTE_FOR, user=ALBAN)
    assert decision(world).state is State.DECIDED
    assert answers(world, ALBAN) == [f"You voted For on #1. That closed the vote: *passed*; the nn maintainers "
                                     f"write its rationale by {when(START + timedelta(days=3))}."]
    click(world, VOTE_AGAINST, user=JOEL)
    assert answers(world, JOEL) == [
        "There is no vote open on #1: it is decided and waits for its rationale."]


def test_a_vote_past_its_deadline_is_refused_even_before_the_sweeper_closes_it(world):
    nn_vote(world)
    world.clock.advance(timedelta(days=7))
    click(world, VOTE_FOR, user=ALBAN)
    assert ballots(world) == []
    assert answers(world, ALBAN) == ["The vote on #1 has reached its deadline; it is too late to vote on it."]


def test_a_tie_goes_to_the_core_and_a_core_tie_reaches_the_lead(world):
    nn_vote(world)
    click(world, VOTE_FOR, user=MIKAYLA)
    click(world, VOTE_AGAINST, user=ALBAN)
    click(world, VOTE_ABSTAIN, user=JOEL)
    core = decision(world)
    assert (core.state, core.level, core.rounds[0].result) == (State.VOTING, "core", Result.NO_DECISION)
    assert answers(world, JOEL) == [f"You voted Abstain on #1. That closed the vote: no decision (a tie); the core "
                                    f"maintainers vote on it until {when(START + timedelta(days=5))}."]
    for voter, choice in zip(CORE, [VOTE_FOR, VOTE_AGAINST] * 3, strict=True):
        click(world, choice, user=voter)
    lead = decision(world)
    assert (lead.state, lead.level, lead.voters) == (State.LEAD, "lead", ("soumith",))
    assert answers(world, CORE[-1])[-1] == (f"You voted Against on #1. That closed the vote: no decision (a tie); "
                                            f"<@{SOUMITH}>, the lead, approves or rejects it alone.")


def test_a_core_maintainer_recuses_from_a_core_vote(world):
    said(world.command("/vote", "core Adopt the RFC process", user=EZYANG))
    click(world, RECUSE, user="U0GCHANAN")
    assert "gchanan" not in decision(world).voters and decision(world).current.recused == ("gchanan",)
    assert answers(world, "U0GCHANAN") == [
        "You recused yourself from the vote on #1: you are no longer one of its voters."]
    click(world, VOTE_FOR, user="U0GCHANAN")
    assert answers(world, "U0GCHANAN")[-1] == "You recused yourself from the vote on #1."
    assert ballots(world) == []


def test_recusal_is_refused_in_a_module_vote(world):
    nn_vote(world)
    before = decision(world)
    click(world, RECUSE, user=MIKAYLA)
    assert decision(world) == before
    assert answers(world, MIKAYLA) == ["Only a core vote offers recusal; #1 is a vote of the nn maintainers."]


def test_a_button_that_names_no_decision_is_answered_and_changes_nothing(world):
    nn_vote(world)
    channel, ts = VOTE_MESSAGE
    world.send(world.requests.button(VOTE_FOR, "not-a-number", user=ALBAN, channel=channel, message_ts=ts))
    click(world, VOTE_FOR, user=ALBAN, number=99)
    click(world, VOTE_FOR, user=ALBAN, number=99999999999999)
    assert answers(world, ALBAN) == ["That button does not name a decision; `/decisions` lists them.",
                                     "There is no decision #99.", "There is no decision #999999999999…."]
    assert ballots(world) == []
