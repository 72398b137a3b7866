"""How a ticket's SLA is measured: the calendar its policy's working hours and holidays make.

Which policy a new ticket runs under is what app.yaml says (`bot.config.sla.resolve_policy`).
"""

from __future__ import annotations

from bot.domain.ticket import SlaPolicy
from bot.domain.working_time import WorkingCalendar


def calendar_of(policy: SlaPolicy) -> WorkingCalendar:
    """The calendar that measures this policy's SLA time (around the clock unless it sets hours)."""
    return WorkingCalendar(hours=policy.hours, holidays=policy.holidays)
