"""Fill a stand-in workspace from app.yaml: everyone with a Slack ID, every area's and core's channel,
and the channels decisions are published in (`#decisions`, or `#<area>-decisions` for an area's own)."""

from __future__ import annotations

from bot.config.schema import Config
from bot.sandbox.workspace import Workspace


def populate(workspace: Workspace, config: Config, extra_users: dict[str, str] | None = None) -> None:
    """`extra_users` (id -> name) adds people who are not in app.yaml, such as askers."""
    for key, person in config.people.items():
        if person.slack:
            workspace.add_user(person.slack, key, real_name=person.name or key, tz=person.tz or "UTC")
    for user_id, name in (extra_users or {}).items():
        workspace.add_user(user_id, name, real_name=name)
    if config.core.channel:
        workspace.add_channel(config.core.channel, "core")
    for area in config.areas:
        if area.channel:
            workspace.add_channel(area.channel, area.key)
    taken = {channel.id for channel in workspace.channels()}
    published = [(config.decisions, "decisions"), *((area.decisions, f"{area.key}-decisions") for area in config.areas)]
    for decisions, name in published:
        if decisions is not None and decisions.channel and decisions.channel not in taken:
            workspace.add_channel(decisions.channel, name)
            taken.add(decisions.channel)
