"""Every nomination message reaches Slack where its people read: the nominee's DM, the core's slate with
its buttons (kept current), the asked maintainers' DMs, the answers, the public record and the outcome —
over real HTTP, against the Web API stand-in, on a fake clock. The service is driven directly (as the
command and the buttons would), then the outbox delivered."""

from datetime import timedelta

from bot.domain.tally import Choice
from tests.slack.conftest import ASKER, STRANGER
from tests.slack.test_copies import buttons, current, dm_channel, roots, visible

CORE, DECISIONS = "C0CORE", "C0DECISIONS"
MIKAYLA, ALBAN, JOEL, EZYANG = "U0MIKAYLA", "U0ALBAN", "U0JOEL", "U0EZYANG"
ASKED = [MIKAYLA, ALBAN, JOEL]  # nn's maintainers (the nominee is none of them)
CORE_VOTERS = ["U0SOUMITH", EZYANG, "U0GCHANAN", "U0MALFET", ALBAN, "U0NGIMEL"]
SLATE_BUTTONS = ["Ask the maintainers", "Desk-reject", "Call the vote"]


def nominate(world, reason="Reviews most nn PRs") -> int:
    number = world.upline.nominations.nominate(by=ASKER, person=STRANGER, target="nn", reason=reason,
                                               now=world.clock.now()).nomination.number
    world.deliver()
    return number


def on_slate(world, reason="Reviews most nn PRs") -> int:
    number = nominate(world, reason)
    world.upline.nominations.start_review(by=EZYANG, now=world.clock.now())
    world.deliver()
    return number


def slate_messages(world):
    return [current(world, m) for m in roots(world, CORE) if m.text.startswith("Nomination #")]


def dms(world, user):
    return [current(world, m) for m in roots(world, dm_channel(world, user))]


def everything(message) -> str:
    return f"{message.text}\n{visible(message)}"


def test_the_nominee_hears_by_dm_who_nominated_them_and_why(world):
    number = nominate(world)
    [told] = dms(world, STRANGER)
    assert f"<@{STRANGER}>" in told.text and f"(#{number})" in told.text
    assert "add to the nn maintainers" in told.text and "> Reviews most nn PRs" in visible(told)


def test_the_review_posts_the_slate_in_the_core_channel_one_message_per_nomination_with_its_buttons(world):
    number = on_slate(world)
    [opening] = [m for m in roots(world, CORE) if m.text.startswith("Nominations review")]
    assert all(f"<@{person}>" in opening.text for person in CORE_VOTERS)  # the core must act
    [slate] = slate_messages(world)
    shown = visible(slate)
    assert f"Nomination #{number} · nn" in shown and "add to the nn maintainers" in shown
    assert "*Nominated by*" in shown and "> Reviews most nn PRs" in shown
    assert buttons(slate) == SLATE_BUTTONS
    values = {e["value"] for b in slate.blocks if b["type"] == "actions" for e in b["elements"]}
    assert values == {str(number)}


def test_asking_dms_each_maintainer_the_questions_with_answer_and_the_slate_follows(world):
    number = on_slate(world)
    world.upline.nominations.ask_maintainers(number, by=EZYANG, now=world.clock.now())
    world.deliver()
    for person in ASKED:
        [asked] = [m for m in dms(world, person) if f"Nomination #{number}" in m.text]
        assert f"<@{person}>" in asked.text and f"<@{person}>" in visible(asked)
        assert "*depth*" in visible(asked) and "*testimonials*" in visible(asked) and buttons(asked) == ["Answer"]
    [slate] = slate_messages(world)
    assert buttons(slate) == ["Desk-reject", "Call the vote"] and "0 of 3 answered" in visible(slate)
    world.upline.nominations.answer(number, by=MIKAYLA, depth="Owns nn.init", breadth="nn and optim",
                                    testimonials="Kind in reviews", support=True, now=world.clock.now())
    world.deliver()
    [mine] = [m for m in dms(world, MIKAYLA) if f"Nomination #{number}" in m.text]
    assert buttons(mine) == [] and "Your answer is in" in visible(mine)
    assert "1 of 3 answered" in visible(slate_messages(world)[0])


