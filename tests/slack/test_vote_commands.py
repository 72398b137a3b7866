"""`/vote`, `/dispute`, `/veto` and `/decisions` through real signed HTTP: what the person who typed
them reads, and what the decision is afterwards (the vote messages Slack gets are another test's)."""

from datetime import timedelta

from bot.domain.decision_record import Kind, State
from bot.domain.tally import Choice, Result
from handlers.views.text import when
from tests.slack.conftest import ASKER, START, STRANGER

MIKAYLA, ALBAN, JOEL = "U0MIKAYLA", "U0ALBAN", "U0JOEL"  # the nn maintainers; Alban is core too
SOUMITH, EZYANG, JANE = "U0SOUMITH", "U0EZYANG", "U0JANE"  # the lead, a core maintainer, an optim maintainer
CORE = ("U0SOUMITH", "U0EZYANG", "U0GCHANAN", "U0MALFET", "U0ALBAN", "U0NGIMEL")
NN_ASKED = f"<@{MIKAYLA}> <@{ALBAN}> <@{JOEL}> are asked to vote"
WEEK = timedelta(days=7)


def said(response) -> str:
    """The text the person who typed the command sees (Bolt answers plain text, or JSON with blocks)."""
    assert response.status_code == 200
    return response.json()["text"] if response.headers["content-type"].startswith("application/json") \
        else response.text


def blocks_of(response) -> str:
    assert response.status_code == 200
    return str(response.json()["blocks"])


def decision(world, number=1):
    return world.upline.decisions.get(number)[0]


def history(world, number=1):
    return [event.kind for event in world.upline.decisions.get(number)[1]]


def stored(world) -> bool:
    return world.upline.decisions.is_decision(1)


def decided(world, proposal="Deprecate nn.Container"):
    """#1: a vote of the nn maintainers that passed with two For (the third could not change it); its
    rationale is pending."""
    said(world.command("/vote", f"nn {proposal}", user=MIKAYLA))
    for voter in (MIKAYLA, ALBAN):
        world.upline.decisions.cast(1, by=voter, choice=Choice.FOR, now=world.clock.now())
    assert decision(world).state is State.DECIDED


def published(world, proposal="Deprecate nn.Container"):
    """#1 passed and published with its rationale: open to dispute and veto for a week."""
    decided(world, proposal)
    world.upline.decisions.write_rationale(1, by=MIKAYLA, text="ModuleList does it better.", now=world.clock.now())
    assert decision(world).state is State.PUBLISHED


# -- /vote -----------------------------------------------------------------------------------------


def test_a_maintainer_calls_a_vote_and_is_told_who_is_asked_until_when(world):
    answer = said(world.command("/vote", "nn Deprecate nn.Container in favour of nn.ModuleList", user=MIKAYLA))
    assert answer == f"#1 is open for the nn maintainers until {when(START + WEEK)}: {NN_ASKED}."
    called = decision(world)
    assert (called.kind, called.area, called.state, called.level) == (Kind.MODULE, "nn", State.VOTING, "area:nn")
    assert called.proposal == "Deprecate nn.Container in favour of nn.ModuleList"
    assert called.voters == ("mikaylagawarecki", "albanD", "jbschlosser")
    assert history(world) == ["called"]


def test_the_area_may_be_an_alias_or_left_out_by_who_maintains_one(world):
    said(world.command("/vote", "torch.nn\nDeprecate nn.Container", user=MIKAYLA))
    said(world.command("/vote", "Drop the legacy LBFGS", user=JANE))  # Jane maintains optim alone
    assert [(decision(world, n).area, decision(world, n).proposal) for n in (1, 2)] == [
        ("nn", "Deprecate nn.Container"), ("optim", "Drop the legacy LBFGS")]


def test_a_core_maintainer_calls_a_core_vote(world):
    answer = said(world.command("/vote", "core Adopt the RFC process", user=EZYANG))
    asked = " ".join(f"<@{person}>" for person in CORE)
    assert answer == f"#1 is open for the core maintainers until {when(START + timedelta(days=5))}: {asked} are " \
                     "asked to vote."
    assert (decision(world).kind, decision(world).level) == (Kind.CORE, "core")
    said(world.command("/vote", "Adopt the RFC process everywhere", user=EZYANG))  # no area of his own: core
    assert decision(world, 2).kind is Kind.CORE


