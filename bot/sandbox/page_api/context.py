"""What every page route works with: the workspace, the bot's clock and line, the notes, the live feed;
and the checks each request passes: who acts, and that they may see what they ask for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import OffsetClock
from bot.config.schema import Config
from bot.domain.hierarchy import HierarchyChange
from bot.sandbox.models import Channel, SlackError, View
from bot.sandbox.page_api import reading
from bot.sandbox.page_api.bot_line import BotLine
from bot.sandbox.page_api.interactions import PageError
from bot.sandbox.page_api.live import ChangeFeed
from bot.sandbox.page_api.notes import Notes, ResponseTarget
from bot.sandbox.workspace import Workspace


@dataclass
class PageContext:
    workspace: Workspace
    config: Config
    clock: OffsetClock
    wake: Callable[[], None]  # the bot's background loops: run now
    bot: BotLine
    notes: Notes
    feed: ChangeFeed
    commands: dict[str, tuple[str, str]]  # registered slash command -> (description, usage hint)
    events: frozenset[str]  # the event types Upline listens to: Slack sends only those
    origin: str = ""  # "http://127.0.0.1:3000", once the server is bound
    config_path: str | None = None  # the app.yaml the sandbox runs, for the Governance panel
    # The confirmed hierarchy changes not yet applied (a database read), once Upline runs.
    pending_changes: Callable[[], list[HierarchyChange]] = field(default=lambda: [])
    # Upline's units of work (`unit_of_work(read_only=True)`), once it runs: the Report panel reads them.
    unit_of_work: Callable[..., Any] | None = None
    # Once Upline runs: when the next digest is due (DigestService.next_due), and a sweep of every
    # deadline at a moment (bot.app.sweep_all), for the clock buttons' stops at the digests.
    next_digest: Callable[[], datetime | None] | None = None
    sweep: Callable[[datetime], object] | None = None

    def response_url(self, target: ResponseTarget) -> str:
        return f"{self.origin}/sandbox/response/{self.notes.issue_response_url(target)}"


def acting(ctx: PageContext, user: Any) -> str:
    """The person the page acts as: anyone in the workspace but the bot."""
    if not user or user == ctx.workspace.bot_user_id:
        raise PageError("say who acts: ?as=U…")
    return ctx.workspace.user(str(user)).id


def member_channel(ctx: PageContext, channel_id: Any, user: str) -> Channel:
    channel = ctx.workspace.channel(str(channel_id or ""))
    reading.check_member(channel, user)
    return channel


def own_view(ctx: PageContext, view_id: Any, user: str) -> View:
    view = ctx.workspace.view(str(view_id or ""))
    if view.user_id != user:
        raise SlackError("not_found")
    return view


def clock_json(ctx: PageContext) -> dict:
    now = ctx.clock.now()
    return {"now": now.isoformat(), "epoch": now.timestamp(), "offset_seconds": ctx.clock.offset.total_seconds()}
