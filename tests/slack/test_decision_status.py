"""`/status #N` of a decision and App Home's "Votes waiting on you", through real signed HTTP."""

import json
from datetime import timedelta

from bot.domain.decision_record import State
from bot.domain.tally import Choice
from handlers.views.decision_actions import (
    LEAD_APPROVE,
    LEAD_REJECT,
    VOTE_ABSTAIN,
    VOTE_AGAINST,
    VOTE_FOR,
    WRITE_RATIONALE,
)
from handlers.views.text import when
from tests.slack.conftest import ASKER, START
from tests.slack.test_decision_modals import at_the_lead, dm_texts, send_form
from tests.slack.test_home import open_home
from tests.slack.test_vote_commands import ALBAN, JANE, JOEL, MIKAYLA, SOUMITH, decided, decision, published, said

WEEK = timedelta(days=7)


def status(world, number=1, user=ASKER) -> list[dict]:
    response = world.command("/status", f"#{number}", user=user)
    assert response.status_code == 200
    return response.json()["blocks"]


def texts(blocks) -> list[str]:
    return [block["text"]["text"] for block in blocks if block["type"] == "section"]


def home_blocks(world, user):
    open_home(world, user)
    return world.workspace.home(user).payload["blocks"]


def votes_section(blocks) -> list[dict]:
    """The blocks of "Votes waiting on you", up to the divider after it."""
    start = next(index for index, block in enumerate(blocks) if "Votes waiting on you" in str(block))
    end = next(index for index in range(start, len(blocks)) if blocks[index]["type"] == "divider")
    return blocks[start:end]


def action_ids(blocks) -> list[str]:
    return [element["action_id"] for block in blocks if block["type"] == "actions" for element in block["elements"]]


def on_home(world, user, action_id, number=1):
    """A button under "Votes waiting on you", as Slack sends its click."""
    view = world.workspace.home(user)
    return world.send(world.requests.interaction({
        "type": "block_actions", "user": {"id": user, "team_id": "T0UPLINE"},
        "container": {"type": "view", "view_id": view.id},
        "view": {**view.payload, "id": view.id, "hash": view.hash},
        "actions": [{"type": "button", "block_id": f"decision_buttons:{number}", "action_id": action_id,
                     "value": str(number), "action_ts": "1700000001.000200"}],
    }))


# -- /status #N ------------------------------------------------------------------------------------


def test_status_of_a_vote_shows_its_state_tally_who_has_not_voted_and_its_deadline(world):
    said(world.command("/vote", "nn Deprecate nn.Container", user=MIKAYLA))
    world.upline.decisions.cast(1, by=ALBAN, choice=Choice.AGAINST, now=world.clock.now())
    response = world.command("/status", "#1")
    assert response.json()["text"] == "#1: voting"
    blocks = response.json()["blocks"]
    assert blocks[0]["text"]["text"] == "#1 · decision · nn"
    sections = texts(blocks)
    assert sections[0] == "> Deprecate nn.Container"
    assert sections[1] == (f":ballot_box_with_ballot: *Voting* — the nn maintainers vote on it until "
                           f"{when(START + WEEK)}")
    assert sections[2] == f"*Now:* For 0 · Against 1 · Abstain 0 · not voted yet: <@{MIKAYLA}> <@{JOEL}>"
    assert "majority · quorum 50% (2 of 3 votes) · for 1w" in str(blocks)
    votes = next(text for text in sections if text.startswith("*Votes*"))
    assert votes == (f"*Votes*\n1. *nn maintainers*, on the proposal — majority · quorum 50% (2 of 3 votes): *open "
                     f"until {when(START + WEEK)}*\n      For 0 · Against 1 · Abstain 0 — not voted yet: <@{MIKAYLA}> "
                     f"<@{JOEL}>"), "who chose what stays unsaid until the vote closes"
    history = sections[-1]
    assert history.startswith("*History*") and f"called by <@{MIKAYLA}>, a vote of the nn maintainers" in history
    assert f"<@{ALBAN}> voted" in history
    assert action_ids(blocks) == [], "nothing waits on the asker"
    assert action_ids(status(world, user=MIKAYLA)) == [VOTE_FOR, VOTE_AGAINST, VOTE_ABSTAIN]


def test_status_of_a_published_decision_shows_each_round_its_rationale_and_its_dispute(world):
    published(world)
    said(world.command("/dispute", "#1 <!channel> optim still subclasses Container", user=JANE))
    blocks = status(world)
    shown = str(blocks)
    sections = texts(blocks)
    assert sections[1] == (f":warning: *Disputed* — *passed*, disputed by <@{JANE}>: the nn maintainers answer by "
                           f"{when(START + WEEK)}, or the core votes on it")
    votes = next(text for text in sections if text.startswith("*Votes*"))
    assert ("1. *nn maintainers*, on the proposal — majority · quorum 50% (2 of 3 votes): *passed*, closed early\n"
            f"      For 2 · Against 0 · Abstain 0 — For: <@{MIKAYLA}> <@{ALBAN}> · Against: — · Abstain: — · "
            f"Did not vote: <@{JOEL}>") in votes
    assert "*Rationale*\n> ModuleList does it better." in sections
    disputes = next(text for text in sections if text.startswith("*Disputes*"))
    assert f"by <@{JANE}>: &lt;!channel&gt; optim still subclasses Container" in disputes
    assert "<!channel>" not in shown
    assert "published: passed" in sections[-1] and f"disputed by <@{JANE}>" in sections[-1]


