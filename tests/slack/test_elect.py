"""`/elect lead`, its buttons and its ranking form through real signed HTTP, and the messages Slack gets:
the election's message in the core's channel (kept current), its thread, and the record in the decisions
channel. Here the lead, Soumith, steps down: the five other core maintainers elect."""

from datetime import timedelta

from bot.domain.election_record import Phase
from bot.domain.nomination_record import CORE as CORE_TARGET
from bot.domain.nomination_record import Action, Nomination, Nominator, State
from handlers.views.election_actions import NOT_STANDING, RANK, RANK_MODAL, STAND
from handlers.views.text import when
from tests.slack.conftest import START, STRANGER
from tests.slack.test_copies import buttons, current, roots, visible
from tests.slack.test_decision_modals import dm_texts, opened_form
from tests.slack.test_vote_buttons import answers
from tests.slack.test_vote_commands import ALBAN, EZYANG, MIKAYLA, SOUMITH, said

GCHANAN, MALFET, NGIMEL = "U0GCHANAN", "U0MALFET", "U0NGIMEL"
VOTERS = (EZYANG, GCHANAN, MALFET, ALBAN, NGIMEL)
CORE, DECISIONS = "C0CORE", "C0DECISIONS"
STAND_UNTIL = START + timedelta(days=5)  # the core's vote duration


def election(world, number=1):
    return world.upline.elections.get(number)[0]


def history(world, number=1):
    return [event.kind for event in world.upline.elections.get(number)[1]]


def stepped_down(world):
    """#1: Soumith, the lead, opens the election; its message is in the core's channel."""
    answer = said(world.command("/elect", "lead", user=SOUMITH))
    world.deliver()
    return answer


def the_message(world):
    [message] = [m for m in roots(world, CORE) if m.text.startswith("Electing the lead")]
    return current(world, message)


def click(world, action_id, *, user, value="1"):
    message = the_message(world)
    response = world.send(world.requests.button(action_id, value, user=user, channel=message.channel,
                                                message_ts=message.ts, block_id=f"election:{value}"))
    assert response.status_code == 200 and response.text == "", "a click is acknowledged with nothing to show"
    world.deliver()
    return response


def voting(world, candidates=(EZYANG, ALBAN)):
    stepped_down(world)
    for voter in VOTERS:
        click(world, STAND if voter in candidates else NOT_STANDING, user=voter)
    assert election(world).phase is Phase.VOTING


def send_ranking(world, user, *picked, form=None):
    """What Slack sends when `user` sends the ranking form with these picks (people keys; None: blank)."""
    form = form or opened_form(world, user)
    state = {}
    for place, person in enumerate(picked, 1):
        option = None if person is None else {"text": {"type": "plain_text", "text": person}, "value": person}
        state[f"rank_{place}"] = {f"rank_{place}": {"type": "static_select", "selected_option": option}}
    response = world.send(world.requests.interaction({
        "type": "view_submission", "user": {"id": user, "team_id": "T0UPLINE"},
        "view": {**form.payload, "id": form.id, "hash": form.hash, "state": {"values": state}},
    }))
    world.deliver()
    return response


def ranks(world, user, *picked):
    click(world, RANK, user=user)
    response = send_ranking(world, user, *picked)
    assert response.status_code == 200 and response.text == "", "the form closes"


# -- /elect lead -------------------------------------------------------------------------------------


def test_the_lead_steps_down_and_the_core_is_asked_who_stands(world):
    answer = stepped_down(world)
    mentioned = " ".join(f"<@{voter}>" for voter in VOTERS)
    assert answer == (f"#1: the core says who stands until {when(STAND_UNTIL)}: {mentioned} are asked whether they "
                      "stand.")
    message = the_message(world)
    assert buttons(message) == ["Stand", "Not standing"]
    shown = visible(message)
    assert "Electing the lead · #1" in shown and f"The lead's seat is vacant: <@{SOUMITH}> stepped down." in shown
    assert all(f"<@{voter}>" in shown for voter in VOTERS) and f"Not answered yet: {mentioned}" in shown
    assert (election(world).phase, history(world)) == (Phase.STANDING, ["election_opened"])


def test_elect_is_refused_while_the_seat_is_not_vacant_and_to_anyone_outside_the_core(world):
    assert said(world.command("/elect", "lead", user=EZYANG)).startswith(
        "The lead's seat is not vacant, so there is no election to hold.")
    assert said(world.command("/elect", "lead", user=STRANGER)) == (
        f"Only the core maintainers elect the lead; a core maintainer, or the lead (<@{SOUMITH}>), opens the "
        "election.")
    assert said(world.command("/elect", "lead", user=MIKAYLA)).startswith("Only the core maintainers elect")
    assert not world.upline.elections.is_election(1) and roots(world, CORE) == []


