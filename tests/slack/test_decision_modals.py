"""The forms of a decision through real signed HTTP: the button asks the rules before the form opens,
the form sent does the move (or keeps the form open with why), and Revote and Escalate to core act at once."""

import json
from datetime import timedelta

from bot.domain.decision_record import State
from bot.domain.tally import Choice, Result
from handlers.views.decision_actions import (
    ESCALATE_DISPUTE,
    LEAD_APPROVE,
    LEAD_MODAL,
    LEAD_REJECT,
    RATIONALE_MODAL,
    REVOTE,
    UPHOLD,
    UPHOLD_MODAL,
    WRITE_RATIONALE,
)
from handlers.views.text import when
from tests.slack.conftest import START, STRANGER
from tests.slack.test_vote_buttons import answers, click
from tests.slack.test_vote_commands import (
    ALBAN,
    CORE,
    EZYANG,
    JANE,
    MIKAYLA,
    SOUMITH,
    decided,
    decision,
    history,
    published,
    said,
)


def opened_form(world, user):
    """The form Slack shows `user` now (the top of their modal stack), or None."""
    stack = world.workspace.modal_stack(user)
    return stack[-1] if stack else None


def send_form(world, user, field, text, *, form=None):
    """What Slack sends when `user` presses the form's submit button with `text` in its field."""
    form = form or opened_form(world, user)
    values = {field: {field: {"type": "plain_text_input", "value": text}}}
    return world.send(world.requests.interaction({
        "type": "view_submission", "user": {"id": user, "team_id": "T0UPLINE"},
        "view": {**form.payload, "id": form.id, "hash": form.hash, "state": {"values": values}},
    }))


def dm_texts(world, user):
    channel, _ = world.workspace.open_conversation([user])
    return [message.text for message in world.workspace.messages(channel.id)]


def at_the_lead(world):
    """#1: an nn tie, then a core tie: with the lead."""
    said(world.command("/vote", "nn Deprecate nn.Container", user=MIKAYLA))
    service, now = world.upline.decisions, world.clock.now()
    for voter, choice in [(MIKAYLA, Choice.FOR), (ALBAN, Choice.AGAINST), ("U0JOEL", Choice.ABSTAIN)]:
        service.cast(1, by=voter, choice=choice, now=now)
    for voter, choice in zip(CORE, [Choice.FOR, Choice.AGAINST] * 3, strict=True):
        service.cast(1, by=voter, choice=choice, now=now)
    assert decision(world).state is State.LEAD


def disputed(world):
    """#1 published, then disputed by Jane (an optim maintainer)."""
    published(world)
    said(world.command("/dispute", "#1 optim still subclasses Container", user=JANE))
    assert decision(world).state is State.DISPUTED


# -- Write the rationale ---------------------------------------------------------------------------


def test_write_the_rationale_opens_a_form_and_sending_it_publishes_the_outcome(world):
    decided(world)
    click(world, WRITE_RATIONALE, user=ALBAN)
    [call] = world.calls("views.open")
    view = call.params["view"]
    assert (view["callback_id"], json.loads(view["private_metadata"])) == (
        RATIONALE_MODAL, {"decision": 1, "round": 1, "dispute": 0})
    [field] = [block for block in view["blocks"] if block["type"] == "input"]
    assert (field["block_id"], field["element"]["multiline"], field["element"]["max_length"]) == ("rationale", True,
                                                                                                  2900)
    assert "> Deprecate nn.Container" in str(view["blocks"])
    response = send_form(world, ALBAN, "rationale", "ModuleList does everything Container did.")
    assert response.status_code == 200 and response.text == "", "the form closes"
    after = decision(world)
    assert (after.state, after.rationale, after.current.rationale_by) == (
        State.PUBLISHED, "ModuleList does everything Container did.", "albanD")
    assert dm_texts(world, ALBAN) == ["#1's rationale is published, with its outcome: *passed*."]
    assert answers(world, ALBAN) == []


def test_write_the_rationale_by_someone_who_may_not_opens_no_form(world):
    decided(world)
    click(world, WRITE_RATIONALE, user=STRANGER)
    assert world.calls("views.open") == []
    assert answers(world, STRANGER) == [f"Only the nn maintainers who decided #1, a core maintainer or the lead "
                                        f"(<@{SOUMITH}>) can write its rationale."]


