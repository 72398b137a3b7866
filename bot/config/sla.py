"""Which SLA a new ticket runs under: the project's defaults for its kind, changed by its areas.

`/ask nn ...` in a project whose `sla.question` promises an answer in 1d, where `nn` says
`sla: {question: {ack: 8h}}`, opens a ticket that must be acknowledged within 8h and resolved within
the project's 7d. Overrides apply from the root area down to the ticket's own area, so a child area
wins over its parent and each override changes only what it names. The result is copied onto the
ticket, and its `source` ("question defaults; area nn: ack 8h") says where the numbers came from.
"""

from __future__ import annotations

from bot.config.ladders import area_chain
from bot.config.schema import WEEKDAYS, Area, BusinessHours, Config, KindSla, Sla, SlaOverride
from bot.domain.durations import format_duration
from bot.domain.ticket import Kind, SlaPolicy, WorkingHours


def resolve_policy(config: Config, area_key: str | None, kind: Kind) -> SlaPolicy:
    """The SLA for a `kind` ticket in `area_key` (None, or an unknown key: the project defaults)."""
    # A top-level `question: {ack: 8h}` leaves resolve unset; the built-in default fills the gap.
    built_in: KindSla = getattr(Sla(), kind.value)
    defaults: KindSla = getattr(config.sla, kind.value)
    ack = defaults.ack or built_in.ack
    resolve = defaults.resolve or built_in.resolve
    reminders = config.sla.reminders
    hours, holidays = config.sla.hours, config.sla.holidays
    notes = [f"{kind.value} defaults"]
    for area in _root_first(config, area_key):
        override = area.sla
        if override is None:
            continue
        kind_sla: KindSla | None = getattr(override, kind.value)
        ack = kind_sla.ack if kind_sla and kind_sla.ack else ack
        resolve = kind_sla.resolve if kind_sla and kind_sla.resolve else resolve
        reminders = override.reminders if override.reminders is not None else reminders
        hours = override.hours or hours
        holidays = override.holidays or holidays
        if changes := _describe(override, kind_sla):
            notes.append(f"area {area.key}: {changes}")
    return SlaPolicy(
        ack=ack,
        resolve=resolve,
        reminders=tuple(sorted(set(reminders))),
        hours=working_hours(hours) if hours else None,
        holidays=holidays,
        source="; ".join(notes),
    )


def working_hours(hours: BusinessHours) -> WorkingHours:
    """app.yaml's `hours` as the ticket stores them: ISO weekdays (1 = Monday) and "HH:MM" times."""
    days = sorted({WEEKDAYS.index(day) + 1 for day in hours.days})
    return WorkingHours(days=tuple(days), start=f"{hours.start:%H:%M}", end=f"{hours.end:%H:%M}", tz=hours.tz)


def _root_first(config: Config, area_key: str | None) -> list[Area]:
    return list(reversed(area_chain(config, area_key))) if area_key else []


def _describe(override: SlaOverride, kind_sla: KindSla | None) -> str:
    changes = []
    if kind_sla and kind_sla.ack:
        changes.append(f"ack {format_duration(kind_sla.ack)}")
    if kind_sla and kind_sla.resolve:
        changes.append(f"resolve {format_duration(kind_sla.resolve)}")
    if override.reminders is not None:
        changes.append("reminders " + "/".join(f"{fraction:g}" for fraction in override.reminders))
    if override.hours:
        changes.append(f"hours {override.hours.start:%H:%M}-{override.hours.end:%H:%M} {override.hours.tz}")
    if override.holidays:
        changes.append(f"holidays {override.holidays}")
    return ", ".join(changes)
