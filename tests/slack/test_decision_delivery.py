"""Every decision message reaches Slack where its people read and stays current: the vote, its thread, the
lead's DM, the dispute, the public record — over real HTTP, against the Web API stand-in, on a fake clock.

Decisions are moved through the service (as the slash commands and buttons would), then delivered."""

from datetime import timedelta

import pytest

from bot.config import load_config_text
from bot.domain.tally import Choice
from tests.slack.conftest import REPO
from tests.slack.test_copies import buttons, current, dm_channel, roots, visible

NN, CORE, DECISIONS = "C0NN", "C0CORE", "C0DECISIONS"
MIKAYLA, ALBAN, JOEL = "U0MIKAYLA", "U0ALBAN", "U0JOEL"
NN_VOTERS = [MIKAYLA, ALBAN, JOEL]
LEAD = "U0SOUMITH"
CORE_VOTERS = [LEAD, "U0EZYANG", "U0GCHANAN", "U0MALFET", ALBAN, "U0NGIMEL"]
JANE = "U0JANE"  # an optim maintainer: she may dispute nn's decisions
FOR, AGAINST, ABSTAIN = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN


def call(world, proposal="Deprecate nn.Container", area="nn", by=MIKAYLA) -> int:
    number = world.upline.decisions.call(by=by, area=area, proposal=proposal, now=world.clock.now()).decision.number
    world.deliver()
    return number


def cast(world, number, *ballots):
    for user, choice in ballots:
        world.upline.decisions.cast(number, by=user, choice=choice, now=world.clock.now())
    world.deliver()


def rationale(world, number, by=JOEL, text="Nobody has used it since 2.0."):
    world.upline.decisions.write_rationale(number, by=by, text=text, now=world.clock.now())
    world.deliver()


def everything(message) -> str:
    """The notification text and what the blocks show: a mention must be in both."""
    return f"{message.text}\n{visible(message)}"


def vote_message(world, channel=NN):
    [message] = [m for m in roots(world, channel) if m.text.startswith("Vote #")]
    return current(world, message)


def replies(world, message):
    return [world.workspace.message(reply.channel, reply.ts) for reply in world.workspace.thread(
        message.channel, message.ts)[1:]]


def test_a_module_vote_goes_to_the_areas_channel_mentioning_every_voter_with_for_against_abstain(world):
    call(world)
    message = vote_message(world)
    for voter in NN_VOTERS:
        assert f"<@{voter}>" in message.text and f"<@{voter}>" in visible(message)
    assert buttons(message) == ["For", "Against", "Abstain"]
    assert "closes <!date^" in visible(message) and "majority · quorum 50%" in visible(message)
    assert "not voted yet: <@U0MIKAYLA> <@U0ALBAN> <@U0JOEL>" in visible(message)


def test_each_vote_updates_the_vote_message_in_place(world):
    number = call(world)
    message = vote_message(world)
    cast(world, number, (ALBAN, FOR))
    updates = [c for c in world.calls("chat.update") if (c.params["channel"], c.params["ts"]) == (NN, message.ts)]
    assert updates, "the vote message is updated after a vote"
    assert "*For 1 · Against 0 · Abstain 0* · not voted yet: <@U0MIKAYLA> <@U0JOEL>" in visible(current(world, message))


def test_a_proposal_or_rationale_that_pings_the_channel_stays_inert_text_everywhere(world):
    number = call(world, proposal="Ping <!channel> and <!here> about <@U0STRANGER>")
    cast(world, number, (MIKAYLA, FOR), (JOEL, FOR))
    rationale(world, number, text="Tell <!everyone> and <!subteam^S0CORE> now")
    said = [str(c.params.get("text")) + str(c.params.get("blocks")) for c in world.workspace.calls
            if c.method in ("chat.postMessage", "chat.update")]
    assert len(said) >= 4
    assert not [s for s in said if any(ping in s for ping in ("<!channel>", "<!here>", "<@U0STRANGER>", "<!everyone>",
                                                              "<!subteam^S0CORE>"))]
    assert "&lt;!channel&gt;" in visible(vote_message(world)) and "&lt;!channel&gt;" in visible(
        roots(world, DECISIONS)[0])
    assert "Tell &lt;!everyone&gt; and &lt;!subteam^S0CORE&gt; now" in visible(roots(world, DECISIONS)[0])


def test_a_reminder_goes_to_the_vote_thread_mentioning_only_those_who_have_not_voted(world):
    number = call(world)
    cast(world, number, (MIKAYLA, FOR))
    world.advance(timedelta(days=3.5))
    [reminder] = [r for r in replies(world, vote_message(world)) if "Reminder" in r.text]
    assert f"<@{ALBAN}>" in everything(reminder) and f"<@{JOEL}>" in everything(reminder)
    assert MIKAYLA not in everything(reminder)


