"""`/status #N` for an election of the lead: its phase, why the seat is vacant, the voters, who stands,
each ballot (its candidates, who voted — never how — and until when), the outcome with the count's
rounds, and its history.

    #57 · election of the lead
    :raised_hand: Standing — the voters say whether they stand until Mon 30 Nov at 09:00
    The lead's seat is vacant: @Soumith stepped down.
    Voters: @Edward @Greg @Nikita @Alban @Natalia · opened by @Soumith Mon 23 Nov at 09:00
    Candidates: Standing: @Edward · Not standing: @Greg · Not answered yet: @Nikita …
    Ballots: 1. @Edward, @Alban — open until …: voted @Edward · not voted yet @Greg …
    Outcome: @Edward is elected the lead … Round 1: …        (once over)
    History: • … — opened by @Soumith (the lead stepped down) • … — @Edward stands • …
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, SectionBlock

from bot.config.schema import Config
from bot.domain.election_record import Election, Phase, Poll, Vacancy
from bot.domain.ticket import SYSTEM, Event
from handlers.views.decision_status import HISTORY_LINES, markdown, sections
from handlers.views.election import FAILURES, VACANCY, candidates_line, outcome_line, rounds, vacancy_line
from handlers.views.text import escape, mention, mentions, when

ICONS = {Phase.STANDING: ":raised_hand:", Phase.VOTING: ":ballot_box_with_ballot:",
         Phase.ELECTED: ":white_check_mark:", Phase.FAILED: ":x:"}


def where(config: Config, election: Election) -> str:
    if election.phase is Phase.STANDING:
        return f"the voters say whether they stand until {when(election.stand_until)}"
    if election.phase is Phase.VOTING:
        return f"the voters rank the candidates until {when(election.poll.closes_at)}"
    if election.phase is Phase.ELECTED:
        return f"{mention(config, election.winner)} is the new lead · {when(election.closed_at)}"
    return f"{FAILURES[election.failure]} · {when(election.closed_at)}"


def answers(config: Config, election: Election) -> str:
    standing = [c.person for c in election.candidacies if c.stands]
    not_standing = [c.person for c in election.candidacies if not c.stands]
    parts = [f"Standing: {mentions(config, standing) or '—'}", f"Not standing: {mentions(config, not_standing) or '—'}"]
    if election.unanswered and election.phase is Phase.STANDING:
        parts.append(f"Not answered yet: {mentions(config, election.unanswered)}")
    elif election.unanswered:
        parts.append(f"Did not answer: {mentions(config, election.unanswered)}")
    return " · ".join(parts) + f" · until {when(election.stand_until)}"


def poll_line(config: Config, election: Election, poll: Poll, number: int) -> str:
    voted = [ballot.voter for ballot in poll.ballots]
    missing = [voter for voter in election.voters if poll.ballot_of(voter) is None]
    tie = " (among the tied)" if number > 1 else ""
    state = (f"closed {when(poll.closed_at)}{', early: everyone had ranked' if poll.early else ''}"
             if poll.closed_at else f"open until {when(poll.closes_at)}")
    line = f"{number}. {candidates_line(config, poll)}{tie} — {state}\n      Voted: {mentions(config, voted) or '—'}"
    if missing:
        line += f" · {'Not voted yet' if poll.closed_at is None else 'Did not vote'}: {mentions(config, missing)}"
    return line


def election_blocks(config: Config, election: Election, events: list[Event]) -> list[dict]:
    state = f"{ICONS[election.phase]} *{election.phase.value.capitalize()}* — {where(config, election)}"
    blocks: list[Block] = [
        HeaderBlock(text=f"#{election.number} · election of the lead"),
        SectionBlock(text=markdown(state)),
        SectionBlock(text=markdown(vacancy_line(config, election))),
        ContextBlock(elements=[markdown(f"Voters: {mentions(config, election.voters)} · opened by "
                                        f"{mention(config, election.opened_by)} {when(election.opened_at)}")]),
        SectionBlock(text=markdown(f"*Candidates:* {answers(config, election)}")),
    ]
    if election.polls:
        blocks += sections("Ballots", [poll_line(config, election, poll, number)
                                       for number, poll in enumerate(election.polls, 1)])
    if not election.is_open:
        blocks += sections("Outcome", [outcome_line(config, election), *rounds(config, election)])
    lines = [f"• {when(event.at)} — {describe(config, event)}" for event in events]
    shown = lines[-HISTORY_LINES:]
    if len(lines) > len(shown):
        shown.insert(0, f"• … {len(lines) - len(shown)} earlier events")
    blocks += sections("History", shown)
    return [block.to_dict() for block in blocks]


def election_text(election: Election) -> str:
    """The notification text beside the blocks."""
    return f"#{election.number}: election of the lead, {election.phase.value}"


def describe(config: Config, event: Event) -> str:
    """One line of an election's history."""
    actor = "Upline" if event.actor == SYSTEM else mention(config, event.actor)
    data = event.data
    early = " early: everyone had answered" if data.get("early") else ""
    words = {
        "election_opened": f"opened by {actor} ({_vacancy(config, data)})",
        "stands": f"{actor} stands",
        "not_standing": f"{actor} does not stand",
        "standing_closed": f"standing closed{early}: {_people(config, data.get('candidates'))} stood",
        "ballot_opened": f"ballot {data.get('poll')} opened{' among the tied' if data.get('tie') else ''}: "
                         f"{_people(config, data.get('candidates'))}",
        "ranked": f"{actor} {'ranked again' if data.get('changed') else 'ranked the candidates'}",
        "ballot_closed": f"ballot {data.get('poll')} closed{' early: everyone had ranked' if data.get('early') else ''}"
                         f" with {data.get('ballots', 0)} ballot{'' if data.get('ballots') == 1 else 's'}",
        "elected": f"{_people(config, [data.get('winner')])} elected the lead"
                   f"{' unopposed' if data.get('unopposed') else ''}",
        "election_failed": "no lead was elected" + (f": {_failure(event.reason)}" if event.reason else ""),
        "reminded": "those yet to act were reminded",
        "reminder_skipped": "a reminder was not sent" + (f": {escape(event.reason)}" if event.reason else ""),
    }
    return words.get(event.kind, escape(event.kind))


def _people(config: Config, people) -> str:
    return mentions(config, [person for person in people or () if isinstance(person, str)]) or "nobody"


def _vacancy(config: Config, data: dict) -> str:
    lead = mention(config, data["previous_lead"]) if data.get("previous_lead") else "the lead"
    vacancy = data.get("vacancy")
    return VACANCY[Vacancy(vacancy)].format(lead=lead) if vacancy in set(Vacancy) else "the seat is vacant"


def _failure(reason: str) -> str:
    return next((words for failure, words in FAILURES.items() if failure.value == reason), escape(reason))