def test_anything_but_lead_gets_the_usage_and_a_second_election_is_refused(world):
    for text in ("", "core", "lead now <!channel>"):
        assert said(world.command("/elect", text, user=SOUMITH)).startswith("Write it as `/elect lead`"), text
    assert not world.upline.elections.is_election(1)
    stepped_down(world)
    assert said(world.command("/elect", "lead", user=SOUMITH)).startswith("#1 is already electing the lead")


# -- Stand / Not standing ----------------------------------------------------------------------------


def test_a_voter_stands_or_not_is_told_privately_and_the_message_shows_it(world):
    stepped_down(world)
    click(world, STAND, user=EZYANG)
    assert answers(world, EZYANG) == [f"You stand for the lead in #1. You may change your mind until "
                                      f"{when(STAND_UNTIL)}."]
    click(world, NOT_STANDING, user=GCHANAN)
    assert answers(world, GCHANAN) == [f"You do not stand in #1. You may change your mind until {when(STAND_UNTIL)}."]
    assert f"Standing: <@{EZYANG}> · Not standing: <@{GCHANAN}> · Not answered yet:" in visible(the_message(world))


def test_a_retried_click_changes_nothing(world):
    stepped_down(world)
    click(world, STAND, user=EZYANG)
    before = election(world), history(world)
    click(world, STAND, user=EZYANG)
    assert answers(world, EZYANG)[-1] == "You already stand in #1; nothing changed."
    assert (election(world), history(world)) == before


def test_someone_who_does_not_elect_is_told_who_does_and_nothing_changes(world):
    stepped_down(world)
    before = election(world), history(world)
    for user in (STRANGER, SOUMITH):  # the departing lead does not elect
        click(world, STAND, user=user)
        assert answers(world, user) == [f"Only the core maintainers who elect the lead can stand in #1: <@{EZYANG}>, "
                                        f"<@{GCHANAN}>, <@{MALFET}>, <@{ALBAN}>, <@{NGIMEL}>."]
    assert (election(world), history(world)) == before


def test_once_everyone_answered_the_ballot_opens_in_the_message_and_its_thread(world):
    voting(world)
    assert answers(world, NGIMEL)[-1].startswith("You do not stand in #1. Everyone has answered. The ballot is open")
    message = the_message(world)
    assert buttons(message) == ["Rank the candidates"]
    assert f"*The ballot is open*: <@{EZYANG}> and <@{ALBAN}>, until" in visible(message)
    [note] = world.workspace.replies_to(message)
    assert note.text.startswith("The ballot is open — rank the candidates until")
    assert all(f"<@{voter}>" in note.text for voter in VOTERS)


# -- the ranking form --------------------------------------------------------------------------------


def test_rank_opens_the_form_for_a_voter_and_a_refusal_for_anyone_else(world):
    voting(world)
    click(world, RANK, user=STRANGER)
    assert world.calls("views.open") == []
    assert answers(world, STRANGER)[-1].startswith("Only the core maintainers who elect the lead can vote in #1")
    click(world, RANK, user=MALFET)
    [call] = world.calls("views.open")
    view = call.params["view"]
    assert (view["callback_id"], view["private_metadata"]) == (RANK_MODAL, "1")
    selects = [block for block in view["blocks"] if block["type"] == "input"]
    assert [block["label"]["text"] for block in selects] == ["1st choice", "2nd choice"]
    assert [option["value"] for option in selects[0]["element"]["options"]] == ["ezyang", "albanD"]


def test_a_gap_or_a_repeat_is_shown_in_the_form_and_casts_nothing(world):
    voting(world)
    click(world, RANK, user=MALFET)
    before = election(world), history(world)
    response = send_ranking(world, MALFET, None, "albanD")
    assert response.json() == {"response_action": "errors", "errors": {
        "rank_1": "Pick your 1st choice too, or clear the choices below it: the choices go in order, without a gap."}}
    response = send_ranking(world, MALFET, "albanD", "albanD")
    assert response.json()["errors"] == {"rank_2": "Alban Desmaison is already your 1st choice: rank each candidate "
                                                   "once."}
    response = send_ranking(world, MALFET, "<!channel>")
    assert response.json()["errors"] == {"rank_1": "Pick one of the candidates on this ballot."}
    assert (election(world), history(world)) == before and dm_texts(world, MALFET) == []


