"""The nomination messages: the slate offers what each state allows, the asked maintainer's DM its form,
the notes name whom they are for — user text escaped, within Slack's limits."""

from dataclasses import replace
from datetime import timedelta

from bot.domain import nomination_clocks as clocks
from bot.domain import nominations as rules
from bot.domain.nomination_record import Action, State
from handlers.views import nomination_notes as notes
from handlers.views.nomination import ask_blocks, ask_text, slate_blocks, slate_text
from handlers.views.nomination_actions import ANSWER, ASK_MAINTAINERS, CALL_VOTE, DESK_REJECT, START_REMOVAL
from tests.handlers.views.decisions import CONFIG, GROUPS, NOW, buttons, read_back, shown

DAY = timedelta(days=1)


def nominated(reason="Reviews most nn PRs", person="U0KSHITIJ", action=Action.ADD, target="nn"):
    change = rules.nominate(action=action, person=person, target=target, by="janeyx99", reason=reason,
                            groups=GROUPS, now=NOW)
    return replace(change.nomination, number=41)


def in_review(nomination=None):
    review = clocks.start_review([nomination or nominated()], by="ezyang", groups=GROUPS, last_active={},
                                 inactive_after={}, every=13 * 7 * DAY, now=NOW)
    return review.slate[0].nomination


def asked():
    return rules.ask_maintainers(in_review(), by="ezyang", groups=GROUPS, window=5 * DAY, reminders=(0.5,),
                                 now=NOW).nomination


def answered(nomination, by="mikaylagawarecki", support=True):
    return rules.answer(nomination, by=by, depth="Owns nn.init", breadth="nn", testimonials="Kind <!here>",
                        support=support, groups=GROUPS, now=NOW + DAY).nomination


def test_the_slate_offers_ask_desk_reject_and_call_the_vote_for_a_nomination_in_review():
    blocks = slate_blocks(CONFIG, in_review())
    assert buttons(blocks) == [("Ask the maintainers", ASK_MAINTAINERS, "41"), ("Desk-reject", DESK_REJECT, "41"),
                               ("Call the vote", CALL_VOTE, "41")]
    text = shown(blocks)
    assert "<@U0KSHITIJ>* — add to the nn maintainers" in text and "Jane Xu:\n> Reviews most nn PRs" in text
    assert read_back(blocks) == blocks


def test_once_asked_the_slate_shows_who_answered_and_offers_desk_reject_and_call_the_vote():
    blocks = slate_blocks(CONFIG, answered(asked()))
    assert [label for label, _, _ in buttons(blocks)] == ["Desk-reject", "Call the vote"]
    text = shown(blocks)
    assert "1 of 3 answered" in text and "Mikayla Gawarecki (supports)" in text
    assert "Not answered: Alban Desmaison, Joel Schlosser" in text


def test_a_voting_or_closed_nomination_offers_nothing_and_says_where_it_stands():
    voting = replace(asked(), state=State.VOTING, decision=43)
    assert buttons(slate_blocks(CONFIG, voting)) == [] and "#43 votes on it" in shown(slate_blocks(CONFIG, voting))
    rejected = rules.desk_reject(in_review(), by="ezyang", reason="Not yet <!channel>", groups=GROUPS,
                                 now=NOW).nomination
    blocks = slate_blocks(CONFIG, rejected)
    assert buttons(blocks) == [] and "*Desk-rejected* by Edward Yang\n> Not yet &lt;!channel&gt;" in shown(blocks)


def test_a_suggested_move_to_emeritus_says_since_when_the_maintainer_was_inactive():
    review = clocks.start_review([], by="upline", groups=GROUPS, last_active={"jbschlosser": NOW - 200 * DAY},
                                 inactive_after={"nn": 26 * 7 * DAY}, every=13 * 7 * DAY, now=NOW)
    suggestion = replace(review.slate[0].nomination, number=50)
    assert "*Joel Schlosser* — suggested for emeritus in nn: inactive since 2026-05-07" in shown(
        slate_blocks(CONFIG, suggestion))
    text, _ = notes.nominated(CONFIG, suggestion, review.slate[0].notices[0].data)
    assert text.startswith("<@U0JOEL>, the nominations review suggests moving you to emeritus in nn (#50)")