def test_once_everyone_answered_the_core_is_told_in_its_channel_with_the_answers(world):
    number = on_slate(world)
    world.upline.nominations.ask_maintainers(number, by=EZYANG, now=world.clock.now())
    for person, support in ((MIKAYLA, True), (ALBAN, True), (JOEL, False)):
        world.upline.nominations.answer(number, by=person, depth="Owns nn.init <!channel>", breadth="nn",
                                        testimonials=None, support=support, now=world.clock.now())
    world.deliver()
    [answers] = [m for m in roots(world, CORE) if m.text.startswith(f"The answers about #{number}")]
    assert all(f"<@{person}>" in answers.text for person in CORE_VOTERS if person != STRANGER)
    shown = visible(answers)
    assert "does not support it" in shown and "&lt;!channel&gt;" in shown and "<!channel>" not in shown
    assert f"/archives/{CORE}/p" in shown  # a link to the slate


def test_a_called_vote_confirmed_is_published_with_its_reasons_and_the_nominators_told(world):
    number = on_slate(world)
    _, vote = world.upline.nominations.call_vote(number, by=EZYANG, now=world.clock.now())
    decision = vote.decision.number
    world.deliver()
    [slate] = slate_messages(world)
    assert buttons(slate) == [] and f"#{decision} votes on it" in visible(slate)
    for voter in CORE_VOTERS[:4]:
        world.upline.decisions.cast(decision, by=voter, choice=Choice.FOR, now=world.clock.now())
    world.upline.decisions.write_rationale(decision, by=EZYANG, text="Strong nn reviews", now=world.clock.now())
    world.deliver()
    [record] = [m for m in roots(world, DECISIONS) if m.text.startswith(f"Nomination #{number}")]
    shown = visible(record)
    assert "Confirmed" in shown and "*Reasons*, by Edward Yang\n> Strong nn reviews" in shown
    assert "*Nominated by*" in shown and "> Reviews most nn PRs" in shown and f"#{decision}" in shown
    assert "*Confirmed* by" in visible(slate_messages(world)[0])
    for person in (STRANGER, ASKER):
        [told] = [m for m in dms(world, person) if "*confirmed*" in m.text]
        assert f"<@{person}>" in told.text and "Strong nn reviews" in visible(told)


def test_a_desk_rejection_is_published_with_its_reason_and_the_slate_loses_its_buttons(world):
    number = on_slate(world, reason="Spam <@U0SOUMITH> <!here>")
    world.upline.nominations.desk_reject(number, by=EZYANG, reason="Spam, & not about nn", now=world.clock.now())
    world.deliver()
    [record] = [m for m in roots(world, DECISIONS) if m.text.startswith(f"Nomination #{number}")]
    assert "desk-rejected by Edward Yang" in visible(record) and "> Spam, &amp; not about nn" in visible(record)
    [slate] = slate_messages(world)
    assert buttons(slate) == [] and "*Desk-rejected* by Edward Yang" in visible(slate)
    said = [str(c.params.get("text")) + str(c.params.get("blocks")) for c in world.workspace.calls
            if c.method in ("chat.postMessage", "chat.update")]
    assert not [s for s in said if "<!here>" in s or "Spam <@U0SOUMITH>" in s]


def test_a_review_due_while_the_clock_advances_posts_the_slate_once(world):
    world.advance(timedelta(minutes=1))  # the first sweep schedules the first review, a quarter away
    number = nominate(world)
    assert slate_messages(world) == []
    world.advance(timedelta(weeks=13))
    world.advance(timedelta(days=1))
    openings = [m for m in roots(world, CORE) if m.text.startswith("Nominations review")]
    assert len(openings) == 1 and [m.text for m in slate_messages(world)] == [
        f"Nomination #{number}: <@{STRANGER}> — add to the nn maintainers"]
    assert buttons(slate_messages(world)[0]) == SLATE_BUTTONS
