"""The triage agenda's blocks: its lines, the buttons each offers (with the IDs and values the existing
handlers answer), the cuts past `SHOWN`, escaping, and the Home tab within Slack's limits."""

from dataclasses import replace
from datetime import timedelta

from slack_sdk.models.blocks import DividerBlock

from bot.domain.nomination_record import Action, Nomination, Nominator
from bot.domain.nomination_record import State as NominationState
from bot.domain.ticket import State as TicketState
from bot.reporting.agenda import Agenda, Breach, ForTheLead, Undecided, Why
from bot.services.tickets import Overview
from handlers.views.agenda import SHOWN, agenda_blocks
from handlers.views.decision_actions import (
    LEAD_APPROVE,
    LEAD_REJECT,
    RECUSE,
    VOTE_ABSTAIN,
    VOTE_AGAINST,
    VOTE_FOR,
    WRITE_RATIONALE,
)
from handlers.views.home import MAX_BLOCKS, Standing, home_view
from handlers.views.text import SECTION_LIMIT
from tests.handlers.views.decisions import (
    CONFIG,
    FOR,
    NOW,
    buttons,
    passed,
    read_back,
    shown,
    tied_to_core,
    tied_to_lead,
    voted,
)
from tests.storage.conftest import make_ticket

HOUR = timedelta(hours=1)
LATER = NOW + timedelta(days=4)


def empty_agenda(**lists) -> Agenda:
    fields = {"breached": (), "undecided": (), "lead_tickets": (), "lead_tickets_total": 0, "lead_decisions": ()}
    return Agenda(**(fields | lists))


def breach(number: int, **overrides) -> Breach:
    ticket = make_ticket(id=number, level="core", **overrides)
    return Breach(ticket, ("ack",), NOW - 3 * HOUR)


def blocks_for(agenda: Agenda, person: str = "albanD") -> list[dict]:
    return read_back([block.to_dict() for block in agenda_blocks(CONFIG, agenda, person, NOW)])


def test_a_breached_ticket_nobody_holds_offers_acknowledge_first_with_the_pings_ids_and_values():
    blocks = blocks_for(empty_agenda(breached=(breach(7),)))
    assert blocks[2]["text"]["text"] == (
        "• *#7* nn · How do I register a forward hook on a &lt;ModuleList&gt;? — with the core maintainers, "
        "nobody holds it · ack missed, overdue 3h")
    assert blocks[3]["block_id"] == "agenda:breached:7"
    assert buttons(blocks) == [("Acknowledge", "ticket_acknowledge", "7"), ("Resolve", "ticket_resolve", "7"),
                               ("Escalate", "ticket_escalate", "7"), ("Waiting on asker", "ticket_wait", "7")]


def test_a_held_breached_ticket_names_its_holder_and_offers_no_acknowledge():
    held = breach(7, state=TicketState.ACKNOWLEDGED, acknowledged_by="albanD", assignee="albanD")
    blocks = blocks_for(empty_agenda(breached=(held,)))
    assert "held by <@U0ALBAN>" in blocks[2]["text"]["text"]
    assert [action for _, action, _ in buttons(blocks)] == ["ticket_resolve", "ticket_escalate", "ticket_wait"]


def test_a_title_cannot_mention_the_channel():
    blocks = blocks_for(empty_agenda(breached=(breach(7, text="<!channel> wake up <@U0SOUMITH> & co"),)))
    assert "&lt;!channel&gt; wake up &lt;@U0SOUMITH&gt; &amp; co" in blocks[2]["text"]["text"]
    assert "<!channel>" not in shown(blocks)


def test_past_the_limit_a_list_is_cut_with_a_count_and_a_pointer():
    many = tuple(breach(number) for number in range(1, SHOWN + 4))
    blocks = blocks_for(empty_agenda(breached=many))
    assert {value for _, _, value in buttons(blocks)} == {str(number) for number in range(1, SHOWN + 1)}
    assert "… and 3 more: `/status #N` shows each" in shown(blocks)


