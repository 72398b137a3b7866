"""A nomination's buttons and forms through real signed HTTP: the core's Ask the maintainers, Call the
vote and Desk-reject, an asked maintainer's Answer; a refused click is answered privately and changes
nothing, a refused or incomplete form keeps the form open with why."""

from datetime import timedelta

from bot.domain.decision_record import Kind
from bot.domain.decision_record import State as DecisionState
from bot.domain.nomination_record import State
from handlers.views.nomination_actions import (
    ANSWER,
    ANSWER_MODAL,
    ASK_MAINTAINERS,
    CALL_VOTE,
    DESK_REJECT,
    DESK_REJECT_MODAL,
    START_REMOVAL,
)
from handlers.views.text import when
from tests.slack.conftest import START, STRANGER
from tests.slack.test_decision_modals import dm_texts, opened_form
from tests.slack.test_nominate import KSHITIJ, PICKED, history, nomination
from tests.slack.test_vote_buttons import answers
from tests.slack.test_vote_commands import ALBAN, CORE, EZYANG, JOEL, MIKAYLA, SOUMITH, said

SLATE = ("C0CORE", "1700000000.000200")  # wherever the slate is, the answer goes there
NN_ASKED = f"<@{MIKAYLA}> <@{ALBAN}> <@{JOEL}>"
CORE_ONLY = f"Only a core maintainer or the lead (<@{SOUMITH}>) can"


def click(world, action_id, *, user, value="1"):
    channel, ts = SLATE
    response = world.send(world.requests.button(action_id, value, user=user, channel=channel, message_ts=ts,
                                                block_id=f"nomination:{value}"))
    assert response.status_code == 200 and response.text == "", "a click is acknowledged with nothing to show"
    return response


def send_form(world, user, values, *, form=None):
    """What Slack sends when `user` presses the form's submit button with `values` ({block: value})."""
    form = form or opened_form(world, user)
    state = {}
    for block, value in values.items():
        if block == "support":
            option = {"text": {"type": "plain_text", "text": value.capitalize()}, "value": value}
            state[block] = {block: {"type": "radio_buttons", "selected_option": option}}
        else:
            state[block] = {block: {"type": "plain_text_input", "value": value}}
    return world.send(world.requests.interaction({
        "type": "view_submission", "user": {"id": user, "team_id": "T0UPLINE"},
        "view": {**form.payload, "id": form.id, "hash": form.hash, "state": {"values": state}},
    }))


def on_the_slate(world):
    """#1: Kshitij nominated for nn, on the core's slate."""
    said(world.command("/nominate", f"{PICKED} nn Reviews most nn PRs"))
    said(world.command("/nominate", "review", user=EZYANG))
    assert nomination(world).state is State.IN_REVIEW


def asked(world):
    on_the_slate(world)
    click(world, ASK_MAINTAINERS, user=EZYANG)
    assert nomination(world).state is State.ASKED


# -- Ask the maintainers ---------------------------------------------------------------------------


def test_a_core_maintainer_asks_the_maintainers(world):
    on_the_slate(world)
    click(world, ASK_MAINTAINERS, user=EZYANG)
    assert answers(world, EZYANG) == [f"You asked the nn maintainers about #1: {NN_ASKED} answer by "
                                      f"{when(START + timedelta(days=5))}."]
    ask = nomination(world).ask
    assert (nomination(world).state, ask.people) == (State.ASKED, ("mikaylagawarecki", "albanD", "jbschlosser"))
    assert history(world)[-1] == "asked"


def test_asking_is_refused_to_anyone_but_the_core_and_changes_nothing(world):
    on_the_slate(world)
    before = nomination(world), history(world)
    click(world, ASK_MAINTAINERS, user=MIKAYLA)
    assert answers(world, MIKAYLA) == [f"{CORE_ONLY} ask the maintainers about #1."]
    assert (nomination(world), history(world)) == before


# -- Call the vote ---------------------------------------------------------------------------------


def test_a_core_maintainer_calls_the_vote_and_is_told_its_number_and_who_votes(world):
    on_the_slate(world)
    click(world, CALL_VOTE, user=EZYANG)
    voters = " ".join(f"<@{person}>" for person in CORE)
    assert answers(world, EZYANG) == [f"You called the vote on #1. #2 is open for the core maintainers until "
                                      f"{when(START + timedelta(days=5))}: {voters} are asked to vote."]
    assert (nomination(world).state, nomination(world).decision) == (State.VOTING, 2)
    vote = world.upline.decisions.get(2)[0]
    assert (vote.kind, vote.state) == (Kind.CORE, DecisionState.VOTING)


def test_calling_the_vote_is_refused_to_others_and_changes_nothing(world):
    on_the_slate(world)
    click(world, CALL_VOTE, user=STRANGER)
    assert answers(world, STRANGER) == [f"{CORE_ONLY} call the vote on #1."]
    assert nomination(world).state is State.IN_REVIEW
    assert not world.upline.decisions.is_decision(2)


def test_a_button_that_names_no_nomination_is_answered_and_changes_nothing(world):
    on_the_slate(world)
    click(world, CALL_VOTE, user=EZYANG, value="nope")
    assert answers(world, EZYANG) == ["That button does not name a nomination; `/status #N` shows one."]
    click(world, CALL_VOTE, user=EZYANG, value="7")
    assert answers(world, EZYANG)[-1] == "There is no nomination #7."
    assert nomination(world).state is State.IN_REVIEW


# -- Desk-reject -----------------------------------------------------------------------------------


