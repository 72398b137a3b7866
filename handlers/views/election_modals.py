"""The ranking form of an election's ballot, and how what it sends is read.

    Your ballot · #57
    Rank the candidates for the lead, most preferred first. Who has voted is shown; how is not.
    1st choice   [Edward Yang       v]
    2nd choice   [Alban Desmaison   v]   (optional)
    3rd choice   [                  v]   (optional)
    [Send my ballot]

One select per rank, as many as there are candidates, their options the candidates by name; a voter
who opens it again finds their ballot in it. It carries the election's number in `private_metadata`;
each select's block id and action id are the same (`rank_1`, `rank_2`, …). What is sent is read by
`read_ranking`: a gap (a choice below a blank one), a candidate picked twice, or a value that is no
candidate (a forged form) is shown under the select concerned, and nothing is cast.
"""

from __future__ import annotations

from slack_sdk.models.blocks import InputBlock, MarkdownTextObject, Option, SectionBlock, StaticSelectElement
from slack_sdk.models.views import View

from bot.config.schema import Config
from bot.domain.election_record import Election
from handlers.payloads import form_option
from handlers.views.election import is_tie_poll
from handlers.views.election_actions import RANK_MODAL
from handlers.views.text import when

PREFIX = "rank_"


def rank_block(place: int) -> str:
    return f"{PREFIX}{place}"


def choice_label(place: int) -> str:
    """"1st choice", "2nd choice", "3rd choice"."""
    suffix = "th" if place % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix} choice"


def plain_name(config: Config, person: str) -> str:
    return config.display_name(person) if person in config.people else person


def rank_modal(config: Config, election: Election, voter: str | None = None) -> dict:
    """The form for `voter` (a people key): the poll's candidates at every rank, their ballot prefilled."""
    poll = election.poll
    options = {person: Option(text=plain_name(config, person)[:75], value=person) for person in poll.candidates}
    ballot = poll.ballot_of(voter) if voter else None
    ranked = ballot.ranking if ballot else ()
    about = ("A tie: this ballot is among the tied. " if is_tie_poll(election) else "") + (
        f"Rank the candidates for the lead, most preferred first, by {when(poll.closes_at)}; you may leave the "
        "later choices blank. Who has voted is shown, how they ranked is not.")
    blocks = [SectionBlock(text=MarkdownTextObject(text=about))]
    for place in range(1, len(poll.candidates) + 1):
        chosen = ranked[place - 1] if place <= len(ranked) and ranked[place - 1] in options else None
        select = StaticSelectElement(action_id=rank_block(place), placeholder="Pick a candidate",
                                     options=list(options.values()),
                                     initial_option=options[chosen] if chosen else None)
        blocks.append(InputBlock(block_id=rank_block(place), label=choice_label(place), element=select,
                                 optional=place > 1))
    return View(type="modal", callback_id=RANK_MODAL, private_metadata=str(election.number),
                title=f"Your ballot · #{election.number}"[:24], submit="Send my ballot", close="Cancel",
                blocks=blocks).to_dict()


class FormErrors(Exception):
    """What is wrong with a sent form, block by block: shown under each, and nothing is cast."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def read_ranking(config: Config, values: dict, candidates: tuple[str, ...]) -> list[str]:
    """The ranking the form says, most preferred first; `FormErrors` for a gap, a repeat or a non-candidate."""
    picked = [form_option(values, rank_block(place)) for place in range(1, len(candidates) + 1)]
    errors: dict[str, str] = {}
    for place, person in enumerate(picked, 1):
        if person is not None and person not in candidates:
            errors[rank_block(place)] = "Pick one of the candidates on this ballot."
    last = max((place for place, person in enumerate(picked, 1) if person is not None), default=0)
    for place in range(1, last):
        if picked[place - 1] is None:
            errors.setdefault(rank_block(place), f"Pick your {choice_label(place)} too, or clear the choices "
                                                 "below it: the choices go in order, without a gap.")
    if last == 0:
        errors[rank_block(1)] = "Pick your 1st choice."
    seen: dict[str, int] = {}
    for place, person in enumerate(picked, 1):
        if person is None or person not in candidates:
            continue
        if person in seen:
            errors.setdefault(rank_block(place), f"{plain_name(config, person)} is already your "
                                                 f"{choice_label(seen[person])}: rank each candidate once.")
        else:
            seen[person] = place
    if errors:
        raise FormErrors(errors)
    return [person for person in picked if person is not None]
