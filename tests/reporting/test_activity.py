"""Each person's part, from hand-built tickets, events and decisions: what counts, medians, holders, inactivity."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest

from bot.config import load_config_text
from bot.config.decisions import governance_policy
from bot.domain.decision_policy import DecisionSettings, VotePolicy
from bot.domain.decision_record import Decision, Dispute, Kind, Purpose, Round, State, Veto
from bot.domain.tally import Ballot, Choice, Result
from bot.domain.ticket import SYSTEM, Event, SlaPolicy, Ticket
from bot.domain.ticket import Kind as TicketKind
from bot.domain.ticket import State as TicketState
from bot.reporting.activity import History, last_active, people_activity, suggest_emeritus

T = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOW = T + timedelta(days=10)
SINCE = NOW - timedelta(days=30)
POLICY = SlaPolicy(ack=timedelta(days=1), resolve=timedelta(days=7), reminders=(0.5,))
CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [core1, lead]}
    governance: {inactive_after: 26w}
    areas:
      - {key: nn, maintainers: [nn1, nn2]}
      - {key: cuda, maintainers: [cu1, nn1], governance: {inactive_after: 4w}}
      - {key: cudnn, parent: cuda, maintainers: [dnn1]}
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
      cu1: {slack: U0CU1}
      dnn1: {slack: U0DNN1}
    """)).config


def hours(count: float) -> timedelta:
    return timedelta(hours=count)


def ticket(number: int, *, created: datetime = T, state: TicketState = TicketState.RESOLVED, asker: str = "asker",
           **fields) -> Ticket:
    return Ticket(kind=TicketKind.QUESTION, area="nn", asker=asker, text="?", level="area:nn", policy=POLICY,
                  created_at=created, level_started_at=created, state=state, id=number, **fields)


def ev(kind: str, after: float, actor: str = "nn1", start: datetime = T, **data) -> Event:
    return Event(kind, actor, start + hours(after), "area:nn", data=data)


def decision(number: int, rounds=(), **fields) -> Decision:
    return Decision(kind=Kind.MODULE, area="nn", proposal="Deprecate it", caller="nn1", policy=DecisionSettings(),
                    opened_at=T, level="area:nn", state=State.PUBLISHED, rounds=tuple(rounds), number=number,
                    **fields)


def vote(*ballots: Ballot, level: str = "area:nn", **fields) -> Round:
    return Round(level, Purpose.DECIDE, ("nn1", "nn2"), VotePolicy(), T, T + timedelta(days=7), ballots=ballots,
                 **fields)


def tickets_history(*pairs) -> History:
    """History from (ticket, events) pairs."""
    return History(tickets=[t for t, _ in pairs], ticket_events={t.id: list(events) for t, events in pairs})


def of(person: str, history: History, config=CONFIG, since: datetime = SINCE, now: datetime = NOW):
    return next(entry for entry in people_activity(config, history, since=since, now=now) if entry.person == person)


# -- what counts as taking part --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["acknowledged", "resolved", "reassigned", "escalated", "reopened"])
def test_each_ticket_act_makes_its_actor_active(kind):
    history = tickets_history((ticket(1), [ev("created", 0, "asker"), ev(kind, 5, "nn2")]))
    assert last_active(history, NOW, CONFIG)["nn2"] == T + hours(5)


@pytest.mark.parametrize("kind", ["voted", "rationale", "lead_decided", "disputed", "dispute_upheld", "revote",
                                  "veto_asked"])
def test_each_decision_act_makes_its_actor_active(kind):
    history = History(decisions=[decision(2)], decision_events={2: [ev(kind, 7, "core1")]})
    assert last_active(history, NOW, CONFIG)["core1"] == T + hours(7)


def test_the_decision_record_counts_without_its_events():
    record = decision(2, rounds=[vote(Ballot("nn2", Choice.FOR, T + hours(1)), rationale="Why.",
                                      rationale_by="cu1", rationale_at=T + hours(2))],
                      disputes=(Dispute("dnn1", "No.", T + hours(3), T + hours(50)),),
                      vetoes=(Veto("core1", "Too early.", T + hours(4)),))
    latest = last_active(History(decisions=[record]), NOW, CONFIG)
    assert [latest[person] for person in ("nn2", "cu1", "dnn1", "core1")] == [T + hours(h) for h in (1, 2, 3, 4)]