def test_someone_who_may_not_call_votes_is_told_who_may_and_that_escalate_is_theirs(world):
    answer = said(world.command("/vote", "Deprecate nn.Container", user=STRANGER))
    assert answer == (f"Only an area's maintainers, a core maintainer or the lead (<@{SOUMITH}>) can call a vote; "
                      "`/escalate` is yours to raise a matter with them.")
    answer = said(world.command("/vote", "nn Deprecate nn.Container", user=JANE))
    assert answer == (f"Only the nn maintainers, a core maintainer or the lead (<@{SOUMITH}>) can call a vote on nn; "
                      "`/escalate nn` is yours to raise it with them.")
    assert said(world.command("/vote", "core Adopt the RFC process", user=MIKAYLA)).startswith(
        f"Only a core maintainer or the lead (<@{SOUMITH}>) can call a core vote")
    assert not stored(world)


def test_empty_text_or_an_area_alone_shows_the_usage(world):
    assert said(world.command("/vote", "  ", user=MIKAYLA)) == (
        "What should be decided? Write it as `/vote [area] &lt;proposal&gt;` or `/vote #12`.")
    assert said(world.command("/vote", "nn", user=MIKAYLA)) == (
        "What should the nn maintainers vote on? Write it after the area: `/vote nn &lt;proposal&gt;`.")
    assert not stored(world)


def test_a_40000_character_proposal_is_refused_with_its_length_and_nothing_is_stored(world):
    answer = said(world.command("/vote", "nn " + "x" * 40_000, user=MIKAYLA))
    assert answer == ("Your proposal is 40,000 characters long; keep it to 2,000 (link a document or an issue for "
                      "the details) and send it again.")
    assert not stored(world)


def test_a_proposal_saying_channel_is_kept_as_typed_and_shown_inert(world):
    said(world.command("/vote", "nn <!channel> deprecate nn.Container", user=MIKAYLA))
    assert decision(world).proposal == "<!channel> deprecate nn.Container"
    shown = blocks_of(world.command("/status", "#1", user=MIKAYLA)) + blocks_of(world.command("/decisions", ""))
    assert "&lt;!channel&gt; deprecate nn.Container" in shown and "<!channel>" not in shown


def test_vote_on_a_ticket_puts_its_question_to_the_vote_once(world):
    world.command("/escalate", "nn Should nn.Container be deprecated?")
    answer = said(world.command("/vote", "#1", user=MIKAYLA))
    assert answer == (f"#2 is open for the nn maintainers until {when(START + WEEK)}: {NN_ASKED}. Ticket #1 resolves "
                      "with its outcome and rationale once they are published.")
    assert (decision(world, 2).ticket, decision(world, 2).proposal) == (1, "Should nn.Container be deprecated?")
    assert said(world.command("/vote", "#1", user=ALBAN)) == "#2 is already the vote on #1: `/status #2`."
    assert said(world.command("/vote", "#1 something else", user=ALBAN)).startswith(
        "`/vote #1` puts ticket #1's question to the vote as it stands")
    assert said(world.command("/vote", "#99", user=ALBAN)) == "There is no ticket #99."
    assert said(world.command("/vote", "#2", user=ALBAN)) == "#2 is a decision, not a ticket: `/status #2` shows it."


# -- /dispute --------------------------------------------------------------------------------------


def test_a_maintainer_disputes_a_published_decision_and_is_told_what_happens_next(world):
    published(world)
    answer = said(world.command("/dispute", "#1 <!channel> optim still subclasses Container", user=JANE))
    assert answer == (f"You disputed #1. The nn maintainers are asked to answer by {when(START + WEEK)}; if they do "
                      "not, or you press Escalate to core, the core votes on it.")
    disputed = decision(world)
    assert disputed.state is State.DISPUTED
    assert (disputed.disputes[-1].by, disputed.disputes[-1].reason) == ("janeyx99",
                                                                        "<!channel> optim still subclasses Container")
    status = blocks_of(world.command("/status", "#1", user=JANE))
    assert "&lt;!channel&gt; optim still subclasses Container" in status and "<!channel>" not in status


