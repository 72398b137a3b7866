"""A small project for the ticket rules: nn (nested under python), core, and the lead.

The ladder of an nn question is nn1, nn2 → py1 → core1, core2 → lead. Times are fixed: NOW is a
Monday morning, and nothing here reads the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from textwrap import dedent

from bot.config import Config, load_config_text
from bot.config.ladders import ladder_for, roles_of
from bot.config.sla import resolve_policy
from bot.domain.actions import Roles, open_ticket
from bot.domain.ladder import Rung
from bot.domain.ticket import Kind, Ticket

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday
ASKER = "U0ASKER"  # askers need not be in `people`
STRANGER = "U0STRANGER"

CONFIG = dedent("""\
    project: Acme
    lead: lead
    core:
      maintainers: [core1, core2]
    sla:
      question: {ack: 1d, resolve: 7d}
      escalation: {ack: 4h, resolve: 2d}
      reminders: [0.5, 0.9]
    areas:
      - key: python
        maintainers: [py1]
      - key: nn
        parent: python
        maintainers: [nn1, nn2]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      py1: {slack: U0PY1}
      nn1: {slack: U0NN1}
      nn2: {slack: U0NN2}
    """)

EVERYONE = frozenset({"lead", "core1", "core2", "py1", "nn1", "nn2"})


def make_config(text: str = CONFIG) -> Config:
    return load_config_text(text).config


def nn_ladder(config: Config | None = None) -> tuple[Rung, ...]:
    return ladder_for(config or make_config(), "nn")


def roles(config: Config | None = None) -> Roles:
    return roles_of(config or make_config())


def away(*people: str) -> frozenset[str]:
    """The pingable set when `people` are away."""
    return EVERYONE - set(people)


def new_ticket(kind: Kind = Kind.QUESTION, *, now: datetime = NOW, pingable: frozenset[str] = EVERYONE,
               config: Config | None = None) -> Ticket:
    """An nn ticket, #12, as `/ask nn` opens it."""
    config = config or make_config()
    outcome = open_ticket(kind=kind, area="nn", asker=ASKER, text="Why does my forward hook not fire?",
                          ladder=ladder_for(config, "nn"), policy=resolve_policy(config, "nn", kind), now=now,
                          pingable=pingable)
    outcome.ticket.id = 12
    return outcome.ticket


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