def test_a_suggested_move_to_emeritus_offers_start_removal_instead_of_call_the_vote():
    review = clocks.start_review([], by="upline", groups=GROUPS, last_active={"jbschlosser": NOW - 200 * DAY},
                                 inactive_after={"nn": 26 * 7 * DAY}, every=13 * 7 * DAY, now=NOW)
    blocks = slate_blocks(CONFIG, replace(review.slate[0].nomination, number=50))
    assert buttons(blocks) == [("Ask the maintainers", ASK_MAINTAINERS, "50"), ("Desk-reject", DESK_REJECT, "50"),
                               ("Start removal (emeritus)", START_REMOVAL, "50")]
    assert "desk-reject it, or start the removal." in shown(blocks)


def test_user_text_is_escaped_and_a_long_reason_fits_its_section():
    blocks = slate_blocks(CONFIG, in_review(nominated(reason="<!channel> " + "x" * 4000)))
    assert "&lt;!channel&gt;" in shown(blocks) and "<!channel>" not in shown(blocks)
    assert read_back(blocks) == blocks and slate_text(CONFIG, in_review()).startswith("Nomination #41: <@U0KSHITIJ>")


def test_the_asked_maintainer_gets_the_questions_and_answer_until_they_have_answered():
    nomination = asked()
    blocks = ask_blocks(CONFIG, nomination, "albanD")
    assert buttons(blocks) == [("Answer", ANSWER, "41")] and read_back(blocks) == blocks
    text = shown(blocks)
    assert "<@U0ALBAN> — Edward Yang asks for your view by <!date^" in text
    assert "*depth*" in text and "*breadth*" in text and "*testimonials*" in text and "*support*" in text
    assert "<@U0ALBAN>" in ask_text(CONFIG, nomination, "albanD")
    done = answered(nomination, by="albanD")
    assert buttons(ask_blocks(CONFIG, done, "albanD")) == [] and "Your answer is in" in shown(
        ask_blocks(CONFIG, done, "albanD"))
    assert ask_text(CONFIG, nomination, "albanD", reminder=True).startswith("Reminder:")


def test_the_answers_in_name_whoever_decides_and_quote_each_answer_escaped():
    nomination = answered(asked(), support=False)
    text, blocks = notes.answers_in(CONFIG, nomination, ("ezyang", "gchanan"), "https://x/archives/C0CORE/p1")
    assert "<@U0EZYANG> <@U0GCHANAN>" in text and "does not support it" in shown(blocks)
    assert "&lt;!here&gt;" in shown(blocks) and "<https://x/archives/C0CORE/p1|the slate>" in shown(blocks)
    assert read_back(blocks) == blocks


def test_the_record_of_a_confirmation_carries_the_outcome_its_reasons_and_the_nominators():
    confirmed = replace(asked(), state=State.CONFIRMED, decision=43, reason="Strong nn reviews",
                        closed_by="ezyang", closed_at=NOW + 2 * DAY)
    text, blocks = notes.published(CONFIG, confirmed)
    assert text == "Nomination #41 (nn): confirmed — <@U0KSHITIJ>, add to the nn maintainers"
    body = shown(blocks)
    assert "*Outcome*: confirmed by the core maintainers in #43" in body
    assert "*Reasons*, by Edward Yang\n> Strong nn reviews" in body and "Jane Xu:\n> Reviews most nn PRs" in body
    told, _ = notes.outcome(CONFIG, confirmed, "janeyx99")
    assert told.startswith("<@U0JANE>, the nomination you made of <@U0KSHITIJ> (#41") and "*confirmed*" in told
    assert read_back(blocks) == blocks


def test_the_review_opening_mentions_the_core_and_a_vacant_lead_seat_names_the_election():
    text, blocks = notes.review(CONFIG, {"by": "ezyang", "on_slate": 2, "suggested": 1,
                                         "next_due_at": (NOW + 91 * DAY).isoformat()}, ("ezyang", "gchanan"), [1, 2, 3])
    assert text.startswith("Nominations review brought forward by Edward Yang: 2 nominations on the slate, "
                           "1 suggested for emeritus — <@U0EZYANG> <@U0GCHANAN>")
    assert "Next review <!date^" in shown(blocks) and read_back(blocks) == blocks
    removal = replace(nominated(person="soumith", action=Action.REMOVE, target="core"), of_lead=True)
    vacant, _ = notes.lead_vacant(CONFIG, removal, ("ezyang", "gchanan"), {"removed": "soumith",
                                                                           "next": "/elect lead"})
    assert "Soumith Chintala was removed as the lead" in vacant and "<@U0EZYANG> <@U0GCHANAN>" in vacant
    assert "`/elect lead` may start" in vacant