def test_a_dispute_by_someone_who_may_not_or_too_early_changes_nothing(world):
    decided(world)
    before = (decision(world), history(world))
    assert said(world.command("/dispute", "#1 no", user=JANE)) == (
        "#1 cannot be disputed now: it is decided and waits for its rationale.")
    world.upline.decisions.write_rationale(1, by=MIKAYLA, text="Better.", now=world.clock.now())
    before = (decision(world), history(world))
    assert said(world.command("/dispute", "#1 I do not like it", user=STRANGER)) == (
        "Only maintainers can dispute a decision; `/escalate` is yours to raise it with them.")
    assert said(world.command("/dispute", "it is wrong", user=JANE)) == (
        "Which decision? Write it as `/dispute #12 why the decision is wrong`.")
    assert (decision(world), history(world)) == before


# -- /veto -----------------------------------------------------------------------------------------


def test_a_core_maintainer_asks_the_core_to_veto_within_the_window(world):
    published(world)
    answer = said(world.command("/veto", "#1 it breaks the serialization format", user=EZYANG))
    asked = " ".join(f"<@{person}>" for person in CORE)
    assert answer == (f"You asked the core to veto #1. #1 is open for the core maintainers until "
                      f"{when(START + timedelta(days=5))}: {asked} are asked to vote. *For* vetoes the decision "
                      "(*passed*), *Against* lets it stand.")
    vetoing = decision(world)
    assert (vetoing.state, vetoing.level, vetoing.vetoes[-1].by) == (State.VOTING, "core", "ezyang")


def test_a_veto_by_someone_not_core_or_past_the_window_is_refused_and_changes_nothing(world):
    published(world)
    before = (decision(world), history(world))
    assert said(world.command("/veto", "#1 no", user=MIKAYLA)) == (
        f"Only a core maintainer or the lead (<@{SOUMITH}>) can ask the core to veto a decision.")
    world.clock.advance(WEEK + timedelta(minutes=1))  # the sweeper has not been round yet
    assert "can no longer be vetoed" in said(world.command("/veto", "#1 too late", user=EZYANG))
    assert (decision(world), history(world)) == before


# -- /decisions ------------------------------------------------------------------------------------


def test_decisions_lists_what_is_under_way_and_the_latest_outcomes(world):
    published(world, "Deprecate nn.Container")
    said(world.command("/vote", "optim Drop the legacy LBFGS", user=JANE))
    world.upline.decisions.cast(2, by=JANE, choice=Choice.FOR, now=world.clock.now())
    response = world.command("/decisions", "")
    assert said(response) == "1 decisions under way, 1 recent outcomes"
    lines = [block["text"]["text"] for block in response.json()["blocks"] if block["type"] == "section"]
    assert lines[0] == "*Decisions under way (1)*"
    assert lines[1] == (f"• *#2* optim · Drop the legacy LBFGS — For 1 · Against 0 · Abstain 0 · not voted yet: "
                        f"<@U0JOEL> · closes {when(START + WEEK)}")
    assert lines[2:] == ["*Recent outcomes*", f"• *#1* nn · Deprecate nn.Container — passed · published {when(START)}"]
    only_nn = str(world.command("/decisions", "torch.nn").json()["blocks"])
    assert "#1" in only_nn and "#2" not in only_nn


def test_decisions_of_an_unknown_area_says_so_inertly(world):
    assert said(world.command("/decisions", "<!channel>")) == (
        "There is no area '&lt;!channel&gt;'. `/decisions` with no area lists them all.")
    assert said(world.command("/decisions", "optm")) == "There is no area 'optm'. Did you mean optim?"


def test_a_long_list_of_votes_is_cut_with_a_count(world):
    for index in range(17):
        world.upline.decisions.call(by=MIKAYLA, area="nn", proposal=f"Proposal {index}", now=world.clock.now())
    blocks = world.command("/decisions", "").json()["blocks"]
    shown = [block for block in blocks if block["type"] == "section" and "Proposal" in block["text"]["text"]]
    assert len(shown) == 15
    assert "… and 2 more under way" in str(blocks)


def test_a_vote_that_reached_no_decision_climbs_and_the_list_says_where_it_is(world):
    said(world.command("/vote", "nn Deprecate nn.Container", user=MIKAYLA))
    world.clock.advance(WEEK)
    world.upline.decisions.sweep_due(world.clock.now())  # nobody voted: quorum missed, a core vote
    climbed = decision(world)
    assert (climbed.level, climbed.rounds[0].result) == ("core", Result.NO_DECISION)
    assert "not voted yet: <@U0SOUMITH>" in str(world.command("/decisions", "core", user=ASKER).json()["blocks"])
