"""The election's messages without buttons: the notes in its message's thread, and the public record.
Each returns text, or (text, blocks).

    stand_reminder  thread: "Reminder: who stands in #57? Say so by …: @Nikita @Natalia"
    vote_reminder   thread: "Reminder: the ballot of #57 is open until …: @Nikita, rank the candidates"
    ballot          thread: "The ballot is open — rank the candidates until …: @… (Edward Yang, Alban Desmaison)"
    failed          thread: "No lead was elected in #57: nobody stood. The seat stays vacant; …"
    record          decisions.channel (else the core's): the new lead, why the seat was vacant, the rounds,
                    a link to the election's message
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.election_record import Election
from handlers.views.blocks import context, fit, header, section
from handlers.views.election import ANOTHER, FAILURES, candidates_line, is_tie_poll, rounds, vacancy_line
from handlers.views.text import mention, mentions, when

Rendered = tuple[str, list[dict]]


def stand_reminder(config: Config, election: Election, people: tuple[str, ...]) -> str:
    return (f"Reminder: who stands for the lead in #{election.number}? {mentions(config, people)} — say so with "
            f"*Stand* or *Not standing* by {when(election.stand_until)}.")


def vote_reminder(config: Config, election: Election, people: tuple[str, ...]) -> str:
    return (f"Reminder: the ballot of #{election.number} is open until {when(election.poll.closes_at)}. "
            f"{mentions(config, people)} — *Rank the candidates*.")


def ballot(config: Config, election: Election, people: tuple[str, ...]) -> str:
    poll = election.poll
    opening = ("A tie: the ballot is open again, among the tied" if is_tie_poll(election)
               else "The ballot is open")
    return (f"{opening} — rank the candidates until {when(poll.closes_at)}: {candidates_line(config, poll)}. "
            f"{mentions(config, people)}")


def failed(config: Config, election: Election, people: tuple[str, ...]) -> str:
    return (f"No lead was elected in #{election.number}: {FAILURES[election.failure]}. {ANOTHER} "
            f"{mentions(config, people)}").rstrip()


def record(config: Config, election: Election, link: str | None) -> Rendered:
    """The public record of the new lead: who, why the seat was vacant, and the count round by round."""
    winner = mention(config, election.winner)
    text = f"Election #{election.number}: {winner} is the new lead core maintainer"
    unopposed = not election.polls
    how = ("elected unopposed, the only candidate who stood" if unopposed
           else f"elected by the ranked-choice vote of {len(election.voters)} core maintainers")
    blocks = [header(f":crown: Election #{election.number} · the new lead"),
              section(f"*{winner} is the new lead core maintainer*, {how} · {when(election.closed_at)}"),
              section(vacancy_line(config, election))]
    lines = rounds(config, election)
    if lines:
        blocks.append(section(fit("*The count* (instant runoff)\n" + "\n".join(lines))))
    where = f"<{link}|the election>" if link else "the election"
    blocks.append(context(f"Candidates: {mentions(config, election.candidates)} · {where} · "
                          f"`/status #{election.number}` · the change goes into app.yaml with "
                          "`upline governance apply`"))
    return text, blocks