def test_status_of_a_decision_with_the_lead_and_of_a_number_that_is_neither(world):
    at_the_lead(world)
    sections = texts(status(world))
    assert sections[1] == f":crown: *With the lead* — <@{SOUMITH}>, the lead, approves or rejects it alone"
    votes = next(text for text in sections if text.startswith("*Votes*"))
    assert "1. *nn maintainers*, on the proposal — majority · quorum 50% (2 of 3 votes): *no decision (a tie)*" in votes
    assert "2. *core maintainers*, on the proposal — majority · quorum 50% (3 of 6 votes): *no decision" in votes
    assert "3. *the lead*, on the proposal: *not yet decided*" in votes
    assert action_ids(status(world, user=SOUMITH)) == [LEAD_APPROVE, LEAD_REJECT]
    assert world.command("/status", "#7").text == "There is no ticket #7."


def test_status_of_a_ticket_is_unchanged_beside_decisions(world):
    world.command("/ask", "nn How?")
    said(world.command("/vote", "nn Deprecate nn.Container", user=MIKAYLA))
    assert world.command("/status", "#1").json()["text"] == "#1: open"
    assert world.command("/status", "#2").json()["text"] == "#2: voting"


# -- App Home ----------------------------------------------------------------------------------------


def test_home_shows_the_votes_waiting_on_me_with_their_buttons(world):
    said(world.command("/vote", "nn Deprecate nn.Container", user=MIKAYLA))
    section = votes_section(home_blocks(world, ALBAN))
    assert section[1]["text"]["text"] == f"• *#1* nn · Deprecate nn.Container — vote by {when(START + WEEK)}"
    [buttons] = [block for block in section if block["type"] == "actions"]
    assert [(element["action_id"], element["value"]) for element in buttons["elements"]] == [
        (VOTE_FOR, "1"), (VOTE_AGAINST, "1"), (VOTE_ABSTAIN, "1")]
    assert "Votes waiting on you" not in str(home_blocks(world, ASKER)), "an asker has no votes"
    assert "_None._" in str(votes_section(home_blocks(world, JANE)))


def test_voting_on_home_redraws_it_with_the_answer_and_without_the_buttons(world):
    said(world.command("/vote", "nn Deprecate nn.Container", user=MIKAYLA))
    home_blocks(world, ALBAN)
    response = on_home(world, ALBAN, VOTE_AGAINST)
    assert response.status_code == 200
    assert [(b.voter, b.choice) for b in decision(world).ballots] == [("albanD", Choice.AGAINST)]
    blocks = world.workspace.home(ALBAN).payload["blocks"]
    assert texts(blocks)[0] == "You voted Against on #1."
    assert action_ids(votes_section(blocks)) == []
    on_home(world, ALBAN, VOTE_AGAINST)  # a stale tab, clicked again
    assert texts(world.workspace.home(ALBAN).payload["blocks"])[0] == (
        "You already voted Against on #1; press another button to change your vote.")
    assert world.workspace.ephemerals(ALBAN) == []


def test_home_offers_the_rationale_to_the_group_and_approve_or_reject_to_the_lead(world):
    decided(world)
    section = votes_section(home_blocks(world, JOEL))
    assert section[1]["text"]["text"] == (f"• *#1* nn · Deprecate nn.Container — write the rationale by "
                                          f"{when(START + timedelta(days=3))}")
    assert action_ids(section) == [WRITE_RATIONALE]
    on_home(world, JOEL, WRITE_RATIONALE)
    [call] = world.calls("views.open")
    assert json.loads(call.params["view"]["private_metadata"])["home"] is True


def test_a_form_opened_on_home_redraws_it_when_sent_without_the_button(world):
    decided(world)
    home_blocks(world, JOEL)
    on_home(world, JOEL, WRITE_RATIONALE)
    send_form(world, JOEL, "rationale", "ModuleList does everything Container did.")
    assert decision(world).state is State.PUBLISHED
    blocks = world.workspace.home(JOEL).payload["blocks"]
    assert texts(blocks)[0] == "#1's rationale is published, with its outcome: *passed*."
    assert WRITE_RATIONALE not in action_ids(blocks)
    assert dm_texts(world, JOEL) == [], "answered where it was asked, on the tab"


def test_the_leads_form_sent_from_home_leaves_no_approve_or_reject_there(world):
    at_the_lead(world)
    home_blocks(world, SOUMITH)
    on_home(world, SOUMITH, LEAD_REJECT)
    send_form(world, SOUMITH, "rationale", "Too many tutorials still use it.")
    assert decision(world).state is State.FINAL
    blocks = world.workspace.home(SOUMITH).payload["blocks"]
    assert texts(blocks)[0] == "You rejected #1: it is final, and published with your rationale."
    assert not {LEAD_APPROVE, LEAD_REJECT} & set(action_ids(blocks))


def test_home_offers_the_lead_approve_and_reject(world):
    at_the_lead(world)
    section = votes_section(home_blocks(world, SOUMITH))
    assert "— yours to approve or reject" in section[1]["text"]["text"]
    assert action_ids(section) == [LEAD_APPROVE, LEAD_REJECT]
    assert decision(world).state is State.LEAD