def test_desk_reject_opens_a_form_and_sending_it_rejects_with_the_reason(world):
    on_the_slate(world)
    click(world, DESK_REJECT, user=EZYANG)
    [call] = world.calls("views.open")
    view = call.params["view"]
    assert (view["callback_id"], view["private_metadata"]) == (DESK_REJECT_MODAL, "1")
    [field] = [block for block in view["blocks"] if block["type"] == "input"]
    assert (field["block_id"], field["element"]["multiline"]) == ("reason", True)
    assert f"Add <@{KSHITIJ}> to the nn maintainers" in str(view["blocks"])
    response = send_form(world, EZYANG, {"reason": "Not ready yet: too few reviews."})
    assert response.status_code == 200 and response.text == "", "the form closes"
    rejected = nomination(world)
    assert (rejected.state, rejected.reason, rejected.closed_by) == (
        State.DESK_REJECTED, "Not ready yet: too few reviews.", "ezyang")
    assert dm_texts(world, EZYANG) == ["You desk-rejected #1: your reason is published, and the nominee and the "
                                       "nominators are told."]
    assert answers(world, EZYANG) == []


def test_desk_reject_by_someone_who_may_not_opens_no_form(world):
    on_the_slate(world)
    click(world, DESK_REJECT, user=STRANGER)
    assert world.calls("views.open") == []
    assert answers(world, STRANGER) == [f"{CORE_ONLY} desk-reject #1."]


def test_an_empty_or_refused_desk_rejection_keeps_the_form_open_and_changes_nothing(world):
    on_the_slate(world)
    click(world, DESK_REJECT, user=EZYANG)
    form = opened_form(world, EZYANG)
    before = nomination(world), history(world)
    response = send_form(world, EZYANG, {"reason": "   "})
    assert response.json() == {"response_action": "errors",
                               "errors": {"reason": "Say why it is desk-rejected: the reason is published."}}
    response = send_form(world, STRANGER, {"reason": "Spam"}, form=form)  # a form Slack never gave them
    assert response.json()["errors"]["reason"] == ("Only a core maintainer or the lead (Soumith Chintala) can "
                                                   "desk-reject #1.")
    assert (nomination(world), history(world)) == before
    assert dm_texts(world, EZYANG) == []


# -- Answer ----------------------------------------------------------------------------------------


def test_an_asked_maintainer_answers_in_the_form(world):
    asked(world)
    click(world, ANSWER, user=MIKAYLA)
    [call] = world.calls("views.open")
    view = call.params["view"]
    assert (view["callback_id"], view["private_metadata"]) == (ANSWER_MODAL, "1")
    inputs = {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}
    assert list(inputs) == ["depth", "breadth", "testimonials", "support"]
    assert inputs["testimonials"]["optional"] is True
    assert [option["value"] for option in inputs["support"]["element"]["options"]] == ["yes", "no"]
    response = send_form(world, MIKAYLA, {"depth": "Owns the hooks", "breadth": "nn and optim", "testimonials": "",
                                          "support": "yes"})
    assert response.status_code == 200 and response.text == "", "the form closes"
    [answer] = nomination(world).ask.answers
    assert (answer.by, answer.depth, answer.breadth, answer.testimonials, answer.support) == (
        "mikaylagawarecki", "Owns the hooks", "nn and optim", "", True)
    assert dm_texts(world, MIKAYLA) == ["Your answer on #1 is in: you support it. 1 of the 3 asked have answered."]


def test_someone_not_asked_gets_no_form(world):
    asked(world)
    click(world, ANSWER, user=STRANGER)
    assert world.calls("views.open") == []
    assert answers(world, STRANGER) == [f"Only those asked about #1 can answer: <@{MIKAYLA}>, <@{ALBAN}>, <@{JOEL}>."]


def test_an_incomplete_or_refused_answer_keeps_the_form_open_and_changes_nothing(world):
    asked(world)
    click(world, ANSWER, user=JOEL)
    form = opened_form(world, JOEL)
    before = nomination(world), history(world)
    response = send_form(world, JOEL, {"depth": "Deep", "breadth": "", "support": "no"})
    assert response.json() == {"response_action": "errors",
                               "errors": {"breadth": "Describe the breadth of their contributions."}}
    response = send_form(world, JOEL, {"depth": "Deep", "breadth": "Wide"})
    assert response.json()["errors"] == {"support": "Say whether you support the nomination."}
    response = send_form(world, EZYANG, {"depth": "Deep", "breadth": "Wide", "support": "yes"}, form=form)
    assert response.json()["errors"] == {"depth": "Only those asked about #1 can answer: Mikayla Gawarecki, "
                                                  "Alban Desmaison, Joel Schlosser."}
    assert (nomination(world), history(world)) == before
    assert dm_texts(world, JOEL) == []


# -- a review's suggestion of emeritus ---------------------------------------------------------------


def test_a_maintainer_inactive_past_inactive_after_is_suggested_and_start_removal_calls_the_vote(world):
    said(world.command("/ask", "nn How do I register a forward hook on every submodule?"))
    said(world.command("/ack", "#1", user=JOEL))  # Joel's last act in Upline
    world.advance(timedelta(weeks=27))
    said(world.command("/nominate", "review", user=EZYANG))
    suggestion = next(n for n in world.upline.nominations.slate().nominations if n.person == "jbschlosser")
    assert suggestion.emeritus and suggestion.state is State.IN_REVIEW
    click(world, START_REMOVAL, user=EZYANG, value=str(suggestion.number))
    after = nomination(world, suggestion.number)
    assert after.state is State.VOTING
    vote = world.upline.decisions.get(after.decision)[0]
    assert "to emeritus" in vote.proposal and vote.kind is Kind.CORE
    assert answers(world, EZYANG)[-1].startswith(f"You called the vote on #{suggestion.number}.")
    click(world, START_REMOVAL, user=STRANGER, value=str(suggestion.number))
    assert answers(world, STRANGER)[-1].startswith(CORE_ONLY)
    assert nomination(world, suggestion.number) == after