def test_an_empty_or_refused_rationale_keeps_the_form_open_and_changes_nothing(world):
    decided(world)
    click(world, WRITE_RATIONALE, user=ALBAN)
    form = opened_form(world, ALBAN)
    before = (decision(world), history(world))
    response = send_form(world, ALBAN, "rationale", "   ")
    assert response.json() == {"response_action": "errors",
                               "errors": {"rationale": "Write the reasoning: it is published with the outcome."}}
    response = send_form(world, STRANGER, "rationale", "I say so.", form=form)  # a form Slack never gave them
    assert response.json()["errors"]["rationale"] == ("Only the nn maintainers who decided #1, a core maintainer or "
                                                      "the lead (Soumith Chintala) can write its rationale.")
    response = send_form(world, ALBAN, "rationale", "x" * 3000)
    assert response.json()["errors"]["rationale"].startswith("The rationale is 3,000 characters long; keep it to 2,900")
    assert (decision(world), history(world)) == before
    assert dm_texts(world, ALBAN) == []


def test_a_rationale_sent_after_someone_else_wrote_it_is_refused_in_the_form(world):
    decided(world)
    click(world, WRITE_RATIONALE, user=ALBAN)
    world.upline.decisions.write_rationale(1, by=MIKAYLA, text="Mikayla's words.", now=world.clock.now())
    response = send_form(world, ALBAN, "rationale", "Alban's words.")
    assert response.json()["errors"]["rationale"] == "#1 has no rationale to write now: it is published."
    assert decision(world).rationale == "Mikayla's words."


def test_a_rationale_form_kept_open_through_a_revote_gives_no_reasons_to_the_new_outcome(world):
    decided(world)  # passed
    click(world, WRITE_RATIONALE, user=ALBAN)
    stale = opened_form(world, ALBAN)
    service, now = world.upline.decisions, world.clock.now()
    service.write_rationale(1, by=MIKAYLA, text="Passed because.", now=now)
    service.dispute(1, by=JANE, reason="optim still subclasses Container", now=now)
    service.answer_dispute(1, by=MIKAYLA, uphold=False, explanation=None, now=now)
    for voter in (MIKAYLA, "U0JOEL"):
        service.cast(1, by=voter, choice=Choice.AGAINST, now=now)
    assert (decision(world).state, decision(world).outcome) == (State.DECIDED, Result.REJECTED)
    before = (decision(world), history(world))
    response = send_form(world, ALBAN, "rationale", "Why it passed: everyone wants it.", form=stale)
    assert response.json()["errors"]["rationale"] == (
        "#1 was voted on again since this was opened and is rejected now: press Write the rationale again to "
        "answer it as it stands.")
    assert (decision(world), history(world)) == before
    click(world, WRITE_RATIONALE, user=ALBAN)  # the form opened again is for the new outcome
    send_form(world, ALBAN, "rationale", "Two of three now say optim needs it.")
    assert (decision(world).state, decision(world).rationale) == (State.PUBLISHED,
                                                                  "Two of three now say optim needs it.")


# -- the lead --------------------------------------------------------------------------------------


def test_only_the_lead_gets_the_leads_form_and_sending_it_decides_for_good(world):
    at_the_lead(world)
    click(world, LEAD_APPROVE, user=EZYANG)
    assert world.calls("views.open") == []
    assert answers(world, EZYANG) == [f"Only the lead (<@{SOUMITH}>) decides #1 now."]
    click(world, LEAD_APPROVE, user=SOUMITH)
    [call] = world.calls("views.open")
    assert (call.params["view"]["callback_id"], json.loads(call.params["view"]["private_metadata"])) == (
        LEAD_MODAL, {"decision": 1, "round": 3, "dispute": 0, "verb": "approve"})
    assert call.params["view"]["title"]["text"] == "Approve #1"
    response = send_form(world, SOUMITH, "rationale", "")
    assert response.json()["errors"] == {"rationale": "Write the reasoning: it is published with the outcome."}
    assert decision(world).state is State.LEAD
    response = send_form(world, SOUMITH, "rationale", "Container has had a deprecation warning for two releases.")
    assert response.status_code == 200 and response.text == ""
    final = decision(world)
    assert (final.state, final.outcome, final.rationale) == (
        State.FINAL, Result.PASSED, "Container has had a deprecation warning for two releases.")
    assert dm_texts(world, SOUMITH) == ["You approved #1: it is final, and published with your rationale."]


