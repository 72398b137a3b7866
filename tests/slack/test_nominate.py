"""`/nominate` and `/status #N` of a nomination through real signed HTTP: what the person who typed it
reads, and what is stored afterwards (the messages the nominee and the core get are another test's)."""

from datetime import timedelta

from bot.domain.nomination_record import Action, State
from handlers.views.text import when
from tests.slack.conftest import ASKER, START, STRANGER
from tests.slack.test_vote_commands import ALBAN, EZYANG, MIKAYLA, SOUMITH, blocks_of, said

KSHITIJ = "U0KSHITIJ"  # someone app.yaml does not know: the nomination keeps their Slack ID
PICKED = f"<@{KSHITIJ}|kshitij>"  # how Slack sends a person picked from its list, with should_escape
NEXT_REVIEW = ("The core maintainers review nominations every week; the next review is "
               f"{when(START + timedelta(weeks=1))}.")
USAGE = ("Whom, and for which area? Write it as `/nominate [remove] @person &lt;area|core&gt; [why]` or "
         "`/nominate review`, picking the person from the list Slack offers when you type @.")


def nomination(world, number=1):
    return world.upline.nominations.get(number)[0]


def history(world, number=1):
    return [event.kind for event in world.upline.nominations.get(number)[1]]


def stored(world, number=1) -> bool:
    return world.upline.nominations.is_nomination(number)


# -- nominating ------------------------------------------------------------------------------------


def test_anyone_nominates_someone_for_a_module_and_is_told_when_the_core_reviews_it(world):
    answer = said(world.command("/nominate", f"{PICKED} nn Reviews most nn PRs"))
    assert answer == f"#1: you nominated <@{KSHITIJ}> for the nn maintainers. {NEXT_REVIEW}"
    stored_one = nomination(world)
    assert (stored_one.action, stored_one.person, stored_one.target, stored_one.state) == (
        Action.ADD, KSHITIJ, "nn", State.NOMINATED)
    assert [(n.by, n.reason) for n in stored_one.nominators] == [(ASKER, "Reviews most nn PRs")]
    assert history(world) == ["nominated"]


def test_a_mention_without_a_name_and_an_alias_are_read_too(world):
    said(world.command("/nominate", f"<@{KSHITIJ}> torch.nn"))
    assert (nomination(world).person, nomination(world).target, nomination(world).nominators[0].reason) == (
        KSHITIJ, "nn", None)


def test_a_second_nomination_of_the_same_person_joins_the_first(world):
    said(world.command("/nominate", f"{PICKED} nn Reviews most nn PRs"))
    answer = said(world.command("/nominate", f"{PICKED} nn Fixed the hooks", user=STRANGER))
    assert answer == f"<@{KSHITIJ}> is already nominated for nn (#1): your reason was added."
    assert [(n.by, n.reason) for n in nomination(world).nominators] == [
        (ASKER, "Reviews most nn PRs"), (STRANGER, "Fixed the hooks")]
    assert not stored(world, 2)
    assert history(world) == ["nominated", "joined"]
    again = said(world.command("/nominate", f"{PICKED} nn", user=STRANGER))
    assert again == f"You have already nominated <@{KSHITIJ}> in #1."


def test_a_maintainer_nominates_themselves_for_removal_with_at_me(world):
    answer = said(world.command("/nominate", "remove @me nn Stepping back", user=MIKAYLA))
    assert answer == f"#1: you nominated yourself for removal from the nn maintainers. {NEXT_REVIEW}"
    stored_one = nomination(world)
    assert (stored_one.action, stored_one.person, stored_one.target) == (Action.REMOVE, "mikaylagawarecki", "nn")


def test_a_maintainer_nominates_someone_for_the_core(world):
    answer = said(world.command("/nominate", f"{PICKED} core Leads the compiler work", user=MIKAYLA))
    assert answer.startswith(f"#1: you nominated <@{KSHITIJ}> for the core maintainers.")
    assert nomination(world).target == "core"


def test_the_rules_refuse_and_nothing_is_stored(world):
    refusals = {
        f"<@{MIKAYLA}|mikayla> nn": f"<@{MIKAYLA}> is already a maintainer of nn.",
        f"remove {PICKED} nn": (f"<@{KSHITIJ}> is not a maintainer of nn (emeritus maintainers hold no seat), so "
                                "there is nothing to remove."),
        f"{PICKED} nope": "There is no area 'nope' to nominate for.",
        f"{PICKED} core": ("Only core and module maintainers can nominate for the core; anyone can nominate for a "
                           "module: `/nominate @person &lt;area&gt; [why]`."),
    }
    for text, refusal in refusals.items():
        assert said(world.command("/nominate", text)) == refusal, text
    assert not stored(world)