def test_a_decided_vote_asks_its_group_for_the_rationale_in_its_thread_and_on_the_message_itself(world):
    number = call(world)
    cast(world, number, (MIKAYLA, FOR), (JOEL, FOR))
    message = vote_message(world)
    assert ":white_check_mark: *Passed*" in visible(message) and buttons(message) == ["Write the rationale"]
    [decided] = replies(world, message)
    assert all(f"<@{voter}>" in everything(decided) for voter in NN_VOTERS)
    assert "*passed*" in decided.text and buttons(decided) == ["Write the rationale"]
    rationale(world, number)
    assert buttons(current(world, decided)) == [] and buttons(vote_message(world)) == []


def test_the_rationale_publishes_the_record_with_each_choice_and_a_link_to_the_vote(world):
    number = call(world)
    cast(world, number, (MIKAYLA, FOR), (JOEL, AGAINST), (ALBAN, FOR))
    rationale(world, number, by=ALBAN, text="Two of three want it gone.")
    [record] = roots(world, DECISIONS)
    shown = visible(record)
    assert record.text == f"Decision #{number} (nn): passed — Deprecate nn.Container"
    assert "> Deprecate nn.Container" in shown and "*Outcome*: passed, by the nn maintainers" in shown
    assert "For: <@U0MIKAYLA> <@U0ALBAN> · Against: <@U0JOEL> · Abstain: —" in shown
    assert "*Rationale*, by <@U0ALBAN>\n> Two of three want it gone." in shown
    vote = vote_message(world)
    assert f"/archives/{NN}/p{vote.ts.replace('.', '')}|The vote>" in shown
    assert "Two of three want it gone." in visible(vote) and buttons(vote) == []


def test_a_tie_climbs_to_a_core_vote_then_to_the_leads_dm_and_the_lead_decides(world):
    number = call(world)
    cast(world, number, (MIKAYLA, FOR), (JOEL, AGAINST), (ALBAN, ABSTAIN))
    assert "*No decision (a tie)*" in visible(vote_message(world)) and buttons(vote_message(world)) == []
    core_vote = vote_message(world, CORE)
    assert all(f"<@{voter}>" in everything(core_vote) for voter in CORE_VOTERS)
    assert "No decision by the nn maintainers (a tie): the core maintainers decide now." in visible(core_vote)
    assert buttons(core_vote) == ["For", "Against", "Abstain", "Recuse"]
    nn_updates = len([c for c in world.calls("chat.update") if c.params["channel"] == NN])
    cast(world, number, *[(voter, FOR if index < 3 else AGAINST) for index, voter in enumerate(CORE_VOTERS)])
    assert len([c for c in world.calls("chat.update") if c.params["channel"] == NN]) == nn_updates + 1, \
        "the closed round's message changes once (it now says where the decision stands), not at every ballot"
    [lead_dm] = [m for m in roots(world, dm_channel(world, LEAD)) if m.blocks]
    shown = visible(lead_dm)
    assert f"<@{LEAD}>" in lead_dm.text and f"<@{LEAD}>" in shown
    assert "For 1 · Against 1 · Abstain 1" in shown and "For 3 · Against 3 · Abstain 0" in shown
    assert buttons(lead_dm) == ["Approve", "Reject"]
    world.upline.decisions.lead_decides(number, by=LEAD, approve=False, rationale="Not yet: 3.0.",
                                        now=world.clock.now())
    world.deliver()
    assert buttons(current(world, lead_dm)) == [] and "rejected it" in visible(current(world, lead_dm))
    [record] = roots(world, DECISIONS)
    assert "*Outcome*: rejected, by the lead" in visible(record) and "> Not yet: 3.0." in visible(record)
    assert f"/archives/{CORE}/p" in visible(record), "the link is to the latest vote held in a channel"


def test_the_lead_is_reminded_by_another_dm_with_the_buttons_while_it_waits(world):
    number = call(world)
    cast(world, number, (MIKAYLA, FOR), (JOEL, AGAINST), (ALBAN, ABSTAIN))
    cast(world, number, *[(voter, FOR if index < 3 else AGAINST) for index, voter in enumerate(CORE_VOTERS)])
    world.advance(timedelta(days=5))
    dms = [m for m in roots(world, dm_channel(world, LEAD)) if m.blocks]
    assert [m.blocks[0]["text"]["text"].startswith(":scales: Reminder") for m in dms] == [False, True]
    assert all(buttons(m) == ["Approve", "Reject"] for m in dms)


