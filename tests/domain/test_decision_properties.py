"""Random votes, random moves by random people and random sweeps never break the decision rules."""

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bot.domain import decisions
from bot.domain.decision_clocks import next_due_at
from bot.domain.decision_policy import DecisionSettings, Rule, VotePolicy
from bot.domain.decision_record import ENDED, OUTCOMES
from bot.domain.decisions import Kind, State
from bot.domain.errors import Refusal
from bot.domain.tally import Choice, tally
from tests.domain.decision_helpers import CORE, DAY, GROUPS, LEAD, NOW, POLICY, published

BIG = ("m1", "m2", "m3", "m4", "m5")
BIG_GROUPS = replace(GROUPS, areas={**GROUPS.areas, "big": BIG})
rules = st.sampled_from(list(Rule))
quorums = st.sampled_from([0.01, 0.25, 0.5, 2 / 3, 0.75, 1.0])
choices = st.sampled_from(list(Choice))


def policy_of(rule: Rule, quorum: float) -> DecisionSettings:
    vote = VotePolicy(rule=rule, quorum=quorum, duration=7 * DAY, rationale_within=3 * DAY, veto_window=7 * DAY)
    return DecisionSettings(vote=vote, core=replace(vote, duration=5 * DAY))


@settings(max_examples=300, deadline=None)
@given(rule=rules, quorum=quorums, intended=st.dictionaries(st.sampled_from(BIG), choices),
       order=st.permutations(BIG))
def test_closing_a_vote_early_never_gives_another_outcome_than_waiting_for_every_vote(rule, quorum, intended,
                                                                                        order):
    decision = decisions.call_vote(kind=Kind.MODULE, area="big", proposal="x", by="m1", groups=BIG_GROUPS,
                                   policy=policy_of(rule, quorum), now=NOW).decision
    moment = NOW
    for voter in (voter for voter in order if voter in intended):
        moment += timedelta(hours=1)
        try:
            decision = decisions.cast(decision, by=voter, choice=intended[voter], now=moment,
                                      groups=BIG_GROUPS).decision
        except Refusal:
            assert decision.rounds[0].early  # only a vote that has closed refuses a voter's first ballot
    decision = decisions.due(decision, now=NOW + 7 * DAY, groups=BIG_GROUPS).decision
    assert decision.rounds[0].result is tally(rule, quorum, BIG, intended).result


people = st.sampled_from(["nn1", "nn2", "nn3", "opt1", *CORE, LEAD, "U0STRANGER"])
waits = st.integers(min_value=0, max_value=4 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes))
texts = st.sampled_from(["", "Because."])
MOVES = ("cast", "recuse", "write_rationale", "lead_decides", "dispute", "answer_dispute", "escalate", "ask_veto")


class DecisionRules(RuleBasedStateMachine):
    """Three kinds of step: anyone tries any move (mostly refused), the people the decision waits on
    make the move it waits for (so that the walk gets far), and time passes with a sweep."""

    @initialize(start=st.sampled_from(["module", "core", "lead", "published", "disputed"]), rule=rules,
                quorum=quorums)
    def open(self, start, rule, quorum):
        self.now = NOW
        kind = {"core": Kind.CORE, "lead": Kind.LEAD}.get(start, Kind.MODULE)
        policy = replace(POLICY, vote=replace(POLICY.vote, rule=rule, quorum=quorum))
        outcome = decisions.call_vote(kind=kind, area="nn" if kind is Kind.MODULE else None, proposal="x",
                                      by="core1", groups=GROUPS, policy=policy, now=NOW)
        assert [event.kind for event in outcome.events][0] == "called"
        self.decision = replace(outcome.decision, number=3)
        if start in ("published", "disputed"):
            self.decision = published()
        if start == "disputed":
            self.act(decisions.dispute, by="opt1", reason="It breaks optim.")

    @rule(move=st.sampled_from(MOVES), by=people, choice=choices, yes=st.booleans(), text=texts)
    def anyone_tries(self, move, by, choice, yes, text):
        self.try_move(move, by, choice=choice, yes=yes, text=text)

    @rule(index=st.integers(0, 4), choice=choices, yes=st.booleans())
    def the_next_move(self, index, choice, yes):
        decision = self.decision
        voter = self.one_of(decision.current.voters, index)
        disputer = decision.disputes[-1].by if decision.disputes else "opt1"
        move, by = "cast", voter
        if decision.state is State.VOTING and decision.level == "core" and index == 4:
            move = "recuse"
        elif decision.state is State.LEAD:
            move, by = "lead_decides", LEAD
        elif decision.state is State.DECIDED:
            move = "write_rationale"
        elif decision.state is State.PUBLISHED:
            move, by = ("escalate", disputer) if yes and decision.disputes else (
                ("ask_veto", "core1") if choice is Choice.AGAINST else ("dispute", "opt1"))
        elif decision.state is State.DISPUTED:
            move, by = ("answer_dispute", self.one_of(decision.deciding.voters, index)) if yes else (
                "escalate", disputer)
        self.try_move(move, by, choice=choice, yes=choice is not Choice.AGAINST, text="Because.")

    def try_move(self, move, by, *, choice, yes, text):
        arguments = {
            "cast": (decisions.cast, {"choice": choice}),
            "recuse": (decisions.recuse, {}),
            "write_rationale": (decisions.write_rationale, {"text": text}),
            "lead_decides": (decisions.lead_decides, {"approve": yes, "rationale": text}),
            "dispute": (decisions.dispute, {"reason": text}),
            "answer_dispute": (decisions.answer_dispute, {"uphold": yes, "explanation": text}),
            "escalate": (decisions.escalate_dispute_to_core, {}),
            "ask_veto": (decisions.ask_veto, {"reason": text}),
        }
        action, extra = arguments[move]
        self.act(action, by=by, **extra)

    @staticmethod
    def one_of(group, index):
        return group[index % len(group)] if group else "U0STRANGER"

    @rule(wait=waits)
    def sweep(self, wait):
        self.now += wait
        outcome = decisions.due(self.decision, now=self.now, groups=GROUPS)
        self.decision = outcome.decision
        assert self.decision.next_due_at is None or self.decision.next_due_at > self.now

    def act(self, action, **kwargs):
        before = self.decision
        try:
            outcome = action(self.decision, now=self.now, groups=GROUPS, **kwargs)
        except Refusal:
            assert self.decision == before
            return
        assert outcome.events, f"{action.__name__} changed the decision without an event"
        assert all(event.at == self.now for event in outcome.events)
        self.decision = outcome.decision

    @invariant()
    def the_rules_hold(self):
        decision = self.decision
        assert decision.next_due_at == next_due_at(decision)
        current = decision.current
        assert len({ballot.voter for ballot in current.ballots}) == len(current.ballots)  # one ballot per voter
        assert {ballot.voter for ballot in current.ballots} <= set(current.voters)  # nobody else is counted
        if decision.state is State.VOTING:
            assert decision.level in ("area:nn", "core") and current.result is None
        if decision.state is State.LEAD:
            assert decision.level == "lead" and current.result is None
        if decision.state in (State.DECIDED, State.PUBLISHED, State.DISPUTED, *ENDED):
            assert decision.outcome in OUTCOMES
        if decision.state in (State.PUBLISHED, State.DISPUTED):
            assert decision.level.startswith("area:") and decision.published_at is not None
        for closed in decision.rounds:
            if closed.result is not None and closed.level != "lead":
                assert closed.result is closed.count().result  # closed on what its ballots say


DecisionRules.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_decision_rules = DecisionRules.TestCase