def test_upline_itself_is_nobody_and_takes_no_part():
    events = [ev("created", 0, "asker"), ev("escalated", 24, SYSTEM), ev("reminded", 30, SYSTEM),
              ev("breached", 168, SYSTEM)]
    latest = last_active(tickets_history((ticket(1, state=TicketState.OPEN), events)), NOW, CONFIG)
    assert SYSTEM not in latest and set(latest.values()) == {None}


def test_asking_waiting_and_calling_a_vote_are_not_in_the_list():
    events = [ev("created", 0, "nn2"), ev("waiting", 1, "nn1"), ev("replied", 2, "nn2")]
    history = tickets_history((ticket(1, state=TicketState.OPEN), events))
    history = replace(history, decisions=[decision(2)], decision_events={2: [ev("called", 3, "cu1"),
                                                                            ev("recused", 4, "core1")]})
    assert set(last_active(history, NOW, CONFIG).values()) == {None}


def test_an_asker_closing_or_reopening_their_own_ticket_is_not_answering_one():
    own = ticket(1, asker="nn1")
    history = tickets_history((own, [ev("created", 0, "nn1"), ev("resolved", 1), ev("reopened", 2),
                                     ev("resolved", 3, "nn2")]))
    assert of("nn1", history).last_active is None and of("nn1", history).resolved == 0
    assert of("nn2", history).resolved == 1


def test_acts_after_now_are_ignored_and_slack_ids_are_their_people():
    history = tickets_history((ticket(1), [ev("acknowledged", 2, "U0NN2"), ev("resolved", 24 * 11, "nn1")]))
    assert of("nn2", history).acknowledged == 1 and of("nn1", history).last_active is None


# -- the counts in the period ----------------------------------------------------------------------


def test_tickets_are_counted_once_however_often_acknowledged_or_resolved():
    events = [ev("created", 0, "asker"), ev("acknowledged", 1), ev("resolved", 2), ev("reopened", 3, "asker"),
              ev("acknowledged", 4), ev("resolved", 5)]
    history = tickets_history((ticket(1), events), (ticket(2), [ev("created", 0, "asker"), ev("resolved", 1)]))
    nn1 = of("nn1", history)
    assert (nn1.acknowledged, nn1.resolved) == (1, 2)


def test_only_what_was_done_in_the_period_is_counted_but_last_active_reaches_back():
    old = T - timedelta(days=60)
    events = [ev("created", 0, "asker", old), ev("acknowledged", 1, start=old), ev("resolved", 2, start=old)]
    history = tickets_history((ticket(1, created=old), events))
    nn1 = of("nn1", history)
    assert (nn1.acknowledged, nn1.resolved, nn1.median_ack) == (0, 0, None)
    assert nn1.last_active == old + hours(2)


def test_median_ack_runs_from_when_the_ticket_reached_its_rung():
    from_creation = (ticket(1), [ev("created", 0, "asker"), ev("acknowledged", 3, "core1")])
    after_a_climb = (ticket(2), [ev("created", 0, "asker"), ev("escalated", 24, SYSTEM),
                                 ev("acknowledged", 25, "core1")])
    after_a_handover = (ticket(3), [ev("created", 0, "asker"), ev("reassigned", 10, "nn1", to="core1"),
                                    ev("acknowledged", 12, "core1")])
    after_a_reopen = (ticket(4), [ev("created", 0, "asker"), ev("acknowledged", 40, "core1"),
                                  ev("reopened", 50, "asker"), ev("acknowledged", 54, "core1")])
    core1 = of("core1", tickets_history(from_creation, after_a_climb, after_a_handover, after_a_reopen))
    assert core1.median_ack == hours(3)  # of 3h, 1h, 2h, 40h and 4h
    assert core1.acknowledged == 4


def test_open_tickets_are_held_by_whoever_acknowledged_or_was_handed_them():
    history = tickets_history(
        (ticket(1, state=TicketState.ACKNOWLEDGED, acknowledged_by="nn1", assignee="nn1"), []),
        (ticket(2, state=TicketState.OPEN, assignee="nn2"), []),
        (ticket(3, state=TicketState.WAITING, acknowledged_by="U0NN1", assignee="nn1"), []),
        (ticket(4, state=TicketState.RESOLVED, acknowledged_by="nn1", assignee="nn1"), []),
    )
    assert of("nn1", history).open_held == (1, 3)
    assert of("nn2", history).open_held == (2,) and of("nn2", history).last_active is None