def test_a_core_vote_offers_a_core_voter_for_against_abstain_and_recuse_until_they_vote():
    vote = Undecided(tied_to_core(), Why.CORE_VOTE, NOW + timedelta(days=5))
    blocks = blocks_for(empty_agenda(undecided=(vote,)), person="ezyang")
    assert "core vote after no decision by the nn maintainers, closes" in shown(blocks)
    assert buttons(blocks) == [("For", VOTE_FOR, "12"), ("Against", VOTE_AGAINST, "12"),
                               ("Abstain", VOTE_ABSTAIN, "12"), ("Recuse", RECUSE, "12")]
    assert any(block.get("block_id") == "agenda:undecided:12" for block in blocks)
    after = replace(vote, decision=voted(tied_to_core(), ("ezyang", FOR)))
    assert buttons(blocks_for(empty_agenda(undecided=(after,)), person="ezyang")) == []


def test_a_missing_rationale_offers_write_the_rationale_to_whoever_owes_it_only():
    item = Undecided(passed(), Why.RATIONALE, NOW + timedelta(days=3))
    assert buttons(blocks_for(empty_agenda(undecided=(item,)), person="jbschlosser")) == [
        ("Write the rationale", WRITE_RATIONALE, "12")]
    blocks = blocks_for(empty_agenda(undecided=(item,)), person="ezyang")
    assert buttons(blocks) == [] and "decided, the rationale was due" in shown(blocks)


def test_the_lead_gets_approve_and_reject_and_sees_the_nomination_it_decides():
    nomination = Nomination(Action.ADD, "janeyx99", "core", (Nominator("albanD", None, NOW),),
                            NominationState.VOTING, NOW, number=11, decision=12)
    agenda = empty_agenda(lead_decisions=(ForTheLead(tied_to_lead(), nomination),),
                          lead_tickets=(make_ticket(id=5, level="lead"),), lead_tickets_total=SHOWN + 2)
    blocks = blocks_for(agenda, person="soumith")
    text = shown(blocks)
    assert "• *#12* nn · nomination #11: Jane Xu, add to the core maintainers — with the lead since" in text
    assert ("Approve", LEAD_APPROVE, "12") in buttons(blocks) and ("Reject", LEAD_REJECT, "12") in buttons(blocks)
    assert "… and 6 more: `/status #N` shows each" in text
    assert ("Approve", LEAD_APPROVE, "12") not in buttons(blocks_for(agenda, person="ezyang"))


def test_empty_lists_say_so():
    text = shown(blocks_for(empty_agenda()))
    assert "Nothing: every promise kept" in text and "Nothing open at the core" in text


def test_the_home_tab_with_full_lists_opens_on_the_agenda_within_slacks_limits():
    long_text = "<!channel> " + "x" * 4000
    agenda = empty_agenda(
        breached=tuple(breach(number, text=long_text) for number in range(1, 40)),
        undecided=tuple(Undecided(replace(tied_to_core(), number=100 + n), Why.CORE_VOTE, LATER) for n in range(40)),
        lead_tickets=tuple(make_ticket(id=200 + n, level="lead") for n in range(SHOWN)), lead_tickets_total=60,
        lead_decisions=tuple(ForTheLead(replace(tied_to_lead(), number=300 + n)) for n in range(40)))
    many = [make_ticket(id=400 + n) for n in range(20)]
    votes = [replace(tied_to_core(), number=500 + n) for n in range(20)]
    view = home_view(CONFIG, Overview(many, many, None), Standing(("nn",), True, True), NOW, note="Done.",
                     votes=votes, person="soumith",
                     agenda=agenda_blocks(CONFIG, agenda, "soumith", NOW))
    blocks = read_back(view["blocks"])
    assert len(blocks) <= MAX_BLOCKS
    assert blocks[2]["text"]["text"].startswith("*Triage agenda*")
    assert all(len(block["text"]["text"]) <= SECTION_LIMIT for block in blocks if block["type"] == "section")
    ids = [block["block_id"] for block in blocks if "block_id" in block]
    assert len(ids) == len(set(ids)), "a Home view with a repeated block_id is refused"


def test_a_tab_that_would_not_fit_is_cut_at_slacks_limit_with_a_pointer():
    view = home_view(CONFIG, Overview([], [], None), Standing((), True, False), NOW,
                     agenda=[DividerBlock() for _ in range(MAX_BLOCKS)])
    assert len(view["blocks"]) == MAX_BLOCKS
    assert "the rest does not fit here" in str(view["blocks"][-1])


def test_someone_outside_the_core_gets_the_tab_without_an_agenda():
    view = home_view(CONFIG, Overview([], [], None), Standing(("optim",), False, False), NOW)
    assert "Triage agenda" not in str(view)
