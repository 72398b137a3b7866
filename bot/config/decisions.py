"""What app.yaml's `decisions:`, `governance:` and `digest:` mean for one area, or for the project.

They resolve the way the SLA does: the built-in default, then the top level, then each enclosing
area's override from the root down, then the area's own — a child wins over its parent, and an
override changes only what it names. A project with `decisions: {quorum: 0.5}` whose area
`distributed` says `decisions: {rule: supermajority}` and whose child `fsdp` says
`decisions: {duration: 3d}` holds fsdp's votes by supermajority, quorum 50%, open for 3d.

A vote reminds those who have not voted at the area's resolved `sla.reminders` fractions of its
duration. The core's vote on what reaches it takes `decisions.core.rule` and `.duration` through the
same chain (what an area's matters get from the core), and the project-wide quorum, rationale_within,
veto_window and reminders: the core is one group, whatever area a matter comes from.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from bot.config.ladders import area_chain
from bot.config.schema import Area, Config, Strict, weekly_time
from bot.config.sla import resolve_policy
from bot.domain.decision_policy import DecisionSettings, DigestSchedule, GovernancePolicy, VotePolicy
from bot.domain.ticket import Kind

Policy = TypeVar("Policy", VotePolicy, GovernancePolicy)
_VOTE_KEYS = ("rule", "quorum", "duration", "rationale_within", "veto_window")
_PROJECT_WIDE_CORE_KEYS = ("quorum", "rationale_within", "veto_window")


def decision_settings(config: Config, area_key: str | None = None) -> DecisionSettings:
    """How votes in `area_key` are held (None, or an unknown key: the project's), and the core's on its matters."""
    layers = [layer for layer in [config.decisions, *(area.decisions for area in _root_first(config, area_key))]
              if layer is not None]
    defaults = DecisionSettings()
    vote = _overridden(replace(defaults.vote, reminders=_reminders(config, area_key)), layers, _VOTE_KEYS)
    project = [config.decisions] if config.decisions is not None else []
    core = _overridden(replace(defaults.core, reminders=_reminders(config, None)), project,
                       _PROJECT_WIDE_CORE_KEYS)
    core = _overridden(core, [layer.core for layer in layers if layer.core is not None], ("rule", "duration"))
    channel = next((layer.channel for layer in reversed(layers) if layer.channel), defaults.channel)
    return DecisionSettings(vote=vote, core=core, channel=channel)


def governance_policy(config: Config, area_key: str | None = None) -> GovernancePolicy:
    """The membership rules; only `inactive_after` may differ per area."""
    policy = GovernancePolicy()
    if config.governance is not None:
        policy = _overridden(policy, [config.governance], ("review_every", "inactive_after", "lead_removal"))
    areas = [area.governance for area in _root_first(config, area_key) if area.governance is not None]
    return _overridden(policy, areas, ("inactive_after",))


def digest_schedule(config: Config, area_key: str | None = None) -> DigestSchedule | None:
    """When `area_key`'s weekly digest goes out (None: the core's); None when no `digest:` applies."""
    layers = [layer for layer in [config.digest, *(area.digest for area in _root_first(config, area_key))]
              if layer is not None]
    if not layers:
        return None
    schedule = DigestSchedule()
    for layer in layers:
        if layer.every is not None:
            weekday, at = weekly_time(layer.every)
            schedule = replace(schedule, weekday=weekday, at=at)
        if layer.tz is not None:
            schedule = replace(schedule, tz=layer.tz)
    return schedule


def _overridden(policy: Policy, layers: list[Strict], keys: tuple[str, ...]) -> Policy:
    for layer in layers:
        changes = {key: getattr(layer, key) for key in keys if getattr(layer, key) is not None}
        policy = replace(policy, **changes)
    return policy


def _reminders(config: Config, area_key: str | None) -> tuple[float, ...]:
    # The SLA's reminders do not depend on the kind; one resolution keeps the two from drifting apart.
    return resolve_policy(config, area_key, Kind.QUESTION).reminders


def _root_first(config: Config, area_key: str | None) -> list[Area]:
    return list(reversed(area_chain(config, area_key))) if area_key else []
