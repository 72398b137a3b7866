"""The election of the lead as its message shows it, in the core's channel (else each voter's DM), kept
and updated in place at every change:

    :ballot_box_with_ballot: Electing the lead · #57
    The lead's seat is vacant: @Soumith stepped down.
    Voters (the core maintainers who elect, and may stand): @Edward @Greg @Nikita @Alban @Natalia
    *Who stands?* Each voter says so by Mon 30 Nov at 09:00, and may change their mind until then.
    Standing: @Edward · Not standing: @Greg · Not answered yet: @Nikita @Alban @Natalia
    [Stand] [Not standing]

Once candidates have stood, the ballot: the candidates, who has voted (never how they ranked), until
when, and **Rank the candidates**; a tie's new ballot says it is among the tied. Elected: the new lead
and the count, round by round; failed: why, and that `/elect lead` may open another. No buttons then.

The words about an election that every surface shares — why the seat is vacant, the candidates, the
count's rounds — are here too, for the record, the thread notes and `/status #N`.
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.election_record import Election, Failure, Phase, Poll, Vacancy
from bot.domain.runoff import explain, listed
from handlers.views.blocks import context, header, section
from handlers.views.election_actions import NOT_STANDING, RANK, STAND
from handlers.views.text import escape, mention, mentions, when
from handlers.views.ticket_actions import button

VACANCY = {
    Vacancy.REMOVED: "the core removed {lead} as the lead core maintainer",
    Vacancy.UNAVAILABLE: "{lead} has been away for longer than a nominations review period",
    Vacancy.STEPPED_DOWN: "{lead} stepped down",
}
FAILURES = {
    Failure.NOBODY_STOOD: "nobody stood",
    Failure.NO_BALLOTS: "nobody ranked the candidates",
}
ANOTHER = "The seat stays vacant; `/elect lead` opens another election."


def name(config: Config, person: str) -> str:
    """A person by name, without pinging them (for the count and the form): their name, else their mention."""
    if person in config.people:
        return escape(config.display_name(person))
    return mention(config, person)


def vacancy_line(config: Config, election: Election) -> str:
    """"The lead's seat is vacant: @Soumith stepped down.\""""
    lead = mention(config, election.previous_lead) if election.previous_lead else "the lead"
    why = VACANCY[election.vacancy].format(lead=lead)
    return f"The lead's seat is vacant: {why}."


def candidates_line(config: Config, poll: Poll) -> str:
    return listed(poll.candidates, lambda person: mention(config, person))


def rounds(config: Config, election: Election) -> list[str]:
    """Every closed ballot's count, round by round, with the candidates by name (no pings)."""
    closed = [poll for poll in election.polls if poll.closed_at is not None and poll.ballots]
    lines = []
    for number, poll in enumerate(closed, 1):
        counted = explain(poll.count(), lambda person: name(config, person))
        if len(closed) > 1:
            lines.append(f"_Ballot {number}_" + (" (among the tied)" if number > 1 else ""))
        lines += counted
    return lines


def outcome_line(config: Config, election: Election) -> str:
    """The end of it, in one sentence (empty while it runs)."""
    if election.phase is Phase.ELECTED:
        how = "unopposed, the only candidate who stood" if not election.polls else "by ranked-choice vote"
        return f":white_check_mark: *{mention(config, election.winner)} is elected the lead*, {how}."
    if election.phase is Phase.FAILED:
        return f":x: *No lead was elected*: {FAILURES[election.failure]}. {ANOTHER}"
    return ""


def is_tie_poll(election: Election) -> bool:
    return len(election.polls) > 1


def phase_text(config: Config, election: Election) -> str:
    if election.phase is Phase.STANDING:
        answers = [f"Standing: {mentions(config, election.candidates) or '—'}",
                   f"Not standing: {mentions(config, _not_standing(election)) or '—'}"]
        if election.unanswered:
            answers.append(f"Not answered yet: {mentions(config, election.unanswered)}")
        return (f"*Who stands?* Each voter says so by {when(election.stand_until)}, and may change their mind "
                f"until then.\n" + " · ".join(answers))
    if election.phase is Phase.VOTING:
        poll = election.poll
        voted = [ballot.voter for ballot in poll.ballots]
        opening = (f"*A tie: the ballot is open again, among the tied* ({candidates_line(config, poll)})"
                   if is_tie_poll(election) else f"*The ballot is open*: {candidates_line(config, poll)}")
        waiting = (f"Not voted yet: {mentions(config, election.not_voted)}" if election.not_voted
                   else "everyone has voted")
        return (f"{opening}, until {when(poll.closes_at)}. Rank the candidates, most preferred first: who has "
                f"voted is shown, how they ranked is not.\nVoted: {mentions(config, voted) or '—'} · {waiting}")
    text = outcome_line(config, election)
    lines = rounds(config, election)
    return text + ("\n" + "\n".join(lines) if lines else "")


def message_text(config: Config, election: Election) -> str:
    """The notification text beside the blocks."""
    number = election.number
    if election.phase is Phase.STANDING:
        return f"Electing the lead (#{number}): who stands? Say so by {when(election.stand_until)}."
    if election.phase is Phase.VOTING:
        return f"Electing the lead (#{number}): rank the candidates by {when(election.poll.closes_at)}."
    if election.phase is Phase.ELECTED:
        return f"Electing the lead (#{number}): {mention(config, election.winner)} is elected the lead."
    return f"Electing the lead (#{number}): no lead was elected ({FAILURES[election.failure]})."


def message_blocks(config: Config, election: Election) -> list[dict]:
    """The election as its message shows it now, with the buttons its phase still offers."""
    blocks = [header(f":ballot_box_with_ballot: Electing the lead · #{election.number}"),
              section(f"{vacancy_line(config, election)}\n*Voters* (the core maintainers who elect, and may "
                      f"stand): {mentions(config, election.voters)}"),
              section(phase_text(config, election))]
    offered = _buttons(election)
    if offered:
        value = str(election.number)
        blocks.append({"type": "actions", "block_id": f"election:{value}",
                       "elements": [button(label, action_id, value, primary=index == 0)
                                    for index, (label, action_id) in enumerate(offered)]})
    blocks.append(context(f"`/status #{election.number}` shows the election's history."))
    return blocks


def _buttons(election: Election) -> list[tuple[str, str]]:
    if election.phase is Phase.STANDING:
        return [("Stand", STAND), ("Not standing", NOT_STANDING)]
    if election.phase is Phase.VOTING:
        return [("Rank the candidates", RANK)]
    return []


def _not_standing(election: Election) -> tuple[str, ...]:
    return tuple(candidacy.person for candidacy in election.candidacies if not candidacy.stands)