def test_votes_are_distinct_rounds_and_the_leads_ruling_is_a_rationale_not_a_vote():
    first = vote(Ballot("nn1", Choice.AGAINST, T + hours(1)), Ballot("nn2", Choice.FOR, T + hours(1)),
                 result=Result.NO_DECISION)
    core = vote(Ballot("core1", Choice.FOR, T + hours(2)), level="core", result=Result.NO_DECISION)
    ruling = vote(Ballot("lead", Choice.FOR, T + hours(3)), level="lead", result=Result.PASSED, rationale="Yes.",
                  rationale_by="lead", rationale_at=T + hours(3))
    other = decision(3, rounds=[vote(Ballot("nn1", Choice.FOR, T + hours(4)), rationale="Agreed.",
                                     rationale_by="nn1", rationale_at=T + hours(5))])
    events = [ev("voted", 0.5, choice="for"), ev("voted", 1, choice="against", previous="for")]  # one ballot
    history = History(decisions=[decision(2, rounds=[first, core, ruling]), other], decision_events={2: events})
    assert (of("nn1", history).votes, of("nn1", history).rationales) == (2, 1)
    assert (of("lead", history).votes, of("lead", history).rationales) == (0, 1)
    assert of("core1", history).votes == 1


# -- inactivity --------------------------------------------------------------------------------------


def quiet_since(moment: datetime) -> History:
    """A history beginning a year ago, in which nn1 and cu1 last acted at `moment`."""
    start = NOW - timedelta(days=365)
    return tickets_history((ticket(1, created=start), [ev("created", 0, "asker", start)]),
                           (ticket(2, created=moment), [ev("acknowledged", 0, "nn1", moment),
                                                        ev("resolved", 0, "cu1", moment)]))


def test_inactivity_follows_each_areas_inactive_after():
    history = quiet_since(NOW - timedelta(days=40))  # past cuda's 4w, within the project's 26w
    nn1 = of("nn1", history)
    assert nn1.areas == ("nn", "cuda") and nn1.inactive_in == ("cuda",)
    assert of("cu1", history).inactive_in == ("cuda",)
    assert of("nn2", history).inactive_in == ("nn",)  # never active in a year of history
    assert of("dnn1", history).inactive_in == ("cudnn",)  # cudnn inherits cuda's 4w
    assert of("core1", history).inactive_in == ("core",)
    assert of("lead", history).inactive_in == ()  # the lead leaves by the core's vote, not by going quiet


def test_recent_activity_is_not_inactive_anywhere():
    assert of("nn1", quiet_since(NOW - timedelta(days=3))).inactive_in == ()


def test_suggest_emeritus_only_where_they_maintain_and_only_past_the_window():
    nn1 = of("nn1", quiet_since(NOW - timedelta(weeks=4)))
    assert not suggest_emeritus(nn1, "cuda", NOW, governance_policy(CONFIG, "cuda"))  # exactly 4w: not longer
    assert suggest_emeritus(nn1, "cuda", NOW + timedelta(seconds=1), governance_policy(CONFIG, "cuda"))
    assert not suggest_emeritus(nn1, "cudnn", NOW + timedelta(days=1), governance_policy(CONFIG, "cudnn"))
    assert not suggest_emeritus(nn1, None, NOW + timedelta(days=1), governance_policy(CONFIG))  # not core


def test_a_maintainer_with_nothing_is_listed_with_zeros_and_never():
    history = quiet_since(NOW - timedelta(days=3))
    nn2 = of("nn2", history)
    assert (nn2.acknowledged, nn2.resolved, nn2.median_ack, nn2.open_held, nn2.votes, nn2.rationales) == (
        0, 0, None, (), 0, 0)
    assert nn2.last_active is None and nn2.inactive_since == NOW - timedelta(days=365)
    assert last_active(history, NOW, CONFIG)["nn2"] is None


def test_without_any_history_nobody_is_inactive():
    everyone = people_activity(CONFIG, History(), since=SINCE, now=NOW)
    assert [entry.person for entry in everyone] == ["core1", "cu1", "dnn1", "lead", "nn1", "nn2"]
    assert all(entry.inactive_since is None and entry.inactive_in == () for entry in everyone)


def test_someone_app_yaml_does_not_name_appears_once_they_act():
    history = tickets_history((ticket(1), [ev("resolved", 1, "U0STRANGER")]))
    stranger = of("U0STRANGER", history)
    assert (stranger.areas, stranger.core, stranger.resolved, stranger.inactive_in) == ((), False, 1, ())
