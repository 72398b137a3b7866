"""What `upline decisions` prints, from hand-built decisions: every outcome in words, rounds, disputes, vetoes."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.decision_policy import DecisionSettings, Rule, VotePolicy
from bot.domain.decision_record import Decision, Dispute, Kind, Purpose, Round, State, Veto
from bot.domain.tally import Ballot, Choice, Result
from bot.domain.ticket import Event
from bot.reporting.decision_log import (
    as_json,
    as_markdown,
    as_table,
    decision_section,
    outcome_words,
    round_result,
    shortened,
)

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
VOTERS = ("nn1", "nn2", "nn3")
POLICY = VotePolicy()  # majority, quorum 50%
NAMES = {"nn1": "Nina", "nn2": "Ned", "lead": "Lea Lead", "core1": "Cora *One*"}


def name(key: str) -> str:
    return NAMES.get(key, key)


def vote(level="area:nn", purpose=Purpose.DECIDE, voters=VOTERS, ballots=(), result=None, policy=POLICY,
         **fields) -> Round:
    closed = {"closed_at": T + timedelta(hours=2)} if result is not None else {}
    return Round(level, purpose, voters, policy, T, T + timedelta(days=7), ballots=tuple(ballots), result=result,
                 **closed | fields)


def ballots(**choices: str) -> list[Ballot]:
    return [Ballot(voter, Choice(choice), T) for voter, choice in choices.items()]


PASSED = vote(ballots=ballots(nn1="for", nn2="for"), result=Result.PASSED, early=True, rationale="Two for.",
              rationale_by="nn2", rationale_at=T + timedelta(hours=3))


def decision(*rounds: Round, state=State.FINAL, outcome=Result.PASSED, **fields) -> Decision:
    values = dict(kind=Kind.MODULE, area="nn", proposal="Deprecate nn.Container", caller="nn1",
                  policy=DecisionSettings(), opened_at=T, level=rounds[-1].level, state=state, rounds=rounds,
                  number=12, outcome=outcome, published_at=T + timedelta(hours=3) if outcome else None)
    return Decision(**values | fields)


@pytest.mark.parametrize(("made", "words"), [
    (decision(vote(ballots=ballots(nn1="for")), state=State.VOTING, outcome=None),
     "no decision yet: the nn maintainers are voting"),
    (decision(vote(result=Result.NO_DECISION), vote("core", result=Result.NO_DECISION),
              vote("lead", voters=("lead",)), state=State.LEAD, outcome=None), "no decision yet: with the lead"),
    (decision(replace(PASSED, rationale=None), state=State.DECIDED, published_at=None), "passed, rationale pending"),
    (decision(PASSED, state=State.PUBLISHED, settles_at=T + timedelta(days=7)),
     "passed, open to dispute and veto until 2026-11-30"),
    (decision(PASSED, state=State.FINAL), "passed, final"),
    (decision(vote(ballots=ballots(nn1="against", nn2="against"), result=Result.REJECTED), outcome=Result.REJECTED),
     "rejected, final"),
    (decision(vote(result=Result.NO_DECISION), vote("lead", voters=("lead",), result=Result.PASSED)),
     "passed by the lead, final"),
    (decision(PASSED, vote(purpose=Purpose.VETO, level="core", result=Result.PASSED), state=State.VETOED), "vetoed"),
    (decision(PASSED, state=State.DISPUTED, disputes=(Dispute("jit1", "No.", T, T + timedelta(days=7)),)),
     "passed, disputed, waiting on the answer"),
    (decision(PASSED, vote("core", Purpose.DISPUTE), state=State.VOTING),
     "passed, the core maintainers are voting on a dispute"),
    (decision(PASSED, vote("core", Purpose.DISPUTE, result=Result.PASSED), state=State.FINAL,
              disputes=(Dispute("jit1", "No.", T, T, escalated="disputer", resolution="upheld", resolved_by="core"),)),
     "passed, final (upheld after a dispute)"),
    (decision(PASSED, vote("core", Purpose.DISPUTE, result=Result.REJECTED), state=State.FINAL,
              outcome=Result.REJECTED, disputes=(Dispute("jit1", "No.", T, T, resolution="overturned",
                                                         resolved_by="core"),)),
     "rejected, final (overturned after a dispute)"),
    (decision(PASSED, vote("core", Purpose.VETO, result=Result.REJECTED), state=State.PUBLISHED,
              vetoes=(Veto("core1", "Too soon.", T, resolution="declined", resolved_by="core"),)),
     "passed, open to dispute and veto (veto declined)"),
])
def test_every_outcome_in_words(made, words):
    assert outcome_words(made) == words


def test_a_section_names_who_voted_how_in_each_round():
    tie = vote(ballots=ballots(nn1="for", nn2="against"), result=Result.NO_DECISION)
    core = vote("core", voters=("core1", "core2"), ballots=ballots(core1="abstain"), recused=("core3",),
                result=Result.NO_DECISION)  # a recused voter is no longer among the voters
    lead = vote("lead", voters=("lead",), ballots=ballots(lead="for"), result=Result.PASSED, rationale="Ship it.",
                rationale_by="lead", rationale_at=T + timedelta(hours=2))
    lines = decision_section(decision(tie, core, lead, published_at=T + timedelta(days=1)), name)
    assert lines[:6] == ["## #12 — Deprecate nn.Container", "", "- Area: nn", "- Opened: 2026-11-23, by Nina",
                         "- Published: 2026-11-24", "- Outcome: **passed by the lead**, final"]
    text = "\n".join(lines)
    assert ("### Round 1: the nn maintainers on the proposal — no decision (a tie), so it went up\n\n"
            "Majority, quorum 50%; opened 2026-11-23, closed 2026-11-23.\n\n"
            "- For: Nina\n- Against: Ned\n- Abstain: —\n- Did not vote: nn3\n") in text
    assert ("### Round 2: the core maintainers on the proposal — no decision (nobody voted For or Against), so it "
            "went up") in text
    assert "- Abstain: Cora \\*One\\*\n- Did not vote: core2\n- Recused: core3" in text  # names are escaped too
    assert ("### Round 3: the lead on the proposal — approved\n\nOpened 2026-11-23, ruled 2026-11-23.\n\n"
            "- For: Lea Lead\n- Against: —\n- Abstain: —\n- Did not vote: —\n\n"
            "Rationale, by Lea Lead on 2026-11-23:\n\n> Ship it.") in text


def test_an_open_round_lists_who_has_not_voted_yet_and_when_it_closes():
    text = "\n".join(decision_section(decision(vote(ballots=ballots(nn1="for")), state=State.VOTING, outcome=None),
                                      name))
    assert "- Published: not yet\n- Outcome: no decision yet: the nn maintainers are voting" in text
    assert "— open\n\nMajority, quorum 50%; opened 2026-11-23, closes 2026-11-30." in text
    assert "- Not voted yet: Ned, nn3" in text


def test_disputes_and_vetoes_say_who_why_and_how_they_ended():
    disputes = (
        Dispute("jit1", "TorchScript uses it.", T, T, answer="uphold", answered_by="nn1", explanation="It moved on.",
                escalated="disputer", resolution="overturned", resolved_by="core"),
        Dispute("nn3", "Again.", T + timedelta(days=1), T, answer="revote", answered_by="nn2", resolution="revote",
                resolved_by="area:nn"),
        Dispute("jit1", "Still no.", T + timedelta(days=2), T, escalated="unanswered"),
    )
    vetoes = (Veto("core1", "Too early.", T, resolution="declined", resolved_by="lead"), Veto("core2", "Later.", T))
    text = "\n".join(decision_section(decision(PASSED, disputes=disputes, vetoes=vetoes), name))
    assert ("### Disputes\n\nDisputed by **jit1** on 2026-11-23:\n\n> TorchScript uses it.\n\n"
            "Answered Uphold, by Nina:\n\n> It moved on.\n\n"
            "Resolution: escalated to the core by the disputer; outcome overturned by the core maintainers.") in text
    assert "Answered Revote, by Ned.\n\nResolution: the nn maintainers chose to revote." in text
    assert "Resolution: escalated to the core, unanswered in time; the core votes on it." in text
    assert ("### Vetoes\n\nVeto asked by **Cora \\*One\\*** on 2026-11-23:\n\n> Too early.\n\n"
            "Resolution: declined by the lead.") in text
    assert "> Later.\n\nResolution: pending, the core votes on it." in text


def test_a_rationale_cannot_break_the_document():
    rationale = "# Not a heading\n*not bold* and `not code` <!channel> &amp;\n\n1. not a list\n---"
    text = "\n".join(decision_section(decision(replace(PASSED, rationale=rationale)), name))
    assert ("> \\# Not a heading\\\n> \\*not bold\\* and \\`not code\\` \\<!channel\\> \\&amp;\n>\n"
            "> 1\\. not a list\\\n> \\---") in text
    assert not any(line.startswith("#") and "Not a heading" in line for line in text.splitlines())


def test_a_long_proposal_is_shortened_in_the_heading_and_quoted_whole():
    proposal = "Use `torch.compile` by default for *every* model in the zoo, starting with the vision models\n" \
               "and then the rest."
    lines = decision_section(decision(PASSED, proposal=proposal), name)
    assert lines[0] == "## #12 — Use \\`torch.compile\\` by default for \\*every\\* model in the zoo, starting with " \
                       "the…"
    assert "> Use \\`torch.compile\\` by default for \\*every\\* model in the zoo, starting with the vision models\\" \
           in lines
    assert shortened("\n  a   b  \nc", 10) == "a b"


def test_the_document_has_a_title_the_period_and_one_section_per_decision_in_the_order_given():
    older = decision(PASSED, number=3, area=None, kind=Kind.CORE)
    text = as_markdown([(decision(PASSED), []), (older, [])], since=T - timedelta(days=90), now=T, project="Acme",
                       area=None, name=name)
    assert text.startswith("# Acme decision log\n\nDecisions opened or published from 2026-08-25 to 2026-11-23, "
                           "newest first.\n\n## #12 — ")
    assert text.index("## #12") < text.index("## #3 — ") and "- Area: core" in text and text.endswith("> Two for.\n")
    assert as_markdown([], since=T, now=T) == "No decisions since 2026-11-23.\n"


def test_json_has_every_field_and_round_trips():
    event = Event("called", "nn1", T, "area:nn", data={"kind": "module"})
    made = decision(PASSED, vote("core", Purpose.VETO, result=Result.PASSED), state=State.VETOED, ticket=7,
                    vetoes=(Veto("core1", "Too early.", T, resolution="vetoed", resolved_by="core"),))
    [record] = json.loads(as_json([(made, [event])]))
    assert set(record) == {"number", "kind", "area", "proposal", "caller", "ticket", "state", "level", "outcome",
                           "outcome_words", "opened_at", "published_at", "settles_at", "rationale", "rounds",
                           "disputes", "vetoes", "history"}
    assert (record["number"], record["kind"], record["state"], record["outcome"], record["outcome_words"]) == (
        12, "module", "vetoed", "passed", "vetoed")
    assert record["opened_at"] == "2026-11-23T09:00:00Z" and record["settles_at"] is None
    first = record["rounds"][0]
    assert (first["rule"], first["quorum"], first["result"], first["early"], first["rationale_by"]) == (
        "majority", 0.5, "passed", True, "nn2")
    assert first["ballots"][0] == {"voter": "nn1", "choice": "for", "at": "2026-11-23T09:00:00Z"}
    assert record["vetoes"] == [{"by": "core1", "reason": "Too early.", "at": "2026-11-23T09:00:00Z",
                                 "resolution": "vetoed", "resolved_by": "core"}]
    assert record["history"] == [{"kind": "called", "actor": "nn1", "at": "2026-11-23T09:00:00Z",
                                  "level": "area:nn", "reason": None, "data": {"kind": "module"}}]
    assert json.loads(as_json([])) == []


def test_the_table_is_one_aligned_line_per_decision():
    rows = [(decision(vote(ballots=ballots(nn1="for")), state=State.VOTING, outcome=None, number=104, area=None,
                      proposal="Adopt a code of conduct\nwith details"), []),
            (decision(PASSED, proposal="x" * 70), [])]
    lines = as_table(rows, since=T - timedelta(days=90), now=T, window="90d").splitlines()
    assert lines == [
        "Decisions opened or published from 2026-08-25T09:00:00Z to 2026-11-23T09:00:00Z (the last 90d)",
        "",
        "   #  area  state   outcome  opened      published   proposal",
        "#104  core  voting  —        2026-11-23  —           Adopt a code of conduct",
        f" #12  nn    final   passed   2026-11-23  2026-11-23  {'x' * 59}…",
    ]
    assert as_table([], since=T, now=T, window="1h", area="nn") == "No decisions in nn since 2026-11-23.\n"


def test_round_results_read_as_what_the_round_decided():
    assert round_result(vote("core", Purpose.DISPUTE, result=Result.PASSED)) == "outcome upheld"
    assert round_result(vote("core", Purpose.DISPUTE, result=Result.REJECTED)) == "outcome overturned"
    assert round_result(vote("core", Purpose.VETO, result=Result.REJECTED)) == "veto declined"
    assert round_result(vote("lead", voters=("lead",))) == "waiting on the lead"
    assert round_result(vote(policy=VotePolicy(rule=Rule.UNANIMOUS), result=Result.REJECTED)) == "rejected"