def test_the_leads_reject_form_rejects(world):
    at_the_lead(world)
    click(world, LEAD_REJECT, user=SOUMITH)
    assert json.loads(opened_form(world, SOUMITH).payload["private_metadata"])["verb"] == "reject"
    send_form(world, SOUMITH, "rationale", "Too many tutorials still use it.")
    assert (decision(world).state, decision(world).outcome) == (State.FINAL, Result.REJECTED)
    assert dm_texts(world, SOUMITH) == ["You rejected #1: it is final, and published with your rationale."]


# -- a dispute -------------------------------------------------------------------------------------


def test_the_group_upholds_a_dispute_with_an_explanation(world):
    disputed(world)
    click(world, UPHOLD, user=STRANGER)
    assert world.calls("views.open") == []
    assert answers(world, STRANGER)[0].startswith("Only the nn maintainers who decided #1 (")
    click(world, UPHOLD, user=MIKAYLA)
    view = opened_form(world, MIKAYLA).payload
    assert (view["callback_id"], json.loads(view["private_metadata"])) == (
        UPHOLD_MODAL, {"decision": 1, "round": 1, "dispute": 1})
    assert f"Disputed by <@{JANE}>: optim still subclasses Container" in str(view["blocks"])
    assert send_form(world, MIKAYLA, "explanation", "").json()["errors"] == {
        "explanation": "Explain why the outcome stands: it is published with the dispute."}
    send_form(world, MIKAYLA, "explanation", "optim can move to ModuleList in one release.")
    upheld = decision(world)
    assert (upheld.state, upheld.disputes[-1].resolution) == (State.PUBLISHED, "upheld")
    assert dm_texts(world, MIKAYLA) == [f"You upheld #1 for the nn maintainers: your explanation is published, and "
                                        f"<@{JANE}> was told; they may still take it to the core."]


def test_an_uphold_form_written_to_one_dispute_never_answers_the_next(world):
    disputed(world)
    click(world, UPHOLD, user=MIKAYLA)
    stale = opened_form(world, MIKAYLA)
    service, now = world.upline.decisions, world.clock.now()
    service.answer_dispute(1, by=ALBAN, uphold=True, explanation="optim can move.", now=now)
    service.dispute(1, by="U0JEFFREY", reason="TorchScript still needs it", now=now)
    before = (decision(world), history(world))
    response = send_form(world, MIKAYLA, "explanation", "Jane's point about optim is moot.", form=stale)
    assert response.json()["errors"]["explanation"] == (
        "The dispute this answers was settled already; Jeffrey Wan's dispute of #1 is open now: press Uphold again "
        "to answer it.")
    assert (decision(world), history(world)) == before
    assert decision(world).disputes[-1].answer is None


def test_revote_opens_a_fresh_vote_of_the_group(world):
    disputed(world)
    world.clock.advance(timedelta(hours=1))
    click(world, REVOTE, user=JANE)
    assert answers(world, JANE)[0].startswith("Only the nn maintainers who decided #1 (")
    assert decision(world).state is State.DISPUTED
    click(world, REVOTE, user=ALBAN)
    again = decision(world)
    assert (again.state, again.level, len(again.rounds)) == (State.VOTING, "area:nn", 2)
    assert answers(world, ALBAN) == [
        f"You answered the dispute with a revote; the disputer was told. #1 is open for the nn maintainers until "
        f"{when(START + timedelta(days=7, hours=1))}: <@{MIKAYLA}> <@{ALBAN}> <@U0JOEL> are asked to vote."]


def test_the_disputer_escalates_to_the_core_and_nobody_else_can(world):
    disputed(world)
    click(world, ESCALATE_DISPUTE, user=MIKAYLA)
    assert answers(world, MIKAYLA) == [f"Only <@{JANE}>, who disputed #1, can escalate the dispute to the core."]
    assert decision(world).state is State.DISPUTED
    click(world, ESCALATE_DISPUTE, user=JANE)
    core = decision(world)
    assert (core.state, core.level, core.disputes[-1].escalated) == (State.VOTING, "core", "disputer")
    asked = " ".join(f"<@{person}>" for person in CORE)
    assert answers(world, JANE) == [
        f"Your dispute went to the core. #1 is open for the core maintainers until {when(START + timedelta(days=5))}: "
        f"{asked} are asked to vote. *For* upholds the outcome (*passed*), *Against* overturns it."]
    click(world, ESCALATE_DISPUTE, user=JANE)
    assert answers(world, JANE)[-1].startswith("#1 has no dispute to escalate")