def test_a_missing_person_or_area_gets_the_usage(world):
    for text in ("", PICKED, "remove", "remove @me", "review me"):
        answer = said(world.command("/nominate", text, user=MIKAYLA))
        assert answer == USAGE or text == "review me", text
    assert said(world.command("/nominate", "Kshitij nn")).startswith("Who is nominated? Write it as `/nominate")
    assert said(world.command("/nominate", "review me", user=EZYANG)) == (
        "`/nominate review` takes nothing after it: it starts the nominations review now.")
    assert not stored(world)


# -- the review ------------------------------------------------------------------------------------


def test_a_core_maintainer_brings_the_review_forward(world):
    said(world.command("/nominate", f"{PICKED} nn Reviews most nn PRs"))
    world.clock.advance(timedelta(days=1))
    answer = said(world.command("/nominate", "review", user=EZYANG))
    assert answer == (f"The nominations review starts now: 1 nomination on the core's slate (#1). "
                      f"The next review is {when(START + timedelta(days=1, weeks=1))}.")
    assert nomination(world).state is State.IN_REVIEW
    assert history(world) == ["nominated", "in_review"]
    later = said(world.command("/nominate", f"<@{KSHITIJ}> optim", user=ASKER))
    assert later.endswith(f"the next review is {when(START + timedelta(days=1, weeks=1))}.")


def test_only_a_core_maintainer_may_start_the_review(world):
    said(world.command("/nominate", f"{PICKED} nn Reviews most nn PRs"))
    for user in (MIKAYLA, STRANGER):
        assert said(world.command("/nominate", "review", user=user)) == (
            f"Only a core maintainer or the lead (<@{SOUMITH}>) can bring the nominations review forward.")
    assert nomination(world).state is State.NOMINATED


# -- /status #N ------------------------------------------------------------------------------------


def test_status_of_a_nomination_shows_who_what_why_and_its_history(world):
    said(world.command("/nominate", f"{PICKED} nn Reviews most nn PRs"))
    said(world.command("/nominate", f"{PICKED} nn Fixed the hooks", user=STRANGER))
    response = world.command("/status", "#1")
    assert response.json()["text"] == "#1: nominated"
    blocks = blocks_of(response)
    assert "#1 · nomination · nn" in blocks
    assert f"*Add <@{KSHITIJ}> to the nn maintainers*" in blocks
    assert f"*Nominated* — waits for the core's next review, {when(START + timedelta(weeks=1))}" in blocks
    assert f"<@{ASKER}>: Reviews most nn PRs" in blocks and f"<@{STRANGER}>: Fixed the hooks" in blocks
    assert f"nominated by <@{ASKER}>: Reviews most nn PRs" in blocks
    assert f"<@{STRANGER}> joined the nomination: Fixed the hooks" in blocks


def test_status_of_an_answered_nomination_shows_the_answers_to_the_core_alone(world):
    said(world.command("/nominate", f"{PICKED} nn Reviews most nn PRs"))
    service, now = world.upline.nominations, world.clock.now()
    service.start_review(by=EZYANG, now=now)
    service.ask_maintainers(1, by=EZYANG, now=now)
    service.answer(1, by=MIKAYLA, depth="Deep in hooks", breadth="nn and optim", testimonials="Kind in review",
                   support=True, now=now)
    for_core = blocks_of(world.command("/status", "#1", user=ALBAN))
    assert "*Asked*" in for_core
    assert f"1 of 3 asked · 1 supports · waiting on <@{ALBAN}> <@U0JOEL>" in for_core
    assert f"<@{MIKAYLA}> supports it" in for_core and "Deep in hooks" in for_core and "Kind in review" in for_core
    for_anyone = blocks_of(world.command("/status", "#1", user=STRANGER))
    assert f"<@{MIKAYLA}> supports it" in for_anyone and "Deep in hooks" not in for_anyone


def test_status_of_a_desk_rejected_nomination_shows_its_outcome_and_reason(world):
    said(world.command("/nominate", f"{PICKED} nn <!channel> spam"))
    world.upline.nominations.desk_reject(1, by=EZYANG, reason="Spam", now=world.clock.now())
    blocks = blocks_of(world.command("/status", "#1"))
    assert "*Desk-rejected*" in blocks and "*Outcome:* *desk-rejected*: Spam" in blocks
    assert "&lt;!channel&gt; spam" in blocks and "<!channel>" not in blocks
