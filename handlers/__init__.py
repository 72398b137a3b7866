"""Upline's Slack face: one module per feature, each with `register(app, deps)`.

A new feature is one new module and one line in FEATURES. Handlers parse the payload, call a service
(in a worker thread: the services are synchronous and the app is asyncio — except new tickets, which
are committed in batches on the event loop, see `handlers.group_commit`), and render Block Kit.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import (
    area_pick,
    ask,
    ask_modal,
    decision_modals,
    decisions_list,
    dedup,
    dispute,
    door,
    elect,
    election_buttons,
    escalate,
    handover,
    home,
    mention,
    nominate,
    nomination_buttons,
    ping_buttons,
    reopen,
    status,
    ticket_commands,
    veto,
    vote,
    vote_buttons,
    who,
)
from handlers.deps import Deps

FEATURES = [door, dedup, ask, escalate, ticket_commands, status, who, mention, ping_buttons, area_pick, ask_modal, home,
            reopen, handover, vote, vote_buttons, decision_modals, dispute, veto, decisions_list, nominate,
            nomination_buttons, elect, election_buttons]

__all__ = ["FEATURES", "Deps", "register_all"]


def register_all(app: AsyncApp, deps: Deps) -> None:
    for feature in FEATURES:
        feature.register(app, deps)
