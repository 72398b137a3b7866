"""Every election message reaches Slack where the voters read, on a fake clock: the reminders in the
message's thread mention only those who must still act, a phase's deadline moves it on, a tie opens a
ballot among the tied, a failure says why; without a core channel, each voter's DM is kept current."""

from datetime import timedelta

import pytest

from bot.config import load_config_file
from bot.domain.election_record import Phase
from handlers.views.election_actions import NOT_STANDING, STAND
from tests.slack.conftest import REPO
from tests.slack.test_copies import buttons, current, dm_channel, roots, visible
from tests.slack.test_elect import (
    DECISIONS,
    GCHANAN,
    MALFET,
    NGIMEL,
    VOTERS,
    click,
    election,
    ranks,
    stepped_down,
    the_message,
    voting,
)
from tests.slack.test_vote_commands import ALBAN, EZYANG, SOUMITH, said

HALF = timedelta(days=2, hours=12)  # the first reminder, at half the core's 5 days


def thread(world):
    return [reply.text for reply in world.workspace.replies_to(the_message(world))]


def test_the_stand_reminder_mentions_only_those_who_have_not_answered(world):
    stepped_down(world)
    click(world, STAND, user=EZYANG)
    click(world, NOT_STANDING, user=GCHANAN)
    world.advance(HALF)
    [reminder] = thread(world)
    assert reminder.startswith("Reminder: who stands for the lead in #1?")
    assert all(f"<@{person}>" in reminder for person in (MALFET, ALBAN, NGIMEL))
    assert f"<@{EZYANG}>" not in reminder and f"<@{GCHANAN}>" not in reminder


def test_standing_closes_at_its_deadline_and_a_lone_candidate_is_elected_unopposed(world):
    stepped_down(world)
    click(world, STAND, user=NGIMEL)
    world.advance(timedelta(days=5))
    done = election(world)
    assert (done.phase, done.winner) == (Phase.ELECTED, "ngimel")
    message = the_message(world)
    assert buttons(message) == [] and "unopposed, the only candidate who stood" in visible(message)
    [record] = [m for m in roots(world, DECISIONS) if m.text.startswith("Election #1")]
    assert f"*<@{NGIMEL}> is the new lead core maintainer*, elected unopposed" in visible(record)
    assert "The count" not in visible(record)


def test_nobody_standing_fails_and_the_thread_says_another_election_may_be_opened(world):
    stepped_down(world)
    for voter in VOTERS:
        click(world, NOT_STANDING, user=voter)
    assert election(world).phase is Phase.FAILED
    assert buttons(the_message(world)) == [] and "*No lead was elected*: nobody stood." in visible(the_message(world))
    [note] = thread(world)
    assert note.startswith("No lead was elected in #1: nobody stood. The seat stays vacant; `/elect lead` opens")
    assert roots(world, DECISIONS) == []
    assert said(world.command("/elect", "lead", user=SOUMITH)).startswith("#2: the core says who stands")


def test_the_vote_reminder_mentions_only_those_yet_to_rank(world):
    voting(world)
    ranks(world, MALFET, "albanD")
    world.advance(HALF)
    reminder = thread(world)[-1]
    assert reminder.startswith("Reminder: the ballot of #1 is open until")
    assert f"<@{MALFET}>" not in reminder and all(f"<@{p}>" in reminder for p in (EZYANG, GCHANAN, ALBAN, NGIMEL))


def test_a_tie_opens_a_ballot_among_the_tied_in_the_message_and_its_thread(world):
    voting(world, candidates=(EZYANG, ALBAN, NGIMEL))
    for voter, first in ((EZYANG, "ezyang"), (GCHANAN, "ezyang"), (ALBAN, "albanD"), (MALFET, "albanD"),
                         (NGIMEL, "ngimel")):
        ranks(world, voter, first)
    tied = election(world)
    assert (tied.phase, tied.poll.candidates) == (Phase.VOTING, ("ezyang", "albanD"))
    assert "*A tie: the ballot is open again, among the tied*" in visible(the_message(world))
    assert thread(world)[-1].startswith("A tie: the ballot is open again, among the tied — rank the candidates")


def test_a_ballot_nobody_ranked_in_fails_at_its_deadline(world):
    voting(world)
    world.advance(timedelta(days=5))
    assert (election(world).phase, election(world).failure.value) == (Phase.FAILED, "no_ballots")
    assert thread(world)[-1].startswith("No lead was elected in #1: nobody ranked the candidates.")


class TestWithoutACoreChannel:
    @pytest.fixture
    def world_config(self):
        config = load_config_file(REPO / "app.yaml").config
        return config.model_copy(update={"core": config.core.model_copy(update={"channel": None})})

    def test_each_voter_gets_the_message_by_dm_kept_current_and_the_notes_in_its_thread(self, world):
        said(world.command("/elect", "lead", user=SOUMITH))
        world.deliver()
        dms = {voter: [m for m in roots(world, dm_channel(world, voter)) if m.blocks] for voter in VOTERS}
        assert all(len(messages) == 1 for messages in dms.values())
        for voter in VOTERS:
            dm = dms[voter][0]
            world.send(world.requests.button(STAND if voter in (EZYANG, ALBAN) else NOT_STANDING, "1", user=voter,
                                             channel=dm.channel, message_ts=dm.ts, block_id="election:1"))
            world.deliver()
        for voter in VOTERS:
            dm = current(world, dms[voter][0])
            assert buttons(dm) == ["Rank the candidates"]
            [note] = world.workspace.replies_to(dm)
            assert note.text.startswith("The ballot is open") and note.text.endswith(f"<@{voter}>")