def test_a_ballot_counts_is_confirmed_by_dm_and_the_message_shows_who_voted_never_how(world):
    voting(world)
    ranks(world, MALFET, "albanD", "ezyang")
    assert election(world).poll.ballot_of("malfet").ranking == ("albanD", "ezyang")
    assert dm_texts(world, MALFET) == [f"Your ballot in #1 is in: 1. Alban Desmaison, 2. Edward Yang. Who has voted "
                                       f"is shown, how you ranked is not. You may rank again until "
                                       f"{when(election(world).poll.closes_at)}."]
    shown = visible(the_message(world))
    assert f"Voted: <@{MALFET}> · Not voted yet:" in shown and "Alban Desmaison" not in shown
    click(world, RANK, user=MALFET)
    prefilled = opened_form(world, MALFET).payload["blocks"]
    assert [b["element"].get("initial_option", {}).get("value") for b in prefilled if b["type"] == "input"] == [
        "albanD", "ezyang"]


def test_a_refusal_of_the_rules_is_shown_in_the_form(world):
    voting(world)
    click(world, RANK, user=MALFET)
    form = opened_form(world, MALFET)
    response = send_ranking(world, STRANGER, "albanD", form=form)  # a form Slack never gave them
    assert response.json()["errors"]["rank_1"] == (
        "Only the core maintainers who elect the lead can vote in #1: Edward Yang, Greg Chanan, Nikita Shulga, "
        "Alban Desmaison, Natalia Gimelshein.")
    assert election(world).poll.ballots == ()


def test_everyone_ranked_elects_the_lead_and_the_record_is_published_with_the_rounds(world):
    voting(world)
    for voter, ranking in ((EZYANG, ("ezyang",)), (GCHANAN, ("ezyang", "albanD")), (MALFET, ("albanD",)),
                           (ALBAN, ("albanD",)), (NGIMEL, ("ezyang",))):
        ranks(world, voter, *ranking)
    done = election(world)
    assert (done.phase, done.winner) == (Phase.ELECTED, "ezyang")
    assert dm_texts(world, NGIMEL)[-1].endswith(f"Everyone has voted. <@{EZYANG}> is elected the lead.")
    message = the_message(world)
    assert buttons(message) == [] and f"*<@{EZYANG}> is elected the lead*" in visible(message)
    [record] = [m for m in roots(world, DECISIONS) if m.text.startswith("Election #1")]
    shown = visible(record)
    assert f"*<@{EZYANG}> is the new lead core maintainer*" in shown
    assert f"The lead's seat is vacant: <@{SOUMITH}> stepped down." in shown
    assert "Round 1: Edward Yang 3, Alban Desmaison 2\nEdward Yang wins with 3 of 5" in shown
    assert f"/archives/{CORE}/p{message.ts.replace('.', '')}|the election>" in shown
    status = world.command("/status", "#1", user=STRANGER)
    assert said(status) == "#1: election of the lead, elected"
    assert "Edward Yang wins with 3 of 5" in str(status.json()["blocks"])


def test_status_of_an_election_shows_who_stands_who_voted_and_its_history(world):
    voting(world)
    ranks(world, MALFET, "albanD")
    status = world.command("/status", "#1", user=STRANGER)
    assert said(status) == "#1: election of the lead, voting"
    shown = str(status.json()["blocks"])
    assert f"Standing: <@{EZYANG}> <@{ALBAN}> · Not standing: <@{GCHANAN}> <@{MALFET}> <@{NGIMEL}>" in shown
    assert f"Voted: <@{MALFET}> · Not voted yet: <@{EZYANG}> <@{GCHANAN}> <@{ALBAN}> <@{NGIMEL}>" in shown
    assert f"opened by <@{SOUMITH}> (<@{SOUMITH}> stepped down)" in shown and f"<@{MALFET}> ranked the" in shown
    assert "Alban Desmaison" not in shown, "how anyone ranked is never shown"


def test_once_the_core_removed_the_lead_a_core_maintainer_opens_the_election(world):
    with world.upline.unit_of_work() as uow:  # a confirmed `/nominate remove @soumith core`, as its vote leaves it
        uow.nominations.add(Nomination(Action.REMOVE, "soumith", CORE_TARGET, (Nominator("ezyang", "Gone", START),),
                                       State.CONFIRMED, START, of_lead=True, closed_at=START, closed_by="ezyang"))
        uow.commit()
    world.clock.advance(timedelta(hours=1))
    assert said(world.command("/elect", "lead", user=GCHANAN)).startswith("#2: the core says who stands until")
    world.deliver()
    shown = visible(the_message(world))
    assert f"The lead's seat is vacant: the core removed <@{SOUMITH}> as the lead core maintainer." in shown
    assert election(world, 2).voters == ("ezyang", "gchanan", "malfet", "albanD", "ngimel")


def test_the_same_ballot_sent_again_changes_nothing(world):
    voting(world)
    ranks(world, MALFET, "albanD")
    before = election(world), history(world)
    ranks(world, MALFET, "albanD")
    assert dm_texts(world, MALFET)[-1].startswith("Your ballot in #1 is unchanged: 1. Alban Desmaison.")
    assert (election(world), history(world)) == before