def test_an_overdue_rationale_is_told_to_the_core_in_its_channel_with_the_button(world):
    number = call(world)
    cast(world, number, (MIKAYLA, FOR), (JOEL, FOR))
    world.advance(timedelta(days=3))
    [overdue] = [m for m in roots(world, CORE) if "overdue" in m.text]
    assert all(f"<@{person}>" in everything(overdue) for person in CORE_VOTERS)
    assert buttons(overdue) == ["Write the rationale"] and f"/archives/{NN}/p" in overdue.text
    rationale(world, number, by="U0EZYANG")
    assert buttons(current(world, overdue)) == []


def test_a_dispute_asks_the_group_in_the_vote_thread_and_gives_the_disputer_escalate(world):
    number = call(world)
    cast(world, number, (MIKAYLA, FOR), (JOEL, FOR))
    rationale(world, number)
    world.upline.decisions.dispute(number, by=JANE, reason="optim still needs it <!here>", now=world.clock.now())
    world.deliver()
    [post] = [r for r in replies(world, vote_message(world)) if "disputes" in r.text]
    assert post.reply_broadcast, "the channel sees the dispute, not only the thread"
    assert all(f"<@{voter}>" in everything(post) for voter in NN_VOTERS)
    assert "&lt;!here&gt;" in visible(post) and buttons(post) == ["Uphold", "Revote"]
    [mine] = [m for m in roots(world, dm_channel(world, JANE)) if m.blocks]
    assert buttons(mine) == ["Escalate to core"]
    world.upline.decisions.answer_dispute(number, by=ALBAN, uphold=True, explanation="optim can migrate.",
                                          now=world.clock.now())
    world.deliver()
    assert buttons(current(world, post)) == [] and "upheld by <@U0ALBAN>" in visible(current(world, post))
    answer = [m for m in roots(world, dm_channel(world, JANE)) if m.blocks][-1]
    assert "upheld" in answer.text and buttons(answer) == ["Escalate to core"], "she may still escalate"
    assert buttons(current(world, mine)) == [], "only her newest DM offers it"
    assert current(world, mine).text == (f"You disputed #{number} (passed by the nn maintainers). What came of it is "
                                         "in a later message."), "and the first does not repeat the newest"
    records = roots(world, DECISIONS)
    assert len(records) == 2 and "Upheld by <@U0ALBAN>:\n> optim can migrate." in visible(records[-1])
    assert "Published as *passed*" in visible(current(world, records[0])), "the first record points to the newest"


def _config(*removed: str):
    text = (REPO / "app.yaml").read_text()
    for line in removed:
        assert line in text
        text = text.replace(line, "")
    return load_config_text(text).config


class TestWithoutChannels:
    """nn without a channel and no decisions channel: the vote goes by DM to each voter, each DM is kept
    current, and the record goes to the core's channel."""

    @pytest.fixture
    def world_config(self):
        return _config("    channel: C0NN\n", "  channel: C0DECISIONS           # every outcome is published here, "
                                               "with its reasoning\n")

    def test_each_voter_gets_the_vote_by_dm_and_every_dm_is_updated(self, world):
        number = call(world)
        dms = {voter: [m for m in roots(world, dm_channel(world, voter)) if m.blocks] for voter in NN_VOTERS}
        assert all(len(found) == 1 and buttons(found[0]) == ["For", "Against", "Abstain"] for found in dms.values())
        cast(world, number, (ALBAN, AGAINST))
        for voter, [message] in dms.items():
            assert "not voted yet: <@U0MIKAYLA> <@U0JOEL>" in visible(current(world, message)), voter

    def test_a_reminder_goes_to_each_dm_thread_of_those_who_have_not_voted(self, world):
        number = call(world)
        cast(world, number, (ALBAN, FOR))
        world.advance(timedelta(days=3.5))
        for voter in NN_VOTERS:
            [vote] = [m for m in roots(world, dm_channel(world, voter)) if m.blocks]
            reminded = [r for r in replies(world, vote) if "Reminder" in r.text]
            assert bool(reminded) == (voter != ALBAN), voter
            assert all(f"<@{voter}>" in r.text for r in reminded)

    def test_the_record_goes_to_the_cores_channel(self, world):
        number = call(world)
        cast(world, number, (MIKAYLA, FOR), (JOEL, FOR))
        rationale(world, number)
        [record] = [m for m in roots(world, CORE) if m.text.startswith("Decision #")]
        assert "*Outcome*: passed, by the nn maintainers" in visible(record)
        assert "|The vote>" not in visible(record), "a vote held in DMs has no link anyone else could open"


def test_many_votes_at_once_in_one_channel_are_each_their_own_message_never_a_summary(world):
    for number in range(6):
        world.upline.decisions.call(by=MIKAYLA, area="nn", proposal=f"Proposal {number}", now=world.clock.now())
    world.deliver()
    votes = [m for m in roots(world, NN) if m.text.startswith("Vote #")]
    assert len(votes) == 6 and all(buttons(m) == ["For", "Against", "Abstain"] for m in votes)
